"""ctx.mark_non_differentiable, ctx.set_materialize_grads, ctx.mark_dirty and once_differentiable."""

import pytest
import torch
from torch.autograd.function import once_differentiable

from kata import __


class SortWithIndices(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        values, indices = x.sort()
        ctx.mark_non_differentiable(indices)
        ctx.save_for_backward(indices)
        return values, indices

    @staticmethod
    def backward(ctx, grad_values, grad_indices):
        SortWithIndices.seen_grad_indices = grad_indices
        (indices,) = ctx.saved_tensors
        grad = torch.zeros_like(grad_values)
        grad[indices] = grad_values
        return grad


class DoubleInPlace(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x.mul_(2)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 2


def test_non_differentiable_output_does_not_require_grad():
    """ctx.mark_non_differentiable(t) tells autograd that an output has no gradient, so it comes out of apply with requires_grad=False.

    Hint: sort indices are integers; which of the two outputs was marked?
    """
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = SortWithIndices.apply(x)
    assert indices.requires_grad == __


def test_non_differentiable_output_still_gets_a_zero_gradient():
    """backward still receives one argument per output; for a non-differentiable output it is a tensor of zeros shaped like that output.

    Hint: the indices output has three elements.
    """
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = SortWithIndices.apply(x)
    values.sum().backward()
    assert SortWithIndices.seen_grad_indices.tolist() == __


def test_sort_backward_routes_gradient_to_original_positions():
    """Sorting only moves elements, so the gradient of each sorted value goes back to the position its element came from, which the saved indices record.

    Hint: sorted values are [1, 2, 3], taken from positions [1, 2, 0] of x; follow each weight home.
    """
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = SortWithIndices.apply(x)
    (values * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == __


def test_set_materialize_grads_false_passes_none():
    """By default an output that the loss never used reaches backward as a zero tensor; after ctx.set_materialize_grads(False) it arrives as None instead.

    Hint: the loss uses only the first output.
    """
    seen = []

    class TwoOutputs(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, grad_a, grad_b):
            seen.append(grad_b)
            return grad_a * 2

    a, b = TwoOutputs.apply(torch.ones(2, requires_grad=True))
    a.sum().backward()
    assert seen[0] is __


def test_mark_dirty_returns_the_modified_input_itself():
    """A Function that modifies an input in place calls ctx.mark_dirty on it and returns it; the caller gets back the same tensor object, now with the Function as its grad_fn.

    Hint: an identity check, not a value check.
    """
    x = torch.ones(2, requires_grad=True)
    h = x.clone()
    y = DoubleInPlace.apply(h)
    assert (y is h) == __


def test_mark_dirty_on_a_leaf_raises():
    """In-place modification of a leaf that requires grad is refused, and a Function that marks such a leaf dirty is no exception.

    Hint: it is the same complaint as for any in-place op on a leaf that requires grad (chapter 07_inplace).
    """
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=__):
        DoubleInPlace.apply(x)


def test_dirty_input_must_be_returned():
    """Every tensor passed to ctx.mark_dirty has to be among forward's outputs; returning a copy instead raises a RuntimeError.

    Hint: the message describes the elements by what the ctx method called in forward marked them as.
    """

    class Forgetful(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            x.mul_(2)
            return x.clone()

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2

    with pytest.raises(RuntimeError, match=__):
        Forgetful.apply(torch.ones(2, requires_grad=True).clone())


def test_once_differentiable_refuses_double_backward():
    """@once_differentiable runs backward under no_grad, so its result cannot be differentiated again: asking for a second derivative through it raises a RuntimeError.

    Hint: the message counts how many times you tried to differentiate a function that allows it once.
    """

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once_differentiable
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_output

    x = torch.tensor([3.0], requires_grad=True)
    (g,) = torch.autograd.grad((Square.apply(x) ** 2).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError, match=__):
        g.backward()
