"""Allocator statistics: peaks, memory_stats() keys, out-of-memory errors, record_stream and the memory history."""

import gc

import pytest
import torch

from kata import __, raises

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


def test_max_memory_allocated_remembers_the_peak():
    """torch.cuda.max_memory_allocated() is the highest memory_allocated() seen since the last
    reset, so it still counts a tensor that has already been freed.

    Hint: 65536 float32 elements were alive for a moment; answer (peak growth, current growth).
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(65536, device=DEVICE)
    del x
    growth = (torch.cuda.max_memory_allocated() - base, torch.cuda.memory_allocated() - base)
    assert growth == (262144, 0)


def test_reset_peak_memory_stats_starts_a_new_peak():
    """torch.cuda.reset_peak_memory_stats() sets every peak to the current value, so the next
    measurement only sees what happens afterwards.

    Hint: after the reset nothing more was allocated.
    """
    base = torch.cuda.memory_allocated()
    x = torch.empty(65536, device=DEVICE)
    del x
    torch.cuda.reset_peak_memory_stats()
    assert torch.cuda.max_memory_allocated() - base == 0


def test_memory_allocated_reads_a_memory_stats_entry():
    """memory_stats() returns a flat dict of counters named "<stat>.<pool>.<metric>";
    memory_allocated() is simply its current allocated bytes over all pools.

    Hint: the first lesson read each pool's allocated bytes separately; here the pool is every
    pool, and the metric is the current value, not the peak.
    """
    y = torch.empty(65536, device=DEVICE)
    del y
    x = torch.empty(1024, device=DEVICE)
    assert torch.cuda.memory_stats()["allocated_bytes.all.current"] == torch.cuda.memory_allocated()


def test_allocation_counter_counts_requests():
    """The "allocation.all.allocated" entry of memory_stats() counts allocation requests ever
    served, whatever their size.

    Hint: one request per tensor.
    """
    before = torch.cuda.memory_stats()["allocation.all.allocated"]
    tensors = [torch.empty(n, device=DEVICE) for n in (1, 1000, 100000)]
    after = torch.cuda.memory_stats()["allocation.all.allocated"]
    assert after - before == 3


def test_an_impossible_request_raises_an_oom_error():
    """When cudaMalloc fails even after the cache has been freed, PyTorch raises
    torch.cuda.OutOfMemoryError (a RuntimeError) whose message begins by saying what happened.

    Hint: three words of the message say what the device ran out of, and how.
    """
    with raises(torch.cuda.OutOfMemoryError, match="out of memory"):
        torch.empty(2 ** 44, dtype=torch.uint8, device=DEVICE)


def test_num_ooms_counts_out_of_memory_errors():
    """memory_stats()["num_ooms"] counts the out-of-memory errors the allocator has raised.

    Hint: one failed request.
    """
    before = torch.cuda.memory_stats()["num_ooms"]
    try:
        torch.empty(2 ** 44, dtype=torch.uint8, device=DEVICE)
    except torch.cuda.OutOfMemoryError:
        pass
    assert torch.cuda.memory_stats()["num_ooms"] - before == 1


def test_record_stream_delays_reuse_of_a_freed_block():
    """After x.record_stream(side), freeing x lowers allocated bytes at once, but the allocator
    records an event on side and keeps the block active (not reusable) until it next polls its
    events (at a later allocation, empty_cache() or a synchronize) and finds that event complete;
    so right after del the active bytes have not dropped, however quickly side's work ran.

    Hint: answer (drop in allocated bytes, drop in active bytes) right after del.
    """
    x = torch.ones(1024, device=DEVICE)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        y = x * 2
    x.record_stream(side)
    before = torch.cuda.memory_stats()
    del x
    after = torch.cuda.memory_stats()
    drops = (
        before["allocated_bytes.all.current"] - after["allocated_bytes.all.current"],
        before["active_bytes.all.current"] - after["active_bytes.all.current"],
    )
    torch.cuda.synchronize()
    assert drops == (4096, 0)


def test_memory_history_records_each_allocation():
    """torch.cuda.memory._record_memory_history() makes the allocator log every alloc and free;
    torch.cuda.memory._snapshot()["device_traces"] holds the log, each entry with its action, the
    address and the size the caller requested.

    Hint: the requested size, before rounding to 512 bytes.
    """
    torch.cuda.memory._record_memory_history(context=None, stacks="python", max_entries=1000)
    try:
        x = torch.empty(1000, device=DEVICE)
        snapshot = torch.cuda.memory._snapshot()
    finally:
        torch.cuda.memory._record_memory_history(enabled=None)
    trace = snapshot["device_traces"][x.device.index]
    allocs = [e for e in trace if e["action"] == "alloc" and e["addr"] == x.data_ptr()]
    assert allocs[-1]["size"] == 4000
