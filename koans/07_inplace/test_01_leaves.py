"""In-place operations on leaves: what autograd forbids, and how initialisation gets around it."""

import pytest
import torch

from kata import __


def test_inplace_on_a_leaf_that_requires_grad_raises():
    """Autograd forbids in-place operations on a leaf that requires grad, because the value it would differentiate from would be overwritten; the error calls such a tensor by its old name, a leaf Variable.

    Hint: the message names the kind of tensor and the flag it has set.
    """
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=__):
        w.add_(1)


def test_augmented_assignment_is_in_place_but_rebinding_is_not():
    """`w += 1` is the in-place `w.add_(1)` and fails on a leaf that requires grad, while `w = w + 1` computes a new tensor and rebinds the name to it.

    Hint: the new w was computed from a tensor that requires grad.
    """
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        w += 1
    w = w + 1
    assert w.is_leaf == __
    assert type(w.grad_fn).__name__ == __


def test_item_assignment_writes_through_a_view():
    """`w[0] = 5.0` writes in place into the view w[0], so autograd reports an in-place operation on a view of a leaf.

    Hint: the message is the first koan's, with the tensor described as a view of such a leaf.
    """
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=__):
        w[0] = 5.0


def test_no_grad_permits_initialising_a_leaf_in_place():
    """Under torch.no_grad() nothing is recorded, so a leaf may be changed in place; it stays a leaf that requires grad.

    Hint: this is how weights are initialised before training starts.
    """
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        w.mul_(10)
    assert w.tolist() == __
    assert w.is_leaf == __


def test_nn_init_functions_work_on_parameters():
    """The torch.nn.init functions fill a tensor in place under no_grad themselves, so they can be applied directly to a Parameter.

    Hint: constant_ writes the given value into every element.
    """
    w = torch.nn.Parameter(torch.zeros(3))
    torch.nn.init.constant_(w, 0.5)
    assert w.tolist() == __
    assert w.requires_grad == __


def test_out_argument_is_not_differentiable():
    """Functions called with out=... write into an existing tensor and are not differentiable, so they refuse inputs that require grad.

    Hint: the message spells out in full what "autograd" abbreviates, and says such functions lack it.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    out = torch.empty(2)
    with pytest.raises(RuntimeError, match=__):
        torch.exp(x, out=out)
