"""Asynchronous execution: kernels are queued, the CPU runs ahead, and some calls wait for the GPU."""

import pytest
import torch

from kata import __

pytestmark = pytest.mark.cuda

DEVICE = "cuda"

# torch.cuda._sleep spins a GPU kernel for this many clock cycles: tens of milliseconds on any
# current GPU, long enough for the CPU to look at the stream while the kernel still runs.
BUSY_CYCLES = 50_000_000


def test_kernel_launch_returns_before_the_kernel_finishes():
    """Launching a CUDA kernel only queues it on the current stream and returns at once;
    stream.query() tells whether everything queued on the stream has finished.

    Hint: the kernel spins for milliseconds, the query comes microseconds later.
    """
    torch.cuda._sleep(BUSY_CYCLES)
    finished = torch.cuda.current_stream().query()
    torch.cuda.synchronize()
    assert finished == __


def test_synchronize_waits_for_all_queued_work():
    """torch.cuda.synchronize() blocks the CPU until every kernel queued on the device has
    finished.

    Hint: query after synchronize.
    """
    torch.cuda._sleep(BUSY_CYCLES)
    torch.cuda.synchronize()
    assert torch.cuda.current_stream().query() == __


def test_item_waits_for_the_result():
    """.item() copies a value to the host, so it must wait until the kernels computing it, and
    everything queued before them on the stream, have finished: it is a synchronisation point.

    Hint: answer (the value, whether the stream is idle right after .item()).
    """
    x = torch.ones(1, device=DEVICE)
    torch.cuda._sleep(BUSY_CYCLES)
    value = (x + 1).item()
    idle = torch.cuda.current_stream().query()
    assert (value, idle) == __


def test_event_query_tracks_progress():
    """A torch.cuda.Event recorded on a stream completes when the GPU reaches it; event.query()
    reports that without waiting, event.synchronize() waits for it.

    Hint: answer (query right after recording, query after synchronize).
    """
    event = torch.cuda.Event()
    torch.cuda._sleep(BUSY_CYCLES)
    event.record()
    before = event.query()
    event.synchronize()
    after = event.query()
    assert (before, after) == __


def test_an_unrecorded_event_counts_as_complete():
    """An event that was never recorded has no work to wait for, so query() reports it complete.

    Hint: nothing stands between you and it.
    """
    assert torch.cuda.Event().query() == __


def test_pin_memory_page_locks_a_host_tensor():
    """Ordinary CPU tensors live in pageable memory; pin_memory() returns a copy in page-locked
    (pinned) memory, which the GPU can copy from asynchronously.

    Hint: answer (original pinned?, copy pinned?).
    """
    t = torch.ones(4)
    assert (t.is_pinned(), t.pin_memory().is_pinned()) == __


def test_non_blocking_copy_to_the_host_lands_in_pinned_memory():
    """x.to("cpu", non_blocking=True) allocates its result in pinned memory so that the copy can
    run asynchronously; read it only after synchronising.

    Hint: ask the result.
    """
    x = torch.arange(3.0, device=DEVICE)
    y = x.to("cpu", non_blocking=True)
    torch.cuda.synchronize()
    assert y.is_pinned() == __
    assert y.tolist() == __
