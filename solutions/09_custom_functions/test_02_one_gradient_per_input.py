"""backward returns one gradient per forward input: tensors, None for the rest, and only what is needed."""

import pytest
import torch

from kata import __


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
    """backward returns a tuple with one gradient per forward input, in the order of forward's arguments; Mul returns grad * w for x and grad * x for w.

    Hint: the gradient of x * w with respect to w is x.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    Mul.apply(x, w).sum().backward()
    assert w.grad.tolist() == [1.0, 2.0]


def test_too_few_gradients_raise():
    """Autograd counts the values backward returns against forward's inputs and raises a RuntimeError when there are too few.

    Hint: forward took two inputs and backward returned one value; the message judges that count with a single adjective, the opposite of correct.
    """

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        Scale.apply(x, 3.0).sum().backward()


def test_non_tensor_input_gets_none():
    """A forward argument that is not a tensor (a Python number kept on ctx) has no gradient: backward must return None in its place, anything else raises.

    Hint: Python's value for "nothing".
    """

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.k, None

    x = torch.ones(2, requires_grad=True)
    Scale.apply(x, 3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_extra_trailing_nones_are_dropped():
    """backward may return more values than forward had inputs as long as the extras are all None: autograd trims them instead of raising.

    Hint: Double's single input still gets grad_output * 2.
    """

    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2, None, None

    x = torch.ones(2, requires_grad=True)
    Double.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_needs_input_grad_flags_each_input():
    """ctx.needs_input_grad is a tuple of booleans, one per forward argument, telling backward which gradients will be used so that it can skip the others.

    Hint: only x requires grad; w is a plain tensor and 3 is a Python int.
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

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    Scaled.apply(x, torch.tensor([3.0, 4.0]), 3).sum().backward()
    assert seen[0] == (True, False, False)


def test_gradient_shape_must_match_the_input():
    """A gradient returned by backward must have the shape of its input (or one that can be summed down to it); otherwise autograd raises a RuntimeError saying that backward returned an invalid gradient at the index of that input.

    Hint: x is forward's only input, and indices count from 0.
    """

    class BadSum(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, grad_output):
            return torch.ones(3)

    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="invalid gradient at index 0"):
        BadSum.apply(x).backward()
