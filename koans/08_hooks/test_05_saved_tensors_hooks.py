"""torch.autograd.graph.saved_tensors_hooks: intercepting the tensors autograd saves for backward."""

import pytest
import torch

from kata import __


def counting_hooks(log):
    """Pack and unpack hooks that note each call in log and keep the tensor as it is."""

    def pack(t):
        log.append("pack")
        return t

    def unpack(t):
        log.append("unpack")
        return t

    return pack, unpack


def test_pack_runs_once_per_saved_tensor():
    """Inside saved_tensors_hooks(pack, unpack), pack is called each time an operation saves a tensor for backward; a * b saves both inputs.

    Hint: count the tensors that the multiplication's backward needs.
    """
    log = []
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(*counting_hooks(log)):
        a * b
    assert log.count("pack") == __


def test_pack_receives_the_tensor_being_saved():
    """pack is called with the very tensor an op saves, so it shows whether the op keeps its input or its output; relu's backward needs only its output.

    Hint: relu replaces negative values by 0.
    """
    packed = []

    def pack(t):
        packed.append(t.tolist())
        return t

    a = torch.tensor([-1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        a.relu()
    assert packed == __


def test_unpack_runs_during_backward():
    """unpack is not called during the forward pass but when backward needs a saved tensor, once per saved tensor used.

    Hint: the forward pass packed two tensors; the backward pass needs both.
    """
    log = []
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(*counting_hooks(log)):
        y = (a * b).sum()
    y.backward()
    assert log == __


def test_pack_may_store_anything_unpack_can_turn_back_into_a_tensor():
    """pack may return any object (a compressed copy, a tensor moved to another device, a file name), as long as unpack turns it back into the tensor.

    Hint: here the saved tensors live as Python lists in the meantime; the gradient is unaffected: d(sum(a * b))/da = b.
    """
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t.tolist(), lambda s: torch.tensor(s)):
        y = (a * b).sum()
    y.backward()
    assert a.grad.tolist() == __


def test_unpack_decides_what_backward_computes_with():
    """Backward computes with whatever unpack returns, so an unpack hook that alters the tensor changes the gradients.

    Hint: the gradient of a * b with respect to a is the saved b, here doubled on unpacking.
    """
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t * 2):
        y = (a * b).sum()
    y.backward()
    assert a.grad.tolist() == __


def test_hooks_apply_only_to_tensors_saved_inside_the_block():
    """Pack hooks apply to tensors saved while the context manager is active; operations recorded before or after it are untouched.

    Hint: only the exp happened inside the block, and it saves a single tensor.
    """
    log = []
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    a * a
    with torch.autograd.graph.saved_tensors_hooks(*counting_hooks(log)):
        a.exp()
    a * a
    assert log == __
