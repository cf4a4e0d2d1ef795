"""ctx.mark_non_differentiable, ctx.set_materialize_grads, ctx.mark_dirty, once_differentiable and double backward."""

import pytest
import torch
from torch.autograd.function import once_differentiable

from kata import __, raises


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


def test_returning_an_input_unmarked_gives_a_new_view_of_it():
    """When forward returns one of its inputs as it is, without mark_dirty, apply does not hand back that tensor (its own history would be overwritten): the output is a new tensor object, a view of the input, whose grad_fn is the Function's node.

    Hint: three questions: the same object? a view of what? which node?
    """

    class PassThrough(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    h = torch.ones(2, requires_grad=True) * 1
    out = PassThrough.apply(h)
    assert [out is h, out._base is h, type(out.grad_fn).__name__] == [False, True, "PassThroughBackward"]


def test_non_differentiable_output_still_gets_a_zero_gradient():
    """An output marked with ctx.mark_non_differentiable comes out with requires_grad=False, yet backward still receives one argument per output; for a non-differentiable output it is a tensor of zeros shaped like that output.

    Hint: which output is grad_indices the gradient of, and what is that output's dtype?
    """
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = SortWithIndices.apply(x)
    values.sum().backward()
    assert indices.requires_grad is False
    assert SortWithIndices.seen_grad_indices.tolist() == [0, 0, 0]
    assert SortWithIndices.seen_grad_indices.dtype == torch.int64


def test_sort_backward_routes_gradient_to_original_positions():
    """Sorting only moves elements, so the gradient of each sorted value goes back to the position its element came from, which the saved indices record.

    Hint: find where each sorted value sat in x, and send its weight there.
    """
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = SortWithIndices.apply(x)
    (values * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [100.0, 1.0, 10.0]


def test_set_materialize_grads_false_passes_none():
    """By default the gradient of an output that the loss never used is materialized as a zero tensor before backward gets it; ctx.set_materialize_grads(False) turns that off, and backward receives Python's "nothing" instead.

    Hint: the loss uses only the first output; the flag is passed as forward's second argument.
    """
    seen = []

    class TwoOutputs(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, materialize):
            ctx.set_materialize_grads(materialize)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, grad_a, grad_b):
            seen.append(grad_b if grad_b is None else grad_b.tolist())
            return grad_a * 2, None

    for materialize in (True, False):
        a, b = TwoOutputs.apply(torch.ones(2, requires_grad=True), materialize)
        a.sum().backward()
    assert seen == [[0.0, 0.0], None]


def test_mark_dirty_returns_the_modified_input_itself():
    """A Function that modifies an input in place calls ctx.mark_dirty on it and returns it; the caller gets back the same tensor object, with the Function's node as its grad_fn, and apply bumps the version of each dirty tensor once more, on top of the bump of the in-place op itself, so that anything saved earlier is caught.

    Hint: count the in-place op in forward, then apply's own bump; the node is named after the class.
    """
    x = torch.ones(2, requires_grad=True)
    h = x.clone()
    y = DoubleInPlace.apply(h)
    assert y is h
    assert [h._version, type(h.grad_fn).__name__] == [2, "DoubleInPlaceBackward"]


def test_mark_dirty_on_a_leaf_raises():
    """In-place modification of a leaf that requires grad is refused, and a Function that marks such a leaf dirty is no exception.

    Hint: the message names the kind of tensor, as for any in-place op on it (chapter 07_inplace).
    """
    x = torch.ones(2, requires_grad=True)
    with raises(RuntimeError, match="leaf Variable"):
        DoubleInPlace.apply(x)


def test_dirty_input_must_be_returned():
    """Every tensor passed to ctx.mark_dirty has to be among forward's outputs; returning a copy instead raises a RuntimeError.

    Hint: the message says what forward failed to do with the marked tensors.
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

    with raises(RuntimeError, match="not returned as output"):
        Forgetful.apply(torch.ones(2, requires_grad=True).clone())


def test_once_differentiable_refuses_double_backward():
    """@once_differentiable runs backward under no_grad, so its result cannot be differentiated again: asking for a second derivative through it raises a RuntimeError.

    Hint: the message says what you tried to do to the function.
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
    with raises(RuntimeError, match="differentiate twice"):
        g.backward()


def test_a_differentiable_backward_supports_double_backward():
    """A backward written in ordinary torch ops is itself recorded when create_graph=True, so the gradient it returns can be differentiated again; torch.autograd.gradgradcheck checks that second derivative against finite differences.

    Hint: differentiate the first gradient of the sum of x * x once more.
    """

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_output

    x = torch.tensor([1.0, 3.0], requires_grad=True)
    (g,) = torch.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    g.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    assert torch.autograd.gradgradcheck(Square.apply, (x.detach().double().requires_grad_(),))
