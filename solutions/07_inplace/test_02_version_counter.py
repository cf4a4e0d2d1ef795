"""The version counter: how autograd notices that a tensor changed after it was saved."""

import pytest
import torch

from kata import __


def test_inplace_ops_bump_the_version():
    """Every tensor carries a version counter, _version, that starts at 0 and goes up by one with each in-place modification.

    Hint: count the in-place operations; item assignment is one too.
    """
    t = torch.zeros(3)
    t.add_(1)
    t[0] = 5.0
    assert t._version == 2


def test_out_of_place_ops_leave_the_version_alone():
    """Reading a tensor, or computing a new one from it, does not change its version.

    Hint: none of these lines writes into t.
    """
    t = torch.zeros(3)
    u = t + 1
    v = t.exp()
    assert t._version == 0


def test_views_share_the_version_counter_of_their_base():
    """A view shares its version counter with its base, so writing through the view bumps the version of the base as well.

    Hint: one in-place operation touched this memory.
    """
    base = torch.zeros(4)
    v = base[:2]
    v.add_(1)
    assert base._version == 1


def test_detach_shares_the_version_counter():
    """detach() shares both the memory and the version counter with the original tensor, so an in-place change to the detached tensor is still detected.

    Hint: y's own counter moved when d was modified.
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    y = x.exp()
    d = y.detach()
    d.add_(1)
    assert y._version == 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_data_bypasses_the_version_counter():
    """Writing through .data changes the memory without bumping the version, so autograd silently uses the new value: a wrong gradient instead of an error.

    Hint: exp's backward multiplies by its saved result, which now holds 5.
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    y = x.exp()
    y.data.fill_(5.0)
    y.sum().backward()
    assert y._version == 0
    assert x.grad.tolist() == [5.0, 5.0]


def test_the_error_reports_both_versions():
    """When a saved tensor has changed, the error says which version it is at and which version the backward pass expected.

    Hint: the saved tensor was saved at version 0 and then modified twice.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.mul_(2)
    with pytest.raises(RuntimeError, match="is at version 2; expected version 0"):
        y.sum().backward()


def test_inplace_on_a_non_leaf_replaces_its_grad_fn():
    """An in-place op on a non-leaf is recorded like any other op: the tensor's grad_fn becomes the node of the in-place op.

    Hint: the last op applied to y was an addition.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.add_(1)
    assert type(y.grad_fn).__name__ == "AddBackward0"
