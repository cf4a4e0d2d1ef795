"""SGD: the update rule behind optimizer.step(), with momentum and weight decay."""

import torch

from kata import __


def test_sgd_step_subtracts_lr_times_grad():
    """Plain SGD updates every parameter in place as p = p - lr * p.grad.

    Hint: work it out element by element with lr = 0.5.
    """
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.SGD([p], lr=0.5)
    p.grad = torch.tensor([1.0, -2.0])
    opt.step()
    assert p.tolist() == __


def test_step_uses_the_grad_that_backward_left():
    """optimizer.step() reads p.grad, which loss.backward() filled; for loss = (w * x).sum() that gradient is x.

    Hint: w starts at zero, so after one step it is just -lr times the gradient.
    """
    x = torch.tensor([1.0, 2.0, 3.0])
    w = torch.nn.Parameter(torch.zeros(3))
    opt = torch.optim.SGD([w], lr=0.5)
    loss = (w * x).sum()
    loss.backward()
    opt.step()
    assert w.tolist() == __


def test_momentum_buffer_accumulates_gradients():
    """With momentum m, SGD keeps buf = m * buf + grad (the first buf is just the grad) and steps p = p - lr * buf.

    Hint: two steps with the same gradient 1.0: the buffer is 1.0, then 0.5 * 1.0 + 1.0.
    """
    p = torch.nn.Parameter(torch.tensor([0.0]))
    opt = torch.optim.SGD([p], lr=1.0, momentum=0.5)
    for _ in range(2):
        p.grad = torch.tensor([1.0])
        opt.step()
    assert opt.state[p]["momentum_buffer"].tolist() == __
    assert p.tolist() == __


def test_weight_decay_adds_a_multiple_of_the_weights_to_the_grad():
    """SGD's weight_decay=wd replaces the gradient by grad + wd * p before the update, pulling weights towards zero.

    Hint: the first element has no gradient at all and still moves.
    """
    p = torch.nn.Parameter(torch.tensor([2.0, 4.0]))
    opt = torch.optim.SGD([p], lr=0.5, weight_decay=0.25)
    p.grad = torch.tensor([0.0, 1.0])
    opt.step()
    assert p.tolist() == __


def test_nesterov_steps_with_grad_plus_momentum_times_buffer():
    """With nesterov=True the step direction is grad + momentum * buf instead of buf itself.

    Hint: on the very first step buf equals the gradient.
    """
    p = torch.nn.Parameter(torch.tensor([0.0]))
    opt = torch.optim.SGD([p], lr=1.0, momentum=0.5, nesterov=True)
    p.grad = torch.tensor([1.0])
    opt.step()
    assert p.tolist() == __


def test_maximize_climbs_the_gradient():
    """maximize=True makes an optimizer ascend: SGD then adds lr * grad instead of subtracting it.

    Hint: flip the sign of the usual update.
    """
    p = torch.nn.Parameter(torch.tensor([0.0]))
    opt = torch.optim.SGD([p], lr=1.0, maximize=True)
    p.grad = torch.tensor([2.0])
    opt.step()
    assert p.tolist() == __


def test_zero_grad_sets_grads_to_none():
    """optimizer.zero_grad() defaults to set_to_none=True: it drops each .grad instead of filling it with zeros.

    Hint: not a tensor at all.
    """
    p = torch.nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.SGD([p], lr=0.1)
    p.grad = torch.tensor([3.0])
    opt.zero_grad()
    assert p.grad is __


def test_zero_grad_without_set_to_none_keeps_a_zero_tensor():
    """zero_grad(set_to_none=False) keeps each .grad tensor and zeroes it in place.

    Hint: the shape of the parameter is kept.
    """
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.SGD([p], lr=0.1)
    p.grad = torch.tensor([3.0, 4.0])
    opt.zero_grad(set_to_none=False)
    assert p.grad.tolist() == __


def test_step_skips_parameters_without_grad():
    """A parameter whose .grad is None is left untouched by step(), and gets no optimizer state either.

    Hint: only p received a gradient.
    """
    p = torch.nn.Parameter(torch.tensor([1.0]))
    q = torch.nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.SGD([p, q], lr=1.0, momentum=0.9)
    p.grad = torch.tensor([1.0])
    opt.step()
    assert q.tolist() == __
    assert len(opt.state) == __
