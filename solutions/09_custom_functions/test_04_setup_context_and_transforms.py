"""The setup_context style, vmap support, torch.func transforms and a custom jvp for forward mode."""

import pytest
import torch
import torch.autograd.forward_ad as fwAD

from kata import __, raises


class Cube(torch.autograd.Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x):
        return x**3

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x**2 * grad_output


class CubeWithoutVmap(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x**3

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x**2 * grad_output


class OldStyleCube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x**2 * grad_output


def test_setup_context_receives_the_inputs_tuple_and_the_output():
    """In the setup_context style forward takes no ctx; afterwards setup_context(ctx, inputs, output) gets the tuple of all of forward's arguments, non-tensors included, and exactly what forward returned.

    Hint: what types are the arguments of the apply call, and what does forward return?
    """
    seen = {}

    class ScaleAndShift(torch.autograd.Function):
        @staticmethod
        def forward(x, k):
            return x * k, x + k

        @staticmethod
        def setup_context(ctx, inputs, output):
            seen["inputs"] = [type(i).__name__ for i in inputs]
            seen["output"] = [o.tolist() for o in output]
            ctx.k = inputs[1]

        @staticmethod
        def backward(ctx, grad_scaled, grad_shifted):
            return grad_scaled * ctx.k + grad_shifted, None

    ScaleAndShift.apply(torch.tensor([1.0, 2.0]), 3)
    assert seen["inputs"] == ["Tensor", "int"]
    assert seen["output"] == [[3.0, 6.0], [4.0, 5.0]]


def test_generate_vmap_rule_lets_vmap_batch_the_function():
    """With setup_context and generate_vmap_rule = True, torch.func.vmap can map a custom Function over a batch dimension by running its forward on batched tensors.

    Hint: each row is cubed elementwise.
    """
    batch = torch.arange(6.0).reshape(3, 2)
    assert torch.func.vmap(Cube.apply)(batch).tolist() == [[0.0, 1.0], [8.0, 27.0], [64.0, 125.0]]


def test_vmap_without_a_rule_raises():
    """A setup_context Function that neither sets generate_vmap_rule nor defines a vmap staticmethod cannot be vmapped: vmap raises a RuntimeError.

    Hint: the message says what CubeWithoutVmap lacks.
    """
    with raises(RuntimeError, match="does not have vmap support"):
        torch.func.vmap(CubeWithoutVmap.apply)(torch.ones(3, 2))


def test_old_style_function_refuses_torch_func_transforms():
    """torch.func transforms (grad, vmap, jvp, jacrev, ...) only accept custom Functions written in the setup_context style; a forward that takes ctx makes them raise.

    Hint: the message says what such a Function must do to be accepted.
    """
    with raises(RuntimeError, match="must override the setup_context"):
        torch.func.grad(lambda t: OldStyleCube.apply(t).sum())(torch.tensor([1.0, 2.0]))


def test_torch_func_grad_uses_the_custom_backward():
    """torch.func.grad differentiates through a custom Function by calling its backward, whatever that backward returns, just as .backward() does.

    Hint: t reaches the sum along two paths, one through the Function and one around it; add the two.
    """

    class ScaleGradient(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x.clone()

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 10

    g = torch.func.grad(lambda t: (ScaleGradient.apply(t) * t).sum())(torch.tensor([1.0, 2.0]))
    assert g.tolist() == [11.0, 22.0]


def test_custom_jvp_drives_forward_mode():
    """Forward-mode AD calls the Function's static jvp(ctx, tangent), which must return the output's tangent: the derivative times the input's tangent.

    Hint: the output's tangent is the derivative of forward at x times the input's tangent.
    """

    class CubeJvp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_forward(x)
            return x**3

        @staticmethod
        def backward(ctx, grad_output):
            raise NotImplementedError

        @staticmethod
        def jvp(ctx, x_tangent):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * x_tangent

    with fwAD.dual_level():
        dual = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 1.0]))
        tangent = fwAD.unpack_dual(CubeJvp.apply(dual)).tangent
    assert tangent.tolist() == [3.0, 12.0]


def test_forward_mode_without_jvp_raises():
    """A custom Function that defines only backward cannot be used with forward-mode AD: applying it to a dual tensor raises NotImplementedError.

    Hint: the message says what you must do for forward mode.
    """
    with fwAD.dual_level():
        dual = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 1.0]))
        with raises(NotImplementedError, match="must implement the jvp"):
            OldStyleCube.apply(dual)
