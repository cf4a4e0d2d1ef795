"""In-place operations through views: of leaves, of non-leaves, and of views made under no_grad."""

import pytest
import torch

from kata import __, raises


def test_a_view_of_a_tensor_that_requires_grad_records_its_view_op():
    """A view of a tensor that requires grad keeps its base in ._base and is not a leaf: its grad_fn is the backward node of the view op, named after the ATen op that made it.

    Hint: slicing with a range and indexing with one integer are two different ATen view ops.
    """
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    assert w[:2]._base is w
    assert [w[:2].grad_fn.name(), w[1].grad_fn.name()] == __


def test_view_made_under_no_grad_cannot_be_modified_with_grad():
    """A view made while grad mode was off and then modified in place with grad mode on is ambiguous (should the write be tracked through the base or not?), so autograd forbids it.

    Hint: the message says in which mode the view was made.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    with torch.no_grad():
        v = y[:2]
    with raises(RuntimeError, match=__):
        v.mul_(2)


def test_inplace_on_a_view_rewrites_the_base_grad_fn():
    """Writing into a view of a non-leaf changes its base as well, so autograd gives the base a new grad_fn, a CopySlices node, whose first input edge leads to the node the base had before.

    Hint: which op made base before the write?
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    base = x * 1
    base[0] = 10.0
    assert type(base.grad_fn).__name__ == "CopySlices"
    assert base.grad_fn.next_functions[0][0].name() == __


def test_overwritten_elements_get_no_gradient():
    """After an element of a non-leaf is overwritten in place, the result no longer depends on the old value there, so that element's gradient is zero.

    Hint: only the first element was replaced by a constant.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    base = x * 1
    base[0] = 10.0
    base.sum().backward()
    assert x.grad.tolist() == __


def test_views_from_a_multi_output_op_refuse_inplace():
    """Ops that return several views at once (unbind, split, chunk) cannot give each view its own rebased history, so under grad mode an in-place write into one of their outputs is refused; the message names which output of which op it is, in the "output N of Op" form.

    Hint: outputs are counted from 0; which one is q?
    """
    y = torch.arange(4.0, requires_grad=True) * 1
    p, q = y.view(2, 2).unbind()
    with raises(RuntimeError, match=__):
        q.mul_(2)
