"""In-place operations through views: of leaves, of non-leaves, and of views made under no_grad."""

import pytest
import torch

from kata import __


def test_a_view_remembers_its_base():
    """A view keeps a reference to the tensor it views in its ._base attribute, and a view of a tensor that requires grad is not a leaf.

    Hint: the base is the tensor that was sliced.
    """
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = w[:2]
    assert v._base is w
    assert v.is_leaf == False


def test_view_made_under_no_grad_cannot_be_modified_with_grad():
    """A view created in no_grad mode and then modified in place with grad mode on is ambiguous, so autograd forbids it.

    Hint: the message starts by saying that a view was created in some mode.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    with torch.no_grad():
        v = y[:2]
    with pytest.raises(RuntimeError, match="created in no_grad mode"):
        v.mul_(2)


def test_inplace_on_a_view_rewrites_the_base_grad_fn():
    """Modifying a view of a non-leaf in place changes its base as well, so autograd replaces the base's grad_fn with a CopySlices node.

    Hint: the class name is the node's own name, without "Backward".
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    base = x * 1
    base[0] = 10.0
    assert type(base.grad_fn).__name__ == "CopySlices"


def test_overwritten_elements_get_no_gradient():
    """After an element of a non-leaf is overwritten in place, the result no longer depends on the old value there, so that element's gradient is zero.

    Hint: only the first element was replaced by a constant.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    base = x * 1
    base[0] = 10.0
    base.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0]
