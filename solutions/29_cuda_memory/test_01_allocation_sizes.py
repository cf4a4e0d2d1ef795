"""How many bytes a CUDA tensor costs: memory_allocated, the 512-byte rounding, views, copies and frees."""

import gc
import os

import pytest
import torch

from kata import __

pytestmark = pytest.mark.cuda


def non_default_allocator():
    """Why the caching allocator's sizes may differ from the defaults these koans teach ("" when they do not)."""
    for name in ("PYTORCH_CUDA_ALLOC_CONF", "PYTORCH_ALLOC_CONF"):
        if os.environ.get(name):
            return f"{name}={os.environ[name]} is set: the allocator's rounding, pools and segment sizes are not the defaults"
    if torch.cuda.is_available() and torch.cuda.get_allocator_backend() != "native":
        return f"the allocator backend is {torch.cuda.get_allocator_backend()}, not PyTorch's native caching allocator"
    return ""


# Read once, at collection: these koans teach the native allocator's default constants.
ALLOCATOR_SETTING = non_default_allocator()
default_allocator = pytest.mark.skipif(
    bool(ALLOCATOR_SETTING), reason=ALLOCATOR_SETTING or "the native allocator with default settings")

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


def test_memory_allocated_counts_the_tensor_bytes():
    """torch.cuda.memory_allocated() is the number of bytes held by live tensors on the device;
    a float32 tensor of 1024 elements needs 4 bytes per element.

    Hint: 1024 * 4, already a multiple of 512.
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(1024, device=DEVICE)
    assert torch.cuda.memory_allocated() - base == 4096


@default_allocator
def test_a_tiny_tensor_takes_a_whole_block():
    """With the default settings the caching allocator never hands out less than kMinBlockSize bytes, the block
    size every request is rounded to, so even a one-element tensor is charged a full block.

    Hint: 4 bytes requested, rounded up.
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(1, device=DEVICE)
    assert torch.cuda.memory_allocated() - base == 512


@default_allocator
def test_sizes_round_up_to_multiples_of_512_bytes():
    """With the default settings every request is rounded up to a multiple of 512 bytes, so 257 float32 elements (1028 bytes)
    occupy the next multiple.

    Hint: 1028 is just over two blocks.
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(257, device=DEVICE)
    assert torch.cuda.memory_allocated() - base == 1536


def test_requested_bytes_keep_the_exact_size():
    """memory_stats()["requested_bytes.all.current"] adds up what callers asked for before
    rounding, while memory_allocated() counts the rounded blocks.

    Hint: 1000 float32 elements, no rounding.
    """
    before = torch.cuda.memory_stats()["requested_bytes.all.current"]
    x = torch.empty(1000, device=DEVICE)
    after = torch.cuda.memory_stats()["requested_bytes.all.current"]
    assert after - before == 4000


def test_an_empty_tensor_allocates_nothing():
    """A tensor with zero elements needs no device memory: the allocator is asked for 0 bytes and
    returns a null data pointer without taking a block.

    Hint: zero bytes need no block at all.
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(0, device=DEVICE)
    assert torch.cuda.memory_allocated() - base == 0
    assert x.data_ptr() == 0


def test_views_allocate_nothing():
    """view, slicing and t() make new tensor objects over the same storage, so they add no bytes
    to memory_allocated().

    Hint: only the first line allocates.
    """
    x = torch.empty(1024, device=DEVICE)
    base = torch.cuda.memory_allocated()
    views = [x.view(32, 32), x[::2], x.view(32, 32).t()]
    assert torch.cuda.memory_allocated() - base == 0


def test_clone_allocates_a_copy():
    """clone() copies the data into new storage of the same size.

    Hint: the same number of bytes as x.
    """
    x = torch.empty(1024, device=DEVICE)
    base = torch.cuda.memory_allocated()
    y = x.clone()
    assert torch.cuda.memory_allocated() - base == 4096


def test_a_view_keeps_the_whole_storage_alive():
    """Deleting a tensor frees its block only when no other tensor uses the storage; a one-element
    view keeps the entire storage allocated.

    Hint: the view still points into x's block; count x's bytes.
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(1024, device=DEVICE)
    first = x[:1]
    del x
    assert torch.cuda.memory_allocated() - base == 4096


@default_allocator
def test_requests_over_1_mib_go_to_the_large_pool():
    """With the default settings the allocator keeps two pools: requests of at most 1 MiB come from the small pool, larger
    ones from the large pool, and memory_stats() counts bytes per pool.

    Hint: 12 MiB is well over the limit; answer (small pool growth, large pool growth).
    """
    stats = torch.cuda.memory_stats()
    small, large = stats["allocated_bytes.small_pool.current"], stats["allocated_bytes.large_pool.current"]
    x = torch.empty(12 * MiB, dtype=torch.uint8, device=DEVICE)
    stats = torch.cuda.memory_stats()
    growth = (
        stats["allocated_bytes.small_pool.current"] - small,
        stats["allocated_bytes.large_pool.current"] - large,
    )
    assert growth == (0, 12 * MiB)
