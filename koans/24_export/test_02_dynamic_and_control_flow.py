"""Dynamic dimensions and control flow under torch.export."""

import pytest
import torch
from torch.export import Dim, export

from kata import __, raises


class Double(torch.nn.Module):
    def forward(self, x):
        return x * 2


class ValueBranch(torch.nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x + 1
        return x - 1


class CondBranch(torch.nn.Module):
    def forward(self, x):
        return torch.cond(x.sum() > 0, lambda x: x + 1, lambda x: x - 1, (x,))


def test_dim_makes_a_dimension_symbolic():
    """dynamic_shapes={"x": {0: Dim("batch", max=...)}} exports dimension 0 of x as a bounded symbol: the program accepts any size in the symbol's range there (ep.range_constraints records it), while every other dimension stays fixed to the example's and is checked when the program runs.

    Hint: for each shape, check the dynamic dimension against its bound and the static one against the example.
    """
    ep = export(Double(), (torch.ones(4, 3),), dynamic_shapes={"x": {0: Dim("batch", max=8)}})
    module = ep.module()
    accepted = []
    for shape in [(7, 3), (2, 3), (9, 3), (4, 5)]:
        try:
            module(torch.ones(shape))
            accepted.append(shape)
        except Exception:
            pass
    assert accepted == __


def test_symbolic_size_is_a_symint():
    """Each placeholder's node.meta["val"] is a fake tensor whose dynamic sizes are torch.SymInt and whose static sizes are plain ints.

    Hint: which dimension was declared dynamic?
    """
    ep = export(Double(), (torch.ones(4, 3),), dynamic_shapes={"x": {0: Dim("batch")}})
    x = [node for node in ep.graph.nodes if node.op == "placeholder"][0]
    assert [type(size) for size in x.meta["val"].shape] == __


def test_branch_on_a_value_cannot_be_exported():
    """Export records one graph for every input, so an `if` on a tensor's value cannot be decided: export fails with a RuntimeError saying it could not guard on an expression whose value depends on the input's data.

    Hint: the message's hyphenated adjective for such an expression.
    """
    with raises(RuntimeError, match=__):
        export(ValueBranch(), (torch.ones(2),))


def test_torch_cond_exports_both_branches():
    """torch.cond(pred, true_fn, false_fn, operands) is a higher-order operator (torch.ops.higher_order.cond, one that takes graphs as arguments): export records both branches as subgraphs, fetched with get_attr nodes, and the program picks one at run time.

    Hint: one subgraph per branch, named after it.
    """
    ep = export(CondBranch(), (torch.ones(2),))
    subgraphs = [node.target for node in ep.graph.nodes if node.op == "get_attr"]
    assert subgraphs == __
    assert torch.ops.higher_order.cond in [node.target for node in ep.graph.nodes]


def test_exported_cond_takes_either_branch():
    """The exported program evaluates the predicate when it runs, so one program handles positive and negative sums.

    Hint: the predicate is evaluated on each call's input, not on the example's.
    """
    module = export(CondBranch(), (torch.ones(2),)).module()
    assert module(torch.tensor([1.0, 2.0])).tolist() == __
    assert module(torch.tensor([-1.0, -2.0])).tolist() == __


def test_torch_cond_runs_eagerly_too():
    """Outside export, torch.cond simply evaluates the predicate, a boolean tensor with one element, and calls the branch it selects on the operands.

    Hint: compare the largest element with twice the mean exactly; `>` is strict.
    """
    x = torch.tensor([1.0, 2.0, 6.0])
    out = torch.cond(x.max() > 2 * x.mean(), lambda x: x * 10, lambda x: x - 1, (x,))
    assert out.tolist() == __
