"""GradScaler: scaling the loss so small gradients survive float16, and skipping steps whose gradients overflowed."""

import torch

from kata import __


def make_parameter_and_optimizer():
    weight = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    optimizer = torch.optim.SGD([weight], lr=0.5)
    return weight, optimizer


def test_default_initial_scale():
    """A GradScaler created without init_scale starts by multiplying the loss by 2 ** 16.

    Hint: 2 ** 16 written out, as a float.
    """
    scaler = torch.amp.GradScaler("cpu")
    assert scaler.get_scale() == __


def test_scale_multiplies_the_loss():
    """scaler.scale(loss) returns the loss multiplied by the current scale, so backward produces
    gradients that are scale times too large.

    Hint: the loss is 1 + 2.
    """
    weight, _ = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    scaled = scaler.scale(weight.sum())
    scaled.backward()
    assert scaled.item() == __
    assert weight.grad.tolist() == __


def test_step_unscales_gradients_before_updating():
    """scaler.step(optimizer) first divides the gradients by the scale (in place), then, if they
    are all finite, runs optimizer.step() on the true gradients.

    Hint: d(sum)/dw is 1 for each element; SGD subtracts lr times that.
    """
    weight, optimizer = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    scaler.scale(weight.sum()).backward()
    scaler.step(optimizer)
    assert weight.grad.tolist() == __
    assert weight.tolist() == __


def test_step_is_skipped_when_gradients_overflow():
    """If any unscaled gradient is inf or NaN, scaler.step skips optimizer.step(), so the
    parameters are left exactly as they were.

    Hint: the loss below is infinite, so are its gradients.
    """
    weight, optimizer = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    scaler.scale((weight * float("inf")).sum()).backward()
    scaler.step(optimizer)
    assert weight.tolist() == __


def test_update_backs_off_after_overflow():
    """After a skipped step, scaler.update() multiplies the scale by backoff_factor (default 0.5).

    Hint: the scale started at 1024.
    """
    weight, optimizer = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    scaler.scale((weight * float("inf")).sum()).backward()
    scaler.step(optimizer)
    scaler.update()
    assert scaler.get_scale() == __


def test_update_grows_after_growth_interval_clean_steps():
    """After growth_interval consecutive steps without inf or NaN, update() multiplies the scale
    by growth_factor (default 2.0); before that it leaves the scale alone.

    Hint: growth_interval is 2 here; record the scale after each of the two updates.
    """
    weight, optimizer = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0, growth_interval=2)
    scales = []
    for _ in range(2):
        optimizer.zero_grad()
        scaler.scale(weight.sum()).backward()
        scaler.step(optimizer)
        scaler.update()
        scales.append(scaler.get_scale())
    assert scales == __


def test_disabled_scaler_passes_the_loss_through():
    """GradScaler(enabled=False) turns every method into a pass-through: scale() returns the loss
    unchanged, which lets one training loop serve both precisions.

    Hint: nothing is multiplied.
    """
    weight, _ = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", enabled=False)
    assert scaler.scale(weight.sum()).item() == __
