"""detach() and clone(): leaving the graph, sharing storage or copying it."""

import pytest
import torch

from kata import __


def test_detach_shares_storage_with_the_original():
    """detach() returns a new tensor that does not require grad but views the very same memory as the original.

    Hint: a write through d lands in x's memory.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    d = x.detach()
    d[0] = 10.0
    assert d.requires_grad == __
    assert x.tolist() == __


def test_no_gradient_flows_through_a_detached_tensor():
    """A detached tensor acts as a constant in the graph: no gradient is propagated back through it.

    Hint: only the left factor of x * x.detach() is tracked, so the derivative is the right factor.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x.detach()).sum().backward()
    assert x.grad.tolist() == __


def test_clone_copies_memory_and_stays_in_the_graph():
    """clone() allocates new memory but, unlike detach(), is an ordinary differentiable op recorded in the graph.

    Hint: compare the addresses of the first elements; backward nodes are named after their forward op.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert (c.data_ptr() == x.data_ptr()) == __
    assert type(c.grad_fn).__name__ == __


def test_numpy_refuses_a_tensor_that_requires_grad():
    """Tensor.numpy() refuses a tensor that requires grad, since the NumPy array would escape autograd; detach() first.

    Hint: the message tells you which tensors numpy() cannot be called on.
    """
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=__):
        x.numpy()
