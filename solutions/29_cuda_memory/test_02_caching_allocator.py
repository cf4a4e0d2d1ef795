"""The caching allocator: reserved memory, segments of 2 MiB and 20 MiB, reuse of freed blocks, and empty_cache."""

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
    assert torch.cuda.memory_reserved() - reserved == 0


def test_a_freed_block_is_handed_out_again():
    """A freed block goes back into the cache and merges with its free neighbours, so an
    identical request on the same stream gets the very same address back.

    Hint: compare the data pointers.
    """
    x = torch.empty(1024, device=DEVICE)
    address = x.data_ptr()
    del x
    y = torch.empty(1024, device=DEVICE)
    assert (y.data_ptr() == address) == True


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
    assert (y.data_ptr() == address) == False


def test_empty_cache_returns_unused_segments():
    """torch.cuda.empty_cache() gives every completely free cached segment back to the driver,
    which lowers memory_reserved().

    Hint: a 12 MiB request gets a segment of exactly 12 MiB.
    """
    x = torch.empty(12 * MiB, dtype=torch.uint8, device=DEVICE)
    del x
    reserved = torch.cuda.memory_reserved()
    torch.cuda.empty_cache()
    assert reserved - torch.cuda.memory_reserved() == 12 * MiB


def test_empty_cache_keeps_memory_in_use():
    """empty_cache() only releases blocks no tensor uses; live tensors keep their memory.

    Hint: x is still alive.
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(12 * MiB, dtype=torch.uint8, device=DEVICE)
    torch.cuda.empty_cache()
    assert torch.cuda.memory_allocated() - base == 12 * MiB


def test_small_requests_share_2_mib_segments():
    """With the default settings, requests of at most 1 MiB are carved out of 2 MiB segments
    (kSmallBuffer) of the small pool.

    Hint: total_size is in bytes; use MiB.
    """
    x = torch.empty(1024, device=DEVICE)
    segment = segment_of(x)
    assert segment["segment_type"] == "small"
    assert segment["total_size"] == 2 * MiB


def test_requests_between_1_and_10_mib_share_20_mib_segments():
    """Requests over 1 MiB but under 10 MiB are carved out of 20 MiB segments (kLargeBuffer) of
    the large pool, so several of them can share one cudaMalloc.

    Hint: a 2 MiB request lands in one of those segments.
    """
    x = torch.empty(2 * MiB, dtype=torch.uint8, device=DEVICE)
    segment = segment_of(x)
    assert segment["segment_type"] == "large"
    assert segment["total_size"] == 20 * MiB


def test_requests_of_10_mib_or_more_get_their_own_segment():
    """A request of 10 MiB or more gets a segment of its own, its size rounded up to a multiple of
    2 MiB (kRoundLarge).

    Hint: round 25 MiB up to the next multiple of 2 MiB.
    """
    x = torch.empty(25 * MiB, dtype=torch.uint8, device=DEVICE)
    assert segment_of(x)["total_size"] == 26 * MiB
