"""Decompositions: which aten ops are primitive, which are written in terms of others, and where that happens."""

import pytest
import torch
import torch.nn.functional as F
from torch._decomp import core_aten_decompositions, get_decompositions
from torch.fx.experimental.proxy_tensor import make_fx

from kata import __

aten = torch.ops.aten


def call_names(gm):
    """The op name of each call node: aten.sum.dim_IntList -> "sum"."""
    return [node.target.name().split("::")[1].split(".")[0] for node in gm.graph.nodes if node.op == "call_function"]


class LinearSilu(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(3, 4)

    def forward(self, x):
        return F.silu(self.linear(x))


def test_a_composite_op_has_no_backward_of_its_own():
    """An op with a CompositeImplicitAutograd kernel runs that kernel above the autograd key: its body calls other aten ops, each of which records its own backward node, so grad_fn names the last op of the decomposition.

    Hint: without a bias, what single aten op is left of F.linear once the transpose is done?
    """
    assert torch._C._dispatch_has_kernel_for_dispatch_key("aten::linear", "CompositeImplicitAutograd")
    x = torch.ones(2, 3, requires_grad=True)
    assert F.linear(x, torch.ones(4, 3)).grad_fn.name() == __


def test_square_is_a_power():
    """Tensor.square is CompositeImplicitAutograd too, defined as a call of a more general elementwise op with a fixed exponent.

    Hint: the backward node is named after the general op, in the style SomethingBackward0.
    """
    x = torch.ones(2, requires_grad=True)
    assert x.square().grad_fn.name() == __


def test_which_ops_decompose_above_autograd():
    """An op that only chooses which other ops to call is CompositeImplicitAutograd (matmul picks mm, bmm or dot from the ranks; reshape picks a view or a copy), and its grad_fn names another op; an op with its own derivative formula in derivatives.yaml and its own CPU kernel is not.

    Hint: keep the names of the ops whose backward node, in the koans above, carried some other op's name, and those that only choose.
    """
    names = ["mm", "matmul", "relu", "square", "reshape"]
    composite = [n for n in names if torch._C._dispatch_has_kernel_for_dispatch_key(f"aten::{n}", "CompositeImplicitAutograd")]
    assert composite == __


def test_a_decomposition_table_rewrites_an_op_while_tracing():
    """make_fx(decomposition_table=...) replaces each op found in the table by the Python decomposition stored for it, so the graph holds the ops that decomposition calls; silu(x) is x * sigmoid(x).

    Hint: names only, in the order the formula computes them.
    """
    table = get_decompositions([aten.silu])
    gm = make_fx(lambda x: F.silu(x), decomposition_table=table)(torch.ones(3))
    assert call_names(gm) == __


def test_softmax_decomposes_into_the_stable_formula():
    """The decomposition of aten._softmax is the numerically stable softmax: subtract the maximum along the dim, exponentiate, divide by the sum along the dim.

    Hint: five ops; the maximum along a dim of a tensor is amax, and the sum along a dim is sum.
    """
    table = get_decompositions([aten._softmax])
    gm = make_fx(lambda x: x.softmax(-1), decomposition_table=table)(torch.ones(2, 3))
    assert call_names(gm) == __


def test_the_core_opset_is_tagged():
    """The core ATen opset is the small set of ops, each tagged torch.Tag.core, that a backend must implement; every other op has a decomposition into it, collected in core_aten_decompositions(). Activations that need their own math (erf, exp) are core; those that are a product of core ops are not.

    Hint: silu is x * sigmoid(x); gelu needs erf; relu is a primitive of every backend.
    """
    ops = {"gelu": aten.gelu.default, "silu": aten.silu.default, "relu": aten.relu.default}
    core = [name for name, op in ops.items() if torch.Tag.core in op.tags]
    assert core == __
    assert [name for name, op in ops.items() if op in core_aten_decompositions()] == __


def test_transpose_is_not_core():
    """A 2-d transpose aten.t is not in the core opset: it decomposes into the general dimension-reordering op, which is.

    Hint: the op that takes a full new order of all dimensions, not just two to swap.
    """
    gm = make_fx(lambda w: w.t(), decomposition_table=core_aten_decompositions())(torch.ones(4, 3))
    assert call_names(gm) == [__]


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_export_keeps_composite_ops_until_asked():
    """torch.export's graph keeps composite ops such as aten.linear as single nodes (so that later passes can still see them); ExportedProgram.run_decompositions() lowers it to the core ATen opset.

    Hint: linear becomes a transposition (in its core form) and the fused multiply-add; silu becomes its formula.
    """
    ep = torch.export.export(LinearSilu(), (torch.ones(2, 3),))
    assert call_names(ep.graph_module) == __
    assert call_names(ep.run_decompositions().graph_module) == __


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_run_decompositions_keeps_ops_removed_from_its_table():
    """run_decompositions(table) decomposes only the ops in the table it is given; torch.export.default_decompositions() is the full table, and popping an op from it keeps that op in the graph, for a backend with its own kernel.

    Hint: one op was popped; the other is still lowered as before.
    """
    table = torch.export.default_decompositions()
    table.pop(aten.silu.default)
    ep = torch.export.export(LinearSilu(), (torch.ones(2, 3),)).run_decompositions(table)
    assert call_names(ep.graph_module) == __
