"""Recipes: a straight-through estimator, a numerically stable log-sum-exp, and what gradcheck says about a wrong backward."""

import math

import pytest
import torch
from torch.autograd import gradcheck
from torch.autograd.gradcheck import GradcheckError

from kata import __


class LogSumExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        m = x.max()
        out = m + (x - m).exp().sum().log()
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        return grad_output * (x - out).exp()


def test_round_has_zero_gradient():
    """torch.round is flat between jumps, so autograd gives it a zero gradient everywhere and nothing upstream of it can learn.

    Hint: the slope of a staircase away from its steps.
    """
    x = torch.tensor([0.4, 1.6, 2.7], requires_grad=True)
    x.round().sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


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
            return grad_output

    x = torch.tensor([0.4, 1.6, 2.7], requires_grad=True)
    y = RoundSTE.apply(x)
    (y * torch.tensor([0.25, 0.5, 4.0])).sum().backward()
    assert y.tolist() == [0.0, 2.0, 3.0]
    assert x.grad.tolist() == [0.25, 0.5, 4.0]


def test_stable_log_sum_exp_does_not_overflow():
    """exp(1000) overflows float32 to inf, but log(sum(exp(x))) equals m + log(sum(exp(x - m))) with m = max(x), whose exponentials are at most 1.

    Hint: with x = [1000, 1000] every x - m is 0; log(e**1000 + e**1000) = 1000 + log(...).
    """
    x = torch.tensor([1000.0, 1000.0])
    assert x.exp().sum().log().item() == math.inf
    assert LogSumExp.apply(x).item() == pytest.approx(1000 + math.log(2))


def test_log_sum_exp_backward_passes_gradcheck():
    """The derivative of log(sum(exp(x))) with respect to x_i is exp(x_i) / sum(exp(x)), which is exp(x_i - out) written with the saved output.

    Hint: x and out are both saved; torch.autograd.gradcheck in float64 checks the formula.
    """

    class StableLSE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            m = x.max()
            out = m + (x - m).exp().sum().log()
            ctx.save_for_backward(x, out)
            return out

        @staticmethod
        def backward(ctx, grad_output):
            x, out = ctx.saved_tensors
            return grad_output * (x - out).exp()

    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    assert gradcheck(StableLSE.apply, (x,))


def test_gradcheck_reports_a_jacobian_mismatch():
    """When backward disagrees with finite differences, gradcheck raises GradcheckError (a RuntimeError) and prints both Jacobians, numerical and analytical.

    Hint: the message names the kind of matrix whose two versions disagree.
    """

    class BadSquare(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * x

    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        gradcheck(BadSquare.apply, (x,))
