"""Custom operators in depth: inferred schemas, per-device kernels, what opcheck proves and what it cannot, and how torch.compile sees the op."""

from typing import Optional

import torch

from kata import __

# koans/ and solutions/ both import this file; an operator can be defined only
# once per process, so each is defined only if it is missing.
if not hasattr(torch.ops.kata, "sum_dims"):

    @torch.library.custom_op("kata::sum_dims", mutates_args=())
    def sum_dims(x: torch.Tensor, dims: list[int], scale: Optional[float] = None) -> torch.Tensor:
        out = x.sum(dims)
        return out * scale if scale is not None else out

if not hasattr(torch.ops.kata, "sin_cos"):

    @torch.library.custom_op("kata::sin_cos", mutates_args=())
    def sin_cos(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return x.sin(), x.cos()

if not hasattr(torch.ops.kata, "bump"):

    @torch.library.custom_op("kata::bump", mutates_args=())
    def bump(x: torch.Tensor) -> torch.Tensor:
        return x + 1

    @bump.register_kernel("cpu")
    def _(x):
        return x + 100

    @bump.register_fake
    def _(x):
        return torch.empty_like(x)

if not hasattr(torch.ops.kata, "square_badly"):

    @torch.library.custom_op("kata::square_badly", mutates_args=())
    def square_badly(x: torch.Tensor) -> torch.Tensor:
        return x * x

    @square_badly.register_fake
    def _(x):
        return torch.empty_like(x)

    def _save_x(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    # Wrong on purpose: d(x * x)/dx is 2x, this returns grad * x.
    square_badly.register_autograd(lambda ctx, grad: grad * ctx.saved_tensors[0], setup_context=_save_x)

if not hasattr(torch.ops.kata, "product"):

    @torch.library.custom_op("kata::product", mutates_args=())
    def product(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return x * y

    @product.register_fake
    def _(x, y):
        return torch.empty_like(x)

    def _save_both(ctx, inputs, output):
        ctx.save_for_backward(*inputs)

    def _product_backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad * y, grad * x

    product.register_autograd(_product_backward, setup_context=_save_both)


def test_schema_inference_maps_each_python_type():
    """custom_op writes the schema from the annotations: a list[int] becomes SymInt[] (so that sizes may stay symbolic under torch.compile), Optional[T] becomes T?, and a default value is kept after `=`.

    Hint: namespace::name(type name, ...) -> return type, in the order of the parameters.
    """
    schema = torch.ops.kata.sum_dims.default._schema
    assert str(schema) == __
    assert torch.ops.kata.sum_dims(torch.ones(2, 3), [1], 0.5).tolist() == __


def test_a_tuple_annotation_gives_several_returns():
    """A return annotation tuple[Tensor, Tensor] declares two returns in the schema, and the call returns a Python tuple of that length.

    Hint: sin and cos of zero.
    """
    schema = torch.ops.kata.sin_cos.default._schema
    assert len(schema.returns) == __
    s, c = torch.ops.kata.sin_cos(torch.zeros(2))
    assert [s.tolist(), c.tolist()] == __


def test_a_device_kernel_overrides_the_default():
    """The function decorated by custom_op is the kernel for every device; register_kernel("cpu") adds a kernel for the CPU dispatch key, which the dispatcher prefers for CPU tensors, while meta tensors still use the fake kernel.

    Hint: which of the two bodies runs for a CPU tensor?
    """
    assert torch.ops.kata.bump(torch.zeros(1)).tolist() == __
    assert torch.ops.kata.bump(torch.zeros(3, device="meta")).shape == __


def test_opcheck_checks_registrations_not_math():
    """opcheck tests that an op's schema, fake kernel, autograd registration and AOTAutograd behaviour agree with each other, not that the backward formula is the derivative; torch.autograd.gradcheck compares the formula with finite differences.

    Hint: square_badly's formula is consistent but wrong; and its gradient at x is the formula's value, not 2x.
    """
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    report = torch.library.opcheck(torch.ops.kata.square_badly, (x,))
    opcheck_passed = all(result == "SUCCESS" for result in report.values())
    gradcheck_passed = torch.autograd.gradcheck(torch.ops.kata.square_badly, (x,), raise_exception=False)
    assert (opcheck_passed, gradcheck_passed) == __
    torch.ops.kata.square_badly(x).sum().backward()
    assert x.grad.tolist() == __


def test_backward_returns_one_gradient_per_input():
    """The backward formula returns one gradient per input, in the order of the inputs, and may read the tensors setup_context saved with ctx.save_for_backward.

    Hint: the derivative of x * y with respect to each factor is the other factor.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = torch.tensor([3.0, 4.0], requires_grad=True)
    torch.ops.kata.product(x, y).sum().backward()
    assert (x.grad.tolist(), y.grad.tolist()) == __


def test_dynamo_keeps_a_custom_op_opaque():
    """Dynamo does not trace into a custom op's Python body: it runs the fake kernel for the output's metadata and records the op as one node, its default overload, next to the Python operators around it.

    Hint: count the calls Dynamo can see from outside the op: does the `+ 1` inside the body get a node?
    """
    graphs = []

    def keep(gm, example_inputs):
        graphs.append(gm)
        return gm.forward

    out = torch.compile(lambda x: torch.ops.kata.bump(x) * 2, backend=keep, fullgraph=True)(torch.zeros(2))
    assert len([node for node in graphs[0].graph.nodes if node.op == "call_function"]) == __
    assert out.tolist() == __
