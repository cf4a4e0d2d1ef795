"""Dynamic dimensions and control flow under torch.export."""

import pytest
import torch
from torch.export import Dim, export

from kata import __


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
    """dynamic_shapes={"x": {0: Dim("batch")}} exports dimension 0 of x as a symbol, so the program accepts any batch size.

    Hint: the example had 4 rows; the call has 7.
    """
    ep = export(Double(), (torch.ones(4, 3),), dynamic_shapes={"x": {0: Dim("batch")}})
    assert ep.module()(torch.ones(7, 3)).shape == __


def test_symbolic_size_is_a_symint():
    """Each placeholder's node.meta["val"] is a fake tensor whose dynamic sizes are torch.SymInt and whose static sizes are plain ints.

    Hint: only dimension 0 was declared dynamic.
    """
    ep = export(Double(), (torch.ones(4, 3),), dynamic_shapes={"x": {0: Dim("batch")}})
    x = [node for node in ep.graph.nodes if node.op == "placeholder"][0]
    shape = x.meta["val"].shape
    assert type(shape[0]) is __
    assert shape[1] == __


def test_dim_bounds_become_range_constraints():
    """Dim(name, min=..., max=...) bounds the symbol, and ep.range_constraints records the range of every symbol.

    Hint: the range's lower and upper ends are the bounds given.
    """
    ep = export(Double(), (torch.ones(4, 3),), dynamic_shapes={"x": {0: Dim("batch", min=2, max=8)}})
    (value_range,) = ep.range_constraints.values()
    assert (value_range.lower, value_range.upper) == __


def test_branch_on_a_value_cannot_be_exported():
    """Export records one graph for every input, so an `if` on a tensor's value cannot be decided and export fails with a RuntimeError about guarding on a data-dependent expression.

    Hint: the message names the kind of expression whose value depends on the input's data, hyphenated as in this docstring.
    """
    with pytest.raises(RuntimeError, match=__):
        export(ValueBranch(), (torch.ones(2),))


def test_torch_cond_exports_both_branches():
    """torch.cond(pred, true_fn, false_fn, operands) records both branches as subgraphs, fetched with get_attr nodes, and picks one at run time.

    Hint: one subgraph per branch, named after it.
    """
    ep = export(CondBranch(), (torch.ones(2),))
    subgraphs = [node.target for node in ep.graph.nodes if node.op == "get_attr"]
    assert subgraphs == __


def test_torch_cond_is_a_higher_order_op():
    """In the exported graph the branch is a call to torch.ops.higher_order.cond, an operator that takes other graphs as arguments.

    Hint: the namespace for operators that take functions is higher_order.
    """
    ep = export(CondBranch(), (torch.ones(2),))
    calls = [node.target for node in ep.graph.nodes if node.op == "call_function"]
    assert __ in calls


def test_exported_cond_takes_either_branch():
    """The exported program evaluates the predicate when it runs, so one program handles positive and negative sums.

    Hint: positive sum adds one, otherwise subtracts one.
    """
    module = export(CondBranch(), (torch.ones(2),)).module()
    assert module(torch.tensor([1.0, 2.0])).tolist() == __
    assert module(torch.tensor([-1.0, -2.0])).tolist() == __


def test_torch_cond_runs_eagerly_too():
    """Outside export, torch.cond simply calls the branch the predicate selects.

    Hint: the predicate is a 0-d boolean tensor that is False.
    """
    out = torch.cond(torch.tensor(False), lambda x: x * 10, lambda x: x * 0, (torch.tensor([1.0]),))
    assert out.tolist() == __
