"""Custom autograd Functions: forward and backward as static methods, and the ctx that joins them."""

import pytest
import torch

from kata import __


class Double(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 2


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_output


def test_apply_runs_the_static_forward():
    """A custom Function is never instantiated: Double.apply(x) calls the static forward with a fresh ctx and returns its result.

    Hint: read Double.forward.
    """
    y = Double.apply(torch.tensor([1.0, 2.0, 3.0]))
    assert y.tolist() == [2.0, 4.0, 6.0]


def test_grad_fn_is_named_after_the_function():
    """When an input requires grad, the output of apply gets a grad_fn whose class name is the Function's name with "Backward" appended.

    Hint: built-in multiplication gives MulBackward0; a custom Function has no trailing number.
    """
    x = torch.ones(2, requires_grad=True)
    y = Double.apply(x)
    assert type(y.grad_fn).__name__ == "DoubleBackward"


def test_ctx_is_the_grad_fn_of_the_output():
    """The ctx object handed to forward is the very node that becomes the output's grad_fn, so what forward stores on ctx lives in the graph.

    Hint: compare identities, not values.
    """
    seen = []

    class Remember(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            seen.append(ctx)
            return x.clone()

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    y = Remember.apply(torch.ones(2, requires_grad=True))
    assert (seen[0] is y.grad_fn) == True


def test_forward_runs_with_grad_mode_off():
    """apply runs forward with gradient recording disabled: the Function's own backward, not the ops inside forward, defines the gradient.

    Hint: torch.is_grad_enabled() is recorded from inside forward.
    """
    seen = []

    class Probe(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            seen.append(torch.is_grad_enabled())
            return x.clone()

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    Probe.apply(torch.ones(2, requires_grad=True))
    assert seen == [False]


def test_backward_turns_output_gradient_into_input_gradient():
    """backward receives the gradient of the loss with respect to forward's output and returns the gradient with respect to forward's input.

    Hint: the loss weights the three outputs by 1, 10 and 100; Double.backward doubles whatever it receives.
    """
    x = torch.ones(3, requires_grad=True)
    y = Double.apply(x)
    (y * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [2.0, 20.0, 200.0]


def test_saved_tensors_come_back_in_backward():
    """ctx.save_for_backward(x) keeps tensors for backward, which reads them back as the tuple ctx.saved_tensors; Square uses x to return 2 * x * grad_output.

    Hint: the loss is a plain sum, so grad_output is all ones.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    Square.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0, 6.0]


def test_saved_tensor_modified_in_place_is_detected():
    """Tensors passed to save_for_backward are version-checked like any saved tensor: changing one in place before backward makes backward raise.

    Hint: it is the same complaint as when a tensor saved by a built-in op is changed in place (chapter 07_inplace).
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x.clone()
    y = Square.apply(h)
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_backward_formula_checked_by_gradcheck():
    """backward must return grad_output times the derivative of forward; torch.autograd.gradcheck compares it with finite differences in float64 and raises if they disagree.

    Hint: differentiate sin; x comes back from ctx.saved_tensors.
    """

    class Sin(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin()

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * x.cos()

    x = torch.tensor([0.1, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(Sin.apply, (x,))
