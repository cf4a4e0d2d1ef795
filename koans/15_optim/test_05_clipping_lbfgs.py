"""Gradient clipping, gradient accumulation and LBFGS with a closure."""

import pytest
import torch

from kata import __


def test_clip_grad_norm_scales_all_grads_by_one_factor_and_returns_the_norm_before():
    """clip_grad_norm_ measures the total 2-norm of all the gradients together and returns it as measured before clipping; if it exceeds max_norm, every gradient is multiplied by max_norm / total_norm (the direction is kept), otherwise nothing changes.

    Hint: take the norm over all five entries at once; the second call sees the clipped gradients.
    """
    p = torch.nn.Parameter(torch.zeros(2))
    q = torch.nn.Parameter(torch.zeros(3))
    p.grad = torch.tensor([2.0, 0.0])
    q.grad = torch.tensor([1.0, -2.0, 0.0])
    first = torch.nn.utils.clip_grad_norm_([p, q], max_norm=1.5)
    second = torch.nn.utils.clip_grad_norm_([p, q], max_norm=10.0)
    assert round(first.item(), 4) == __
    assert round(second.item(), 4) == __
    assert [round(v, 4) for v in p.grad.tolist() + q.grad.tolist()] == __


def test_clip_grad_norm_with_inf_norm_uses_the_largest_entry():
    """With norm_type=float('inf') the total norm is the largest absolute gradient entry; clipping still scales every entry by the same factor, max_norm / total_norm, so it keeps the direction.

    Hint: signs do not count for the norm; they stay in the clipped gradient.
    """
    p = torch.nn.Parameter(torch.zeros(2))
    p.grad = torch.tensor([3.0, -4.0])
    total = torch.nn.utils.clip_grad_norm_([p], max_norm=2.0, norm_type=float("inf"))
    assert total.item() == __
    assert [round(v, 4) for v in p.grad.tolist()] == __


def test_clip_grad_value_clamps_each_entry():
    """clip_grad_value_ clamps every gradient entry into [-clip_value, clip_value] independently.

    Hint: entries inside the range are kept as they are.
    """
    p = torch.nn.Parameter(torch.zeros(3))
    p.grad = torch.tensor([3.0, -0.5, -2.0])
    torch.nn.utils.clip_grad_value_([p], clip_value=1.0)
    assert p.grad.tolist() == __


def test_accumulated_micro_batches_equal_the_full_batch_when_weighted_by_size():
    """With a mean loss, the full-batch gradient is the sum of the micro-batch gradients, each loss weighted by its micro-batch's share of the samples; dividing each loss by the number of micro-batches is right only when they are all the same size.

    Hint: a micro-batch's mean loss stands for len(xb) of the full batch's samples; the blank is an expression.
    """
    x = torch.arange(8.0).reshape(4, 2)
    y = torch.tensor([1.0, 0.0, 2.0, 1.0])
    w = torch.nn.Parameter(torch.tensor([0.5, -0.5]))

    ((x @ w - y) ** 2).mean().backward()
    full = w.grad.clone()

    w.grad = None
    for xb, yb in zip(x.split(3), y.split(3)):
        loss = ((xb @ w - yb) ** 2).mean()
        (loss * __).backward()
    assert torch.allclose(w.grad, full)


def test_lbfgs_step_needs_a_closure():
    """LBFGS re-evaluates the loss several times per step, so its step(closure) has no default for the closure: calling it without one is Python's own complaint about a missing argument, before any optimizer code runs.

    Hint: which built-in exception does Python raise for a call with a required argument left out?
    """
    x = torch.nn.Parameter(torch.zeros(2))
    opt = torch.optim.LBFGS([x])
    with pytest.raises(Exception) as info:
        opt.step()
    assert info.type is __


def test_lbfgs_solves_a_quadratic_and_returns_the_first_loss():
    """LBFGS.step(closure) returns the loss of the closure's first evaluation; on a simple quadratic one step reaches the minimum.

    Hint: the first loss is measured at x = (0, 0).
    """
    x = torch.nn.Parameter(torch.zeros(2))
    target = torch.tensor([3.0, -1.0])
    opt = torch.optim.LBFGS([x], lr=1.0, max_iter=20)

    def closure():
        opt.zero_grad()
        loss = ((x - target) ** 2).sum()
        loss.backward()
        return loss

    first_loss = opt.step(closure)
    assert first_loss.item() == __
    assert [round(v, 4) for v in x.tolist()] == __
