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


def test_each_apply_records_one_node_named_after_the_function():
    """A custom Function is never instantiated: F.apply(x) calls the static forward with a fresh ctx and, when an input requires grad, records a single node for the whole call, named after the class with "Backward" appended (no trailing number).

    Hint: read the graph from the output down to the leaf's gradient accumulator.
    """
    x = torch.ones(2, requires_grad=True)
    y = Square.apply(Double.apply(x))
    node, chain = y.grad_fn, []
    while node is not None:
        chain.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
    assert chain == ["SquareBackward", "DoubleBackward", "AccumulateGrad"]


def test_ctx_is_the_grad_fn_of_the_output():
    """The ctx object handed to forward is the very node that becomes the output's grad_fn, so what forward stores on ctx can be read back from the graph.

    Hint: which object is y.grad_fn?
    """

    class Remember(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.note = x.numel() * 10
            return x.clone()

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    y = Remember.apply(torch.ones(3, requires_grad=True))
    assert y.grad_fn.note == 30


def test_the_custom_backward_defines_the_gradient_not_the_ops_in_forward():
    """apply runs forward with gradient recording disabled, so the ops inside forward leave no graph: the Function's own backward alone defines the gradient, even when it is not the derivative of forward.

    Hint: forward computes exp, but autograd only ever calls Probe.backward.
    """

    class Probe(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.exp()

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 3

    x = torch.tensor([0.0, 1.0], requires_grad=True)
    Probe.apply(x).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_backward_turns_output_gradient_into_input_gradient():
    """backward receives the gradient of the loss with respect to forward's output and returns the gradient with respect to forward's input.

    Hint: the weights are grad_output; read Double.backward.
    """
    x = torch.ones(3, requires_grad=True)
    y = Double.apply(x)
    (y * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [2.0, 20.0, 200.0]


def test_saved_tensors_come_back_in_backward():
    """ctx.save_for_backward(x) keeps tensors for backward, which reads them back as the tuple ctx.saved_tensors; each apply has its own ctx, so two Squares in a row each see their own input.

    Hint: the chain rule through two nodes: the outer one's grad_output is what the inner one gets.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    Square.apply(Square.apply(x)).sum().backward()
    assert x.grad.tolist() == [4.0, 32.0, 108.0]


def test_a_tensor_kept_on_ctx_is_not_version_checked():
    """Only ctx.save_for_backward creates saved variables: they are version-checked (an in-place change before backward raises) and seen by saved-tensor hooks. A tensor stored as a plain attribute, ctx.x = x, is none of that, so an in-place change slips through and backward computes with the new value.

    Hint: what does h hold when backward reads ctx.x?
    """

    class SquareOnCtx(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.x = x
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            return 2 * ctx.x * grad_output

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x.clone()
    checked = Square.apply(h)
    unchecked = SquareOnCtx.apply(h)
    h.add_(1)
    with pytest.raises(RuntimeError):
        checked.sum().backward()
    unchecked.sum().backward()
    assert x.grad.tolist() == [4.0, 6.0]


def test_only_save_for_backward_reaches_saved_tensor_hooks():
    """saved_tensors_hooks see exactly the tensors passed to save_for_backward (pack runs once for each), never tensors kept as ctx attributes; storing an output on ctx also makes a reference cycle, ctx to output to ctx, that leaks memory.

    Hint: count the tensors passed to save_for_backward in both calls.
    """

    class Both(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x)
            ctx.y = y
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * ctx.y, grad_output * x

    packed = []
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: packed.append(t.tolist()) or t, lambda t: t):
        Both.apply(a, a * 3)
        Square.apply(a * 2)
    assert packed == [[1.0, 2.0], [2.0, 4.0]]


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
