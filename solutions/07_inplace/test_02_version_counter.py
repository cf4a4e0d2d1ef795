"""The version counter: how autograd notices that a tensor changed after it was saved."""

import pytest
import torch

from kata import __, raises


def test_each_inplace_write_bumps_the_version():
    """A tensor made outside inference mode carries a version counter, _version, that starts at 0 and goes up by one with each in-place write into its memory, whether through the tensor itself or through a view of it; reading or computing new tensors leaves it alone.

    Hint: go line by line and ask of each: does it write into t's memory?
    """
    t = torch.zeros(3)
    t.add_(1)
    u = t + 1
    t[0] = 5.0
    t[1:].zero_()
    v = t.view(3)
    w = v.exp()
    assert t._version == 3


def test_a_view_reports_its_bases_version():
    """A view does not get a counter of its own: it shares its base's, so it reports every write into the shared memory, including those made before the view existed.

    Hint: count all the in-place writes into base, before and after v was made.
    """
    base = torch.zeros(4)
    base.add_(1)
    v = base[:2]
    base.mul_(2)
    assert v._version == 2


def test_detach_shares_the_version_counter():
    """detach() returns an alias that shares the memory and the version counter with the original, so an in-place change to the detached tensor is still detected by backward.

    Hint: exp saved y for its backward; what does y's counter say now?
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    y = x.exp()
    d = y.detach()
    d.add_(1)
    assert y._version == 1
    with pytest.raises(RuntimeError):
        y.sum().backward()


def test_data_bypasses_the_version_counter():
    """.data returns an alias of the memory with its own, fresh version counter: writing through it bumps that alias's counter, not the original's, so autograd silently uses the new value: a wrong gradient instead of an error.

    Hint: exp's backward multiplies by its saved result; what does that memory hold now?
    """
    x = torch.tensor([0.0, 0.0], requires_grad=True)
    y = x.exp()
    alias = y.data
    alias.fill_(5.0)
    y.sum().backward()
    assert [y._version, alias._version] == [0, 1]
    assert x.grad.tolist() == [5.0, 5.0]


def test_no_grad_does_not_stop_version_bumps():
    """no_grad stops recording, not counting: an in-place update of a saved leaf inside torch.no_grad(), such as an optimizer step between forward and backward, still bumps its version, and backward then reports the saved and the current version.

    Hint: count the writes into w after the product saved it.
    """
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    with torch.no_grad():
        w.sub_(0.1)
        w.mul_(2)
    with raises(RuntimeError, match="is at version 2; expected version 0"):
        loss.backward()


def test_inference_tensors_have_no_version_counter():
    """inference_mode goes further than no_grad: tensors created in it skip the autograd bookkeeping altogether, the version counter included, so asking for _version is an error.

    Hint: the message says what inference tensors do not do.
    """
    with torch.inference_mode():
        t = torch.zeros(2)
        t.add_(1)
    with raises(RuntimeError, match="do not track version counter"):
        t._version


def test_inplace_on_a_non_leaf_rebases_its_history():
    """An in-place op on a non-leaf is recorded like any other op: the tensor's grad_fn becomes the in-place op's node, whose input edge leads to the node the tensor had before.

    Hint: read the chain backwards from the last op applied to y.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.add_(1)
    y.exp_()
    chain = [y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()]
    assert chain == ["ExpBackward0", "AddBackward0"]
