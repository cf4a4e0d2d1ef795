"""In-place operations on leaves: what autograd forbids, and how initialisation gets around it."""

import pytest
import torch

from kata import __, raises


def test_inplace_on_a_leaf_is_refused_even_when_backward_needs_no_value():
    """An in-place op rebases a tensor's history: its grad_fn becomes the op's node. A leaf's gradient is collected by a node of its own at the end of the graph, so rebasing would silently turn the parameter into a non-leaf that never gets a .grad; autograd therefore refuses any in-place op on a leaf that requires grad, even one like add_ whose backward needs no saved value.

    Hint: the message calls the tensor by autograd's old name for tensors, and says which kind of them it is.
    """
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises(RuntimeError, match="leaf Variable"):
        w.add_(1)


def test_rebinding_builds_a_new_node_on_top_of_the_leaf():
    """`w += 1` is the in-place `w.add_(1)` and is refused, while `w = w + 1` computes a new tensor and rebinds the name; the new tensor's node has an edge back to the old leaf's gradient accumulator.

    Hint: follow grad_fn.next_functions one step: which node collects a leaf's gradient?
    """
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError):
        w += 1
    w = w + 1
    assert type(w.grad_fn.next_functions[0][0]).__name__ == "AccumulateGrad"


def test_no_grad_lets_init_write_into_a_leaf():
    """Under torch.no_grad() nothing is recorded, so a leaf may be written in place; the torch.nn.init functions do exactly that for you. The tensor stays the same leaf, and later gradients are computed from its new value.

    Hint: d(sum(w * w))/dw is 2w, evaluated at the values init wrote.
    """
    w = torch.nn.Parameter(torch.zeros(3))
    torch.nn.init.constant_(w, 0.5)
    with torch.no_grad():
        w[0] = 2.0
    (w * w).sum().backward()
    assert w.grad.tolist() == [4.0, 1.0, 1.0]


def test_item_assignment_on_a_leaf_is_an_inplace_op_on_a_view():
    """`w[i] = v` is an in-place copy into the view w[i], so on a leaf that requires grad it is refused like any in-place op, and the message describes the tensor as a view.

    Hint: what is the view a view of?
    """
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises(RuntimeError, match="a view of a leaf"):
        w[0] = 5.0


def test_out_argument_is_not_differentiable():
    """Functions called with out=... write into an existing tensor and record no graph, so they refuse inputs that require grad.

    Hint: the message says what such functions do not support.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    out = torch.empty(2)
    with raises(RuntimeError, match="automatic differentiation"):
        torch.exp(x, out=out)
