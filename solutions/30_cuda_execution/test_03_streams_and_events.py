"""Streams and events: independent queues of GPU work, ordering between them, and timing with events."""

import pytest
import torch

from kata import __, raises

pytestmark = pytest.mark.cuda

DEVICE = "cuda"

# torch.cuda._sleep spins a GPU kernel for this many clock cycles: tens of milliseconds on any
# current GPU, queued work for the waits below; no answer depends on how long it runs.
BUSY_CYCLES = 50_000_000


def test_work_goes_to_the_default_stream():
    """Unless told otherwise, kernels are queued on the device's default stream, which is then
    the current stream.

    Hint: no stream context is active here.
    """
    assert (torch.cuda.current_stream() == torch.cuda.default_stream()) == True


def test_a_new_stream_is_not_the_default_stream():
    """torch.cuda.Stream() gives a separate queue; kernels on different streams may run
    concurrently.

    Hint: a separate queue.
    """
    side = torch.cuda.Stream()
    assert (side == torch.cuda.default_stream()) == False


def test_stream_context_sets_the_current_stream():
    """Inside with torch.cuda.stream(side), side is the current stream and ops are queued on it;
    leaving the block restores the previous current stream.

    Hint: answer (side is current inside, default is current after).
    """
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        inside = torch.cuda.current_stream() == side
    after = torch.cuda.current_stream() == torch.cuda.default_stream()
    assert (inside, after) == (True, True)


def test_wait_stream_orders_work_across_streams():
    """side.wait_stream(other) makes work queued on side afterwards wait until everything already
    queued on other has finished, without blocking the CPU; so a kernel on side reads what other
    wrote, however long other's work takes.

    Hint: which write to x does the multiplication on side come after?
    """
    side = torch.cuda.Stream()
    x = torch.zeros(4, device=DEVICE)
    torch.cuda._sleep(BUSY_CYCLES)
    x.fill_(1.0)
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        y = x * 2
    torch.cuda.current_stream().wait_stream(side)
    assert y.tolist() == [2.0, 2.0, 2.0, 2.0]


def test_stream_synchronize_waits_for_that_stream():
    """stream.synchronize() blocks the CPU until the work queued on that stream has finished.

    Hint: query after synchronize.
    """
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        torch.cuda._sleep(BUSY_CYCLES)
    side.synchronize()
    assert side.query() == True


def test_timing_needs_events_created_for_it():
    """Events are created without timing by default (it makes them cheaper), and elapsed_time on
    such events raises an error saying how both events must have been created.

    Hint: the argument's name is enough.
    """
    start, end = torch.cuda.Event(), torch.cuda.Event()
    start.record()
    end.record()
    end.synchronize()
    with raises((ValueError, RuntimeError), match="enable_timing"):
        start.elapsed_time(end)


def test_elapsed_time_is_milliseconds_as_a_float():
    """Two events created with enable_timing=True measure GPU time between them:
    start.elapsed_time(end) returns a float number of milliseconds, once end has completed.

    Hint: answer (type of the result, is it positive?); the exact value depends on the GPU.
    """
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    torch.cuda._sleep(BUSY_CYCLES)
    end.record()
    end.synchronize()
    ms = start.elapsed_time(end)
    assert (type(ms), ms > 0) == (float, True)