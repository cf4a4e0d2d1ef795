"""Recipes: a straight-through estimator, a numerically stable log-sum-exp, and what gradcheck says about a wrong backward."""

import math

import pytest
import torch
from torch.autograd import gradcheck
from torch.autograd.gradcheck import GradcheckError

from kata import __, raises


def stable_log_sum_exp(x):
    """log(sum(exp(x))) computed as m + log(sum(exp(x - m))) with m = max(x)."""
    m = x.max()
    return m + (x - m).exp().sum().log()


def test_round_has_zero_gradient():
    """torch.round is flat between jumps, so autograd gives it a zero gradient everywhere and nothing upstream of it can learn.

    Hint: the slope of a staircase away from its steps.
    """
    x = torch.tensor([0.4, 1.6, 2.7], requires_grad=True)
    x.round().sum().backward()
    assert x.grad.tolist() == __


def test_straight_through_estimator_passes_the_gradient_unchanged():
    """A straight-through estimator rounds in forward but pretends to be the identity in backward, so the incoming gradient flows through untouched.

    Hint: the derivative of the identity function is 1.
    """

    class RoundSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.round()

        @staticmethod
        def backward(ctx, grad_output):
            return __

    x = torch.tensor([0.4, 1.6, 2.7], requires_grad=True)
    y = RoundSTE.apply(x)
    (y * torch.tensor([0.25, 0.5, 4.0])).sum().backward()
    assert y.tolist() == [0.0, 2.0, 3.0]
    assert x.grad.tolist() == [0.25, 0.5, 4.0]


def test_stable_log_sum_exp_does_not_overflow():
    """exp(1000) overflows float32 to inf, but log(sum(exp(x))) equals m + log(sum(exp(x - m))) with m = max(x), whose exponentials are at most 1.

    Hint: factor e**1000 out of the sum; what is left inside the log?
    """
    x = torch.tensor([1000.0, 1000.0, 1000.0])
    assert x.exp().sum().log().item() == math.inf
    assert stable_log_sum_exp(x).item() == pytest.approx(__)


def test_log_sum_exp_backward_passes_gradcheck():
    """The derivative of log(sum(exp(x))) with respect to x_i is exp(x_i) / sum(exp(x)), the softmax of x; written with the saved output it needs no second sum.

    Hint: exp(out) is sum(exp(x)); divide by it inside the exponent. gradcheck in float64 checks the formula.
    """

    class StableLSE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out = stable_log_sum_exp(x)
            ctx.save_for_backward(x, out)
            return out

        @staticmethod
        def backward(ctx, grad_output):
            x, out = ctx.saved_tensors
            return grad_output * __

    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    assert gradcheck(StableLSE.apply, (x,))


def test_gradcheck_reports_a_jacobian_mismatch():
    """When backward disagrees with finite differences, gradcheck raises GradcheckError (a RuntimeError) naming the output and the input, counted from 0, whose Jacobian block is wrong, and prints the numerical and the analytical one.

    Hint: which of the two gradients in backward is not the derivative of forward?
    """

    class BadMul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, w)
            return x * w**2

        @staticmethod
        def backward(ctx, grad_output):
            x, w = ctx.saved_tensors
            return grad_output * w**2, grad_output * x * w

    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([0.5, 1.5, 2.5], dtype=torch.float64, requires_grad=True)
    with raises(GradcheckError, match=__):
        gradcheck(BadMul.apply, (x, w))
