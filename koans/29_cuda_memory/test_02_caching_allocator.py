"""The caching allocator: reserved memory, segments of 2 MiB and 20 MiB, reuse of freed blocks, and empty_cache."""

import gc
import os

import pytest
import torch

from kata import __


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

pytestmark = [
    pytest.mark.cuda,
    pytest.mark.skipif(bool(ALLOCATOR_SETTING), reason=ALLOCATOR_SETTING or "the native allocator with default settings"),
]

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


def segment_of(tensor):
    """The allocator segment (one cudaMalloc) that holds the tensor's memory, from memory_snapshot()."""
    ptr = tensor.data_ptr()
    for segment in torch.cuda.memory_snapshot():
        if segment["address"] <= ptr < segment["address"] + segment["total_size"]:
            return segment
    raise LookupError("no segment holds this tensor")


def test_freed_memory_stays_reserved():
    """Freeing a tensor returns its block to PyTorch's cache, not to the driver:
    torch.cuda.memory_reserved() does not go down.

    Hint: how much does the reserved total change on del?
    """
    x = torch.empty(12 * MiB, dtype=torch.uint8, device=DEVICE)
    reserved = torch.cuda.memory_reserved()
    del x
    assert torch.cuda.memory_reserved() - reserved == __


def test_a_freed_block_is_handed_out_again():
    """A freed block goes back into the free set of the stream it was allocated on, and a request
    on that stream takes the smallest free block that fits (best fit), from its start; with no
    other free block on the stream, an identical request gets the very same address back.

    Hint: compare the data pointers.
    """
    x = torch.empty(1024, device=DEVICE)
    address = x.data_ptr()
    del x
    y = torch.empty(1024, device=DEVICE)
    assert (y.data_ptr() == address) == __


def test_cached_blocks_belong_to_their_stream():
    """Cached blocks are tied to the stream they were allocated on and are only reused by
    allocations on that same stream.

    Hint: y is allocated while another stream is current.
    """
    x = torch.empty(1024, device=DEVICE)
    address = x.data_ptr()
    del x
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        y = torch.empty(1024, device=DEVICE)
    assert (y.data_ptr() == address) == __


def test_empty_cache_returns_unused_segments():
    """torch.cuda.empty_cache() gives every completely free cached segment back to the driver,
    which lowers memory_reserved(); with the default settings a large request has a segment of
    its own.

    Hint: a 12 MiB request gets a segment of exactly 12 MiB.
    """
    x = torch.empty(12 * MiB, dtype=torch.uint8, device=DEVICE)
    del x
    reserved = torch.cuda.memory_reserved()
    torch.cuda.empty_cache()
    assert reserved - torch.cuda.memory_reserved() == __


def test_empty_cache_keeps_memory_in_use():
    """empty_cache() only releases blocks no tensor uses; live tensors keep their memory.

    Hint: x is still alive.
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(12 * MiB, dtype=torch.uint8, device=DEVICE)
    torch.cuda.empty_cache()
    assert torch.cuda.memory_allocated() - base == __


def test_small_requests_share_2_mib_segments():
    """With the default settings, requests of at most 1 MiB are carved out of 2 MiB segments
    (kSmallBuffer) of the pool for such requests, and memory_snapshot() names that pool in each
    segment's type.

    Hint: total_size is in bytes; use MiB.
    """
    x = torch.empty(1024, device=DEVICE)
    segment = segment_of(x)
    assert segment["segment_type"] == __
    assert segment["total_size"] == __


def test_requests_between_1_and_10_mib_share_20_mib_segments():
    """With the default settings, requests over 1 MiB but under 10 MiB are carved out of 20 MiB segments (kLargeBuffer) of
    the other pool, so several of them can share one cudaMalloc.

    Hint: a 2 MiB request lands in one of those segments.
    """
    x = torch.empty(2 * MiB, dtype=torch.uint8, device=DEVICE)
    segment = segment_of(x)
    assert segment["segment_type"] == __
    assert segment["total_size"] == __


def test_requests_of_10_mib_or_more_get_their_own_segment():
    """With the default settings, a request of 10 MiB or more gets a segment of its own, its size rounded up to a multiple of
    2 MiB (kRoundLarge).

    Hint: round 25 MiB up to the next multiple of 2 MiB.
    """
    x = torch.empty(25 * MiB, dtype=torch.uint8, device=DEVICE)
    assert segment_of(x)["total_size"] == __
