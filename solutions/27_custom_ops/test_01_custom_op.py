"""Custom operators: torch.library.custom_op, fake kernels and autograd formulas."""

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

from kata import __, raises

# koans/ and solutions/ both import this file; registering an op twice would
# silently replace the first registration, so each op is defined only once.
if not hasattr(torch.ops.kata, "times_k"):

    @torch.library.custom_op("kata::times_k", mutates_args=())
    def times_k(x: torch.Tensor, k: float) -> torch.Tensor:
        return x * k

    @times_k.register_fake
    def _(x, k):
        return torch.empty_like(x)

    def _setup_context(ctx, inputs, output):
        ctx.k = inputs[1]

    def _backward(ctx, grad):
        return grad * ctx.k, None

    times_k.register_autograd(_backward, setup_context=_setup_context)

if not hasattr(torch.ops.kata, "times_k_eager_only"):

    @torch.library.custom_op("kata::times_k_eager_only", mutates_args=())
    def times_k_eager_only(x: torch.Tensor, k: float) -> torch.Tensor:
        return x * k

if not hasattr(torch.ops.kata, "passthrough"):

    @torch.library.custom_op("kata::passthrough", mutates_args=())
    def passthrough(x: torch.Tensor) -> torch.Tensor:
        return x

if not hasattr(torch.ops.kata, "fill_with"):

    @torch.library.custom_op("kata::fill_with", mutates_args=("x",))
    def fill_with(x: torch.Tensor, value: float) -> None:
        x.fill_(value)


class TimesTwoPlusOne(torch.nn.Module):
    def forward(self, x):
        return torch.ops.kata.times_k(x, 2.0) + 1


def test_custom_op_is_reachable_through_torch_ops():
    """custom_op("ns::name") registers the function with the dispatcher, so it can be called as torch.ops.ns.name like any aten op.

    Hint: times_k multiplies by k.
    """
    out = torch.ops.kata.times_k(torch.tensor([1.0, 2.0]), 3.0)
    assert out.tolist() == [3.0, 6.0]


def test_schema_is_inferred_from_type_hints():
    """custom_op builds the operator's schema from the function's type annotations: torch.Tensor becomes Tensor and float becomes float.

    Hint: namespace::name(arguments) -> return type.
    """
    schema = torch.ops.kata.times_k.default._schema
    assert str(schema) == "kata::times_k(Tensor x, float k) -> Tensor"


def test_mutated_arguments_appear_in_the_schema():
    """mutates_args names the inputs the op writes to; the schema marks them with an alias annotation and is_mutable becomes true.

    Hint: the op fills x in place.
    """
    x = torch.zeros(2)
    torch.ops.kata.fill_with(x, 7.0)
    assert x.tolist() == [7.0, 7.0]
    assert torch.ops.kata.fill_with.default._schema.is_mutable is True


def test_register_fake_gives_shapes_under_fake_mode():
    """register_fake supplies a kernel that only computes output metadata; FakeTensorMode, meta tensors, export and compile use it instead of the real code.

    Hint: the fake kernel returns empty_like(x).
    """
    with FakeTensorMode():
        out = torch.ops.kata.times_k(torch.ones(4, 5), 2.0)
    assert out.shape == (4, 5)


def test_op_without_fake_kernel_cannot_be_traced():
    """Without register_fake there is no way to know an op's output shape without running it, so fake execution raises a RuntimeError.

    Hint: the message says which kind of kernel register_fake would have added, and that none was registered.
    """
    with raises(RuntimeError, match="no fake impl registered"):
        with FakeTensorMode():
            torch.ops.kata.times_k_eager_only(torch.ones(2), 2.0)


def test_register_autograd_makes_the_op_differentiable():
    """register_autograd(backward, setup_context=...) attaches a gradient formula; backward returns one gradient per input, None for non-tensors.

    Hint: the derivative of k * x with respect to x is k.
    """
    x = torch.ones(2, requires_grad=True)
    torch.ops.kata.times_k(x, 3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_op_without_autograd_formula_refuses_backward():
    """Without a registered autograd formula, backward through a custom op raises a RuntimeError instead of guessing.

    Hint: the message says that what register_autograd would have attached is missing.
    """
    x = torch.ones(2, requires_grad=True)
    out = torch.ops.kata.times_k_eager_only(x, 3.0).sum()
    with raises(RuntimeError, match="no autograd formula was registered"):
        out.backward()


def test_custom_op_must_not_return_an_input():
    """A custom op's outputs may not alias its inputs; returning an input unchanged is caught at call time.

    Hint: the message advises returning x.clone() instead; find its clause about aliasing.
    """
    with raises(RuntimeError, match="may not alias any inputs"):
        torch.ops.kata.passthrough(torch.ones(2))


def test_custom_op_stays_one_node_under_export():
    """torch.export traces through the fake kernel and keeps the custom op as one opaque call_function node next to the aten ops.

    Hint: the node's target is the op's default overload.
    """
    ep = torch.export.export(TimesTwoPlusOne(), (torch.ones(2),))
    targets = [node.target for node in ep.graph.nodes if node.op == "call_function"]
    assert targets == [torch.ops.kata.times_k.default, torch.ops.aten.add.Tensor]
    assert ep.module()(torch.tensor([1.0, 2.0])).tolist() == [3.0, 5.0]
