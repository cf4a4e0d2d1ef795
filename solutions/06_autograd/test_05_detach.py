"""detach() and clone(): leaving the graph, sharing storage or copying it."""

import pytest
import torch

from kata import __, raises


def test_detach_shares_storage_with_the_original():
    """detach() returns a new tensor that does not require grad but views the very same memory as the original.

    Hint: where does a write through d land?
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    d = x.detach()
    d[0] = 10.0
    assert x.tolist() == [10.0, 2.0, 3.0]


def test_no_gradient_flows_through_a_detached_tensor():
    """A detached tensor acts as a constant in the graph: no gradient is propagated back through it.

    Hint: treat the detached factor as a number that happens to equal x.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x.detach() * x).sum().backward()
    assert x.grad.tolist() == [2.0, 8.0, 18.0]


def test_clone_copies_memory_and_stays_in_the_graph():
    """clone() allocates new memory but, unlike detach(), is an ordinary differentiable op recorded in the graph, so gradients flow through it to the original.

    Hint: backward nodes are named after their forward op; the clone equals x.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert c.data_ptr() != x.data_ptr()
    (c * c).sum().backward()
    assert [type(c.grad_fn).__name__, x.grad.tolist()] == ["CloneBackward0", [2.0, 4.0]]


def test_numpy_refuses_a_tensor_autograd_tracks():
    """Tensor.numpy() refuses a tensor autograd tracks, since the NumPy array would escape autograd; detach() first.

    Hint: the message names the flag that is in the way.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises(RuntimeError, match="requires grad"):
        x.numpy()
