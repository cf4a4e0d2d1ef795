"""GradScaler: scaling the loss so small gradients survive float16, and skipping steps whose gradients overflowed."""

import torch

from kata import __


def make_parameter_and_optimizer():
    weight = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    optimizer = torch.optim.SGD([weight], lr=0.5)
    return weight, optimizer


def test_scale_multiplies_the_loss():
    """scaler.scale(loss) returns the loss multiplied by the current scale, which starts at init_scale (2.0 ** 16 unless given), so backward produces gradients that are scale times too large.

    Hint: the loss is the sum of the weights; d(sum)/dw is 1 for each element before scaling.
    """
    weight, _ = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu")
    scaled = scaler.scale(weight.sum())
    scaled.backward()
    assert scaled.item() == __
    assert weight.grad.tolist() == __


def test_step_unscales_gradients_before_updating():
    """scaler.step(optimizer) first divides the gradients by the scale (in place), then, if they are all finite, runs optimizer.step() on the true gradients.

    Hint: unscaling undoes scale() exactly; then apply SGD with the optimizer's lr.
    """
    weight, optimizer = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    scaler.scale(weight.sum()).backward()
    scaler.step(optimizer)
    assert weight.grad.tolist() == __
    assert weight.tolist() == __


def test_an_overflow_skips_the_step_and_backs_off():
    """If any unscaled gradient is inf or NaN, scaler.step skips optimizer.step(), so the parameters are left exactly as they were, and the next scaler.update() multiplies the scale by backoff_factor (default 0.5).

    Hint: the loss below is infinite, and so are its gradients.
    """
    weight, optimizer = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    scaler.scale((weight * float("inf")).sum()).backward()
    scaler.step(optimizer)
    scaler.update()
    assert weight.tolist() == __
    assert scaler.get_scale() == __


def test_update_grows_after_growth_interval_clean_steps():
    """After growth_interval consecutive steps without inf or NaN, update() multiplies the scale by growth_factor (default 2.0) and starts counting again; before that it leaves the scale alone.

    Hint: record the scale after each update and count the clean steps since the last growth.
    """
    weight, optimizer = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0, growth_interval=2)
    scales = []
    for _ in range(3):
        optimizer.zero_grad()
        scaler.scale(weight.sum()).backward()
        scaler.step(optimizer)
        scaler.update()
        scales.append(scaler.get_scale())
    assert scales == __


def test_disabled_scaler_passes_everything_through():
    """GradScaler(enabled=False) turns every method into a pass-through: scale() returns the loss unchanged and step() simply calls optimizer.step(), which lets one training loop serve both precisions.

    Hint: nothing is multiplied or divided; the SGD step still happens.
    """
    weight, optimizer = make_parameter_and_optimizer()
    scaler = torch.amp.GradScaler("cpu", enabled=False)
    scaled = scaler.scale(weight.sum())
    scaled.backward()
    scaler.step(optimizer)
    assert scaled.item() == __
    assert weight.tolist() == __
