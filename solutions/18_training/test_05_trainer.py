"""The training step: what zero_grad, train/eval, no_grad and the loss you log do to the next step."""

import torch
import torch.nn as nn

from kata import __


def test_without_zero_grad_each_step_uses_the_sum_of_all_gradients_so_far():
    """backward() adds into .grad and nothing in a training loop clears it but zero_grad(), so a loop that forgets it steps, each time, with the sum of every gradient computed since the start.

    Hint: loss = w * w has gradient 2 * w at the current w; add it to what .grad already holds before each step.
    """
    w = nn.Parameter(torch.tensor(1.0))
    opt = torch.optim.SGD([w], lr=0.25)
    after_each_step = []
    for _ in range(3):
        (w * w).backward()
        opt.step()
        after_each_step.append(w.item())
    assert after_each_step == [0.5, -0.25, -0.875]


def test_summing_loss_tensors_keeps_every_graph_alive():
    """A loss is the root of its step's graph: adding loss tensors into a running total chains all those graphs together (and keeps their saved tensors alive), while loss.item() gives a plain Python number that holds nothing.

    Hint: what node does `+` leave on a tensor that requires grad?
    """
    w = nn.Parameter(torch.tensor(2.0))
    total, logged = 0.0, 0.0
    for x in (1.0, 2.0):
        loss = (w * x) ** 2
        total = total + loss
        logged = logged + loss.item()
    assert type(total.grad_fn).__name__ == "AddBackward0"
    assert type(logged) is float


def test_eval_changes_the_layers_not_autograd():
    """model.eval() only sets every submodule's training flag (an evaluating Dropout hands its input back untouched, BatchNorm reads its running statistics); it does not stop autograd from recording, which is torch.no_grad()'s job.

    Hint: the model itself is one of model.modules(); which op made the last recorded node once Dropout passes its input through?
    """
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    model.eval()
    in_eval = model(torch.ones(1, 2))
    with torch.no_grad():
        in_no_grad = model(torch.ones(1, 2))
    assert [m.training for m in model.modules()] == [False, False, False]
    assert (type(in_eval.grad_fn).__name__, in_no_grad.grad_fn) == ("AddmmBackward0", None)


def test_validating_in_train_mode_moves_the_batchnorm_statistics():
    """In train mode BatchNorm updates its running statistics on every forward, under torch.no_grad() too, as running = (1 - momentum) * running + momentum * batch statistic; in eval mode it only reads them.

    Hint: the running mean starts at 0; the validation batch's mean is the same for both models.
    """
    forgot_eval = nn.BatchNorm1d(1, momentum=0.5)
    called_eval = nn.BatchNorm1d(1, momentum=0.5)
    called_eval.eval()
    val_batch = torch.tensor([[2.0], [6.0]])
    with torch.no_grad():
        forgot_eval(val_batch)
        called_eval(val_batch)
    assert forgot_eval.running_mean.item() == 2.0
    assert called_eval.running_mean.item() == 0.0


def test_converting_the_model_after_building_the_optimizer_keeps_it_working():
    """Module.to(), .double() and .half() convert each Parameter in place (its .data is swapped), so the Parameter objects the optimizer was built with are still the model's, now with the new dtype, and opt.step() keeps updating the model.

    Hint: the gradient of w * x with respect to w is x; SGD subtracts lr times it.
    """
    model = nn.Linear(1, 1, bias=False)
    nn.init.constant_(model.weight, 1.0)
    opt = torch.optim.SGD(model.parameters(), lr=0.25)
    model.double()
    model(torch.tensor([[2.0]], dtype=torch.float64)).sum().backward()
    opt.step()
    assert (model.weight.dtype, model.weight.item()) == (torch.float64, 0.5)


def test_a_zero_gradient_does_not_freeze_a_parameter_under_momentum():
    """SGD skips a parameter whose .grad is None, but a zero gradient is still a gradient: with momentum the buffer keeps moving the parameter, decayed by the momentum factor each step.

    Hint: after the first step the buffer holds the first gradient; zero_grad() decides between None and zeros.
    """
    def run(set_to_none):
        p = nn.Parameter(torch.tensor(0.0))
        opt = torch.optim.SGD([p], lr=1.0, momentum=0.5)
        p.grad = torch.tensor(1.0)
        opt.step()
        for _ in range(2):
            opt.zero_grad(set_to_none=set_to_none)
            opt.step()
        return p.item()

    assert run(set_to_none=True) == -1.0
    assert run(set_to_none=False) == -1.75
