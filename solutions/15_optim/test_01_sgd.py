"""SGD: the update rule behind optimizer.step(), with momentum and weight decay."""

import torch

from kata import __


def test_sgd_step_subtracts_lr_times_grad():
    """Plain SGD updates every parameter in place as p = p - lr * p.grad.

    Hint: work it out element by element.
    """
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.SGD([p], lr=0.5)
    p.grad = torch.tensor([1.0, -2.0])
    opt.step()
    assert p.tolist() == [0.5, 3.0]


def test_step_uses_the_grad_that_backward_left():
    """optimizer.step() reads p.grad, which loss.backward() filled; for loss = (w * x).sum() that gradient is x.

    Hint: w starts at zero; what is d(loss)/dw for each element?
    """
    x = torch.tensor([1.0, 2.0, 3.0])
    w = torch.nn.Parameter(torch.zeros(3))
    opt = torch.optim.SGD([w], lr=0.5)
    loss = (w * x).sum()
    loss.backward()
    opt.step()
    assert w.tolist() == [-0.5, -1.0, -1.5]


def test_momentum_buffer_accumulates_gradients():
    """With momentum m, SGD keeps buf = m * buf + grad (the first buf is just the grad) and steps p = p - lr * buf.

    Hint: each step updates the buffer first, then moves p by it.
    """
    p = torch.nn.Parameter(torch.tensor([0.0]))
    opt = torch.optim.SGD([p], lr=1.0, momentum=0.5)
    for _ in range(2):
        p.grad = torch.tensor([1.0])
        opt.step()
    assert opt.state[p]["momentum_buffer"].tolist() == [1.5]
    assert p.tolist() == [-2.5]


def test_weight_decay_adds_a_multiple_of_the_weights_to_the_grad():
    """SGD's weight_decay=wd replaces the gradient by grad + wd * p before the update, pulling weights towards zero.

    Hint: work out the effective gradient of each element first.
    """
    p = torch.nn.Parameter(torch.tensor([2.0, 4.0]))
    opt = torch.optim.SGD([p], lr=0.5, weight_decay=0.25)
    p.grad = torch.tensor([0.0, 1.0])
    opt.step()
    assert p.tolist() == [1.75, 3.0]


def test_nesterov_steps_with_grad_plus_momentum_times_buffer():
    """With nesterov=True the step direction is grad + momentum * buf instead of buf itself.

    Hint: on the very first step buf equals the gradient.
    """
    p = torch.nn.Parameter(torch.tensor([0.0]))
    opt = torch.optim.SGD([p], lr=1.0, momentum=0.5, nesterov=True)
    p.grad = torch.tensor([1.0])
    opt.step()
    assert p.tolist() == [-1.5]


def test_maximize_flips_the_gradient_but_not_the_decay():
    """maximize=True makes an optimizer ascend: SGD negates the gradient first and only then adds weight_decay * p, so the decay still pulls the weights towards zero while the step climbs the gradient.

    Hint: build the effective gradient in that order, then take the usual step p - lr * g.
    """
    p = torch.nn.Parameter(torch.tensor([2.0]))
    opt = torch.optim.SGD([p], lr=1.0, weight_decay=0.5, maximize=True)
    p.grad = torch.tensor([2.0])
    opt.step()
    assert p.tolist() == [3.0]


def test_zero_grad_either_drops_the_grad_tensor_or_zeroes_it_in_place():
    """optimizer.zero_grad() sets each .grad to None by default (set_to_none=True), so the next backward makes a new tensor; set_to_none=False zeroes the existing tensor in place, and the next backward accumulates into that same tensor. A reference taken before zero_grad tells the two apart.

    Hint: follow the tensor each name refers to, through zero_grad and then backward.
    """
    p = torch.nn.Parameter(torch.tensor([1.0]))
    q = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    p.grad, q.grad = torch.tensor([3.0]), torch.tensor([3.0, 4.0])
    old_p, old_q = p.grad, q.grad
    torch.optim.SGD([p], lr=0.1).zero_grad()
    torch.optim.SGD([q], lr=0.1).zero_grad(set_to_none=False)
    (2 * p).sum().backward()
    (2 * q).sum().backward()
    assert old_p.tolist() == [3.0]
    assert old_q.tolist() == [2.0, 2.0]


def test_step_skips_a_none_grad_but_not_a_zero_grad():
    """step() leaves a parameter whose .grad is None untouched and gives it no state; a zero gradient is still a gradient, so weight decay and momentum act on it.

    Hint: p never received a gradient; q received zeros.
    """
    p = torch.nn.Parameter(torch.tensor([2.0]))
    q = torch.nn.Parameter(torch.tensor([2.0]))
    opt = torch.optim.SGD([p, q], lr=1.0, momentum=0.9, weight_decay=0.25)
    q.grad = torch.zeros(1)
    opt.step()
    assert (p.item(), q.item()) == (2.0, 1.5)
    assert len(opt.state) == 1
