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
    """Inside saved_tensors_hooks(pack, unpack), pack is called each time an operation saves a tensor for backward, and each op saves only what its derivative formula needs for the inputs that require grad.

    Hint: go op by op: what does each one's backward read, given that only a requires grad?
    """
    log = []
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0])
    with torch.autograd.graph.saved_tensors_hooks(*counting_hooks(log)):
        (a * b).sin().exp()
    assert log.count("pack") == 3


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
    assert packed == [[0.0, 2.0]]


def test_unpack_runs_during_backward():
    """unpack is not called during the forward pass but each time backward reads a saved tensor, so a graph kept with retain_graph=True unpacks again on every backward pass.

    Hint: count what the product saved, then how many passes read it.
    """
    log = []
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(*counting_hooks(log)):
        y = (a * b).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert [log.count("pack"), log.count("unpack")] == [2, 4]


def test_pack_may_store_anything_unpack_can_turn_back_into_a_tensor():
    """pack may return any object (a compressed copy, a tensor moved to another device, a file name), as long as unpack turns it back into the tensor.

    Hint: the round trip through a list gives back equal tensors, so the gradient is the ordinary one.
    """
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t.tolist(), lambda s: torch.tensor(s)):
        y = (a * b).sum()
    y.backward()
    assert a.grad.tolist() == [3.0, 4.0]


def test_unpack_decides_what_backward_computes_with():
    """Backward computes with whatever unpack returns, so an unpack hook that alters the tensor changes the gradients.

    Hint: which saved tensor does a's gradient read, and what does unpack hand back for it?
    """
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t * 2):
        y = (a * b).sum()
    y.backward()
    assert a.grad.tolist() == [6.0, 8.0]


def test_hooks_apply_only_to_tensors_saved_inside_the_block():
    """Pack hooks apply to tensors saved while the context manager is active; operations recorded before or after it are untouched.

    Hint: count only the inside of the block; a product with a Python number saves no tensor.
    """
    log = []
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    a * a
    with torch.autograd.graph.saved_tensors_hooks(*counting_hooks(log)):
        a * a
        a * 2
    a.exp()
    assert log.count("pack") == 2
