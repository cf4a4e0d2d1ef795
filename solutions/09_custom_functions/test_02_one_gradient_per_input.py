"""backward returns one gradient per forward input: tensors, None for the rest, and only what is needed."""

import pytest
import torch

from kata import __, raises


class Mul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return x * w

    @staticmethod
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        return grad_output * w, grad_output * x


def test_each_input_gets_its_own_gradient():
    """backward returns a tuple with one gradient per forward input, in the order of forward's arguments.

    Hint: w's gradient is the second value Mul.backward returns, with the weights as grad_output.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    (Mul.apply(x, w) * torch.tensor([1.0, 10.0])).sum().backward()
    assert w.grad.tolist() == [1.0, 20.0]


def test_too_few_gradients_raise():
    """Autograd counts the values backward returns against forward's inputs, non-tensor ones included, and raises when the counts differ; the message gives both numbers.

    Hint: count forward's arguments after ctx, then backward's return values.
    """

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    x = torch.ones(2, requires_grad=True)
    with raises(RuntimeError, match=r"expected 2, got 1"):
        Scale.apply(x, 3.0).sum().backward()


def test_a_non_tensor_input_must_get_none():
    """A forward argument that is not a tensor (a Python number kept on ctx) has no gradient: its slot in backward's result must say "no gradient", and a tensor there raises, naming the slot by its position counted from 1.

    Hint: which argument of forward is the number?
    """

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.k, grad_output

    x = torch.ones(2, requires_grad=True)
    with raises(RuntimeError, match="position 2"):
        Scale.apply(x, 3.0).sum().backward()


def test_extra_trailing_nones_are_dropped():
    """backward may return more values than forward had inputs as long as the extras are all None: autograd trims them instead of raising.

    Hint: the extra values change nothing; apply Double's first return value to the weights.
    """

    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2, None, None

    x = torch.ones(2, requires_grad=True)
    (Double.apply(x) * torch.tensor([1.0, 5.0])).sum().backward()
    assert x.grad.tolist() == [2.0, 10.0]


def test_needs_input_grad_flags_each_input():
    """ctx.needs_input_grad is a tuple of booleans, one per forward argument, True where that argument is a tensor that requires grad, so that backward can skip the gradients nobody will use.

    Hint: look at each argument of the apply call.
    """
    seen = []

    class Scaled(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w, k):
            ctx.save_for_backward(x, w)
            ctx.k = k
            return x * w * k

        @staticmethod
        def backward(ctx, grad_output):
            seen.append(ctx.needs_input_grad)
            x, w = ctx.saved_tensors
            gx = grad_output * w * ctx.k if ctx.needs_input_grad[0] else None
            gw = grad_output * x * ctx.k if ctx.needs_input_grad[1] else None
            return gx, gw, None

    w = torch.tensor([3.0, 4.0], requires_grad=True)
    Scaled.apply(torch.tensor([1.0, 2.0]), w, 3).sum().backward()
    assert seen[0] == (False, True, False)


def test_gradient_shape_must_match_the_input():
    """A gradient returned by backward must have the shape of its input (or one that can be summed down to it); otherwise autograd raises, saying that backward returned an invalid gradient at the index of that input, counted from 0.

    Hint: which input's gradient has the wrong shape?
    """

    class BadScale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, s):
            return x * s.sum()

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, torch.ones(3)

    x = torch.ones(2, requires_grad=True)
    s = torch.ones(2, requires_grad=True)
    with raises(RuntimeError, match="invalid gradient at index 1"):
        BadScale.apply(x, s).sum().backward()
