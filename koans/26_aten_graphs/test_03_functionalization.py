"""Functionalization: rewriting mutation and views into out-of-place ops, the form compilers want."""

import torch
from torch.func import functionalize
from torch.fx.experimental.proxy_tensor import make_fx

from kata import __

aten = torch.ops.aten


def call_targets(gm):
    return [node.target for node in gm.graph.nodes if node.op == "call_function"]


def mutable_ops(gm):
    return [t for t in call_targets(gm) if isinstance(t, torch._ops.OpOverload) and t._schema.is_mutable]


def output_op(gm):
    """The target of the node whose value the graph returns."""
    return gm.graph.output_node().args[0].target


def scale_then_bump(x):
    y = x * 2
    y.add_(1)
    y.mul_(3)
    return y


def bump_input(x):
    x.add_(1)
    return x * 2


def test_plain_tracing_keeps_inplace_ops():
    """make_fx records exactly the ops that ran, so an in-place method stays an in-place aten op (its name ends in an underscore) in the graph.

    Hint: count the ops whose schema writes to an argument.
    """
    gm = make_fx(scale_then_bump)(torch.ones(3))
    assert len(mutable_ops(gm)) == __


def test_functionalize_replaces_mutation_of_a_temporary():
    """functionalize(f) runs f on wrappers that turn each in-place op into its out-of-place twin and remember the new value; a tensor created inside f needs nothing written back.

    Hint: the same three ops, each in its functional form.
    """
    gm = make_fx(functionalize(scale_then_bump))(torch.ones(3))
    assert call_targets(gm) == __
    assert gm(torch.ones(3)).tolist() == __


def test_mutating_an_input_ends_in_one_copy_back():
    """When f mutates one of its inputs, the functional graph computes the input's new value out of place and ends with a single copy_ into the input, so the caller still sees the mutation.

    Hint: one mutable op remains; and the caller's tensor holds x + 1 after the call.
    """
    gm = make_fx(functionalize(bump_input))(torch.ones(3))
    assert mutable_ops(gm) == __
    x = torch.zeros(3)
    out = gm(x)
    assert (x.tolist(), out.tolist()) == __


def test_mutating_through_a_view_rewrites_the_base():
    """A write through a view changes the base; functionalization replays it as a *_scatter op that builds a new base with the view's region replaced, and the function returns that new base.

    Hint: the view here is a diagonal; the scatter op is named after the view op.
    """

    def zero_diagonal(x):
        y = x.clone()
        y.diagonal().zero_()
        return y

    gm = make_fx(functionalize(zero_diagonal))(torch.ones(2, 2))
    assert output_op(gm) == __
    assert gm(torch.ones(2, 2)).tolist() == __


def test_indexed_assignment_is_a_write_through_a_view():
    """y[0] = v is a copy into the view y[0] (aten.select), so it becomes the scatter op named after that view.

    Hint: integer indexing on dim 0 is a select.
    """

    def set_first_row(x):
        y = x.clone()
        y[0] = 7.0
        return y

    gm = make_fx(functionalize(set_first_row))(torch.ones(2, 2))
    assert output_op(gm) == __


def test_views_can_be_removed_too():
    """functionalize(f, remove="mutations_and_views") also replaces every view op by its *_copy twin, which returns a fresh tensor, for backends that cannot alias memory.

    Hint: the view op of the body and the one that restores the base shape both get the suffix; and the caller's x still sees the write through its view.
    """

    def double_flat(x):
        y = x.view(-1)
        y.mul_(2)
        return x

    gm = make_fx(functionalize(double_flat, remove="mutations_and_views"))(torch.ones(2, 2))
    assert {t for t in call_targets(gm) if "view" in str(t)} == {__}
    x = torch.ones(2, 2)
    gm(x)
    assert x.tolist() == __
