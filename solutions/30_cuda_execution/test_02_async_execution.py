"""Asynchronous execution: kernels are queued, the CPU runs ahead, and some calls wait for the GPU."""

import os

import pytest
import torch

from kata import __

pytestmark = pytest.mark.cuda

DEVICE = "cuda"

# torch.cuda._sleep spins a GPU kernel for this many clock cycles: tens of milliseconds on any
# current GPU, queued work for the waits below; no answer depends on how long it runs.
BUSY_CYCLES = 50_000_000


# Read once, at collection: CUDA_LAUNCH_BLOCKING=1 makes every kernel launch wait for the kernel.
LAUNCH_BLOCKING = os.environ.get("CUDA_LAUNCH_BLOCKING", "0") not in ("", "0")
asynchronous_launches = pytest.mark.skipif(
    LAUNCH_BLOCKING, reason="CUDA_LAUNCH_BLOCKING=1 is set: kernel launches are synchronous, so this lesson does not hold")


@asynchronous_launches
def test_kernel_launch_returns_before_the_kernel_finishes():
    """Launching a CUDA kernel only queues it on the current stream and returns at once; only a
    call that needs a result on the host waits for the GPU. torch.cuda.set_sync_debug_mode("error")
    makes each such waiting call raise a RuntimeError instead, which shows without any timing
    where a program waits.

    Hint: which of the three calls needs the numbers themselves on the CPU?
    """
    x = torch.ones(3, device=DEVICE)
    waited = []
    torch.cuda.set_sync_debug_mode("error")
    try:
        for name, op in (("add", lambda: x + 1), ("item", lambda: x.sum().item()), ("cpu", lambda: x.cpu())):
            try:
                op()
            except RuntimeError:
                waited.append(name)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    assert waited == ["item", "cpu"]


def test_synchronize_waits_for_all_queued_work():
    """torch.cuda.synchronize() blocks the CPU until every kernel queued on the device has
    finished.

    Hint: query after synchronize.
    """
    torch.cuda._sleep(BUSY_CYCLES)
    torch.cuda.synchronize()
    assert torch.cuda.current_stream().query() == True


def test_item_waits_for_the_result():
    """.item() copies a value to the host, so it must wait until the kernels computing it, and
    everything queued before them on the stream, have finished: it is a synchronisation point.

    Hint: answer (the value, whether the stream is idle right after .item()).
    """
    x = torch.ones(1, device=DEVICE)
    torch.cuda._sleep(BUSY_CYCLES)
    value = (x + 1).item()
    idle = torch.cuda.current_stream().query()
    assert (value, idle) == (2.0, True)


def test_event_query_tracks_progress():
    """A torch.cuda.Event recorded on a stream completes when the GPU reaches it; event.query()
    reports whether it has, without waiting, and event.synchronize() blocks the CPU until it has.

    Hint: answer (query after synchronize, whether the stream has work left after the event).
    """
    event = torch.cuda.Event()
    torch.cuda._sleep(BUSY_CYCLES)
    event.record()
    event.synchronize()
    assert (event.query(), torch.cuda.current_stream().query()) == (True, True)


def test_an_unrecorded_event_counts_as_complete():
    """An event that was never recorded has no work to wait for, so query() reports it complete.

    Hint: nothing stands between you and it.
    """
    assert torch.cuda.Event().query() == True


def test_pin_memory_page_locks_a_host_tensor():
    """Ordinary CPU tensors live in pageable memory; pin_memory() returns a copy in page-locked
    (pinned) memory, which the GPU can copy from asynchronously.

    Hint: answer (original pinned?, copy pinned?).
    """
    t = torch.ones(4)
    assert (t.is_pinned(), t.pin_memory().is_pinned()) == (False, True)


def test_non_blocking_copy_to_the_host_lands_in_pinned_memory():
    """A non-blocking copy to the host allocates its result in pinned memory so that the copy can
    run asynchronously; read it only after synchronising.

    Hint: ask the result.
    """
    x = torch.arange(3.0, device=DEVICE)
    y = x.to("cpu", non_blocking=True)
    torch.cuda.synchronize()
    assert y.is_pinned() == True
    assert y.tolist() == [0.0, 1.0, 2.0]
