"""Memory of the autograd graph: activations saved for backward, and when they are freed."""

import gc

import pytest
import torch

from kata import __

pytestmark = pytest.mark.cuda

DEVICE = "cuda"
MiB = 2 ** 20


@pytest.fixture(autouse=True)
def clean_cuda_memory():
    """Start each koan with no cached free blocks and fresh peak statistics (a no-op without CUDA)."""
    if torch.cuda.is_available():
        gc.collect()
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    yield


def test_forward_keeps_saved_activations():
    """sin saves its input for backward (its derivative is cos of the input), so the intermediate
    x * 2 stays allocated after the forward pass; the loss is a 0-dim tensor in a 512-byte block.

    Hint: one saved float32 tensor of 1024 elements plus the loss's block.
    """
    x = torch.ones(1024, device=DEVICE, requires_grad=True)
    base = torch.cuda.memory_allocated()
    loss = (x * 2).sin().sum()
    assert torch.cuda.memory_allocated() - base == 4096 + 512


def test_no_grad_saves_nothing():
    """Under torch.no_grad() no graph is recorded, so intermediates are freed as soon as the next
    op has used them; only the result stays.

    Hint: only the loss's block.
    """
    x = torch.ones(1024, device=DEVICE, requires_grad=True)
    base = torch.cuda.memory_allocated()
    with torch.no_grad():
        loss = (x * 2).sin().sum()
    assert torch.cuda.memory_allocated() - base == 512


def test_backward_frees_saved_activations():
    """backward() releases the graph's saved tensors as it goes (unless retain_graph=True), so
    once the gradient is dropped only the loss remains.

    Hint: x.grad is set to None before measuring.
    """
    x = torch.ones(1024, device=DEVICE, requires_grad=True)
    base = torch.cuda.memory_allocated()
    loss = (x * 2).sin().sum()
    loss.backward()
    x.grad = None
    assert torch.cuda.memory_allocated() - base == 512


def test_retain_graph_keeps_saved_activations():
    """backward(retain_graph=True) keeps the saved tensors so that backward can run again, and
    their memory with them.

    Hint: the same as right after the forward pass.
    """
    x = torch.ones(1024, device=DEVICE, requires_grad=True)
    base = torch.cuda.memory_allocated()
    loss = (x * 2).sin().sum()
    loss.backward(retain_graph=True)
    x.grad = None
    assert torch.cuda.memory_allocated() - base == 4096 + 512


def test_gradient_is_as_large_as_its_parameter():
    """backward() stores in x.grad a new tensor of x's shape and dtype, which costs as many bytes
    as x; multiplying by a Python number and summing save no CUDA tensors.

    Hint: measure from after the forward pass.
    """
    x = torch.ones(1024, device=DEVICE, requires_grad=True)
    loss = (x * 2).sum()
    base = torch.cuda.memory_allocated()
    loss.backward()
    assert torch.cuda.memory_allocated() - base == 4096
