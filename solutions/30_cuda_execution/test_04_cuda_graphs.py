"""CUDA graphs: capture a sequence of kernels once, replay it many times on the same memory."""

import pytest
import torch

from kata import __

pytestmark = pytest.mark.cuda

DEVICE = "cuda"


def warm_up(fn, example):
    """Run fn once on a copy of example on a side stream, so lazy CUDA set-up happens before capture."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        fn(example.clone())
    torch.cuda.current_stream().wait_stream(side)
    torch.cuda.synchronize()


def test_replay_recomputes_from_the_static_input():
    """A captured graph reads its inputs from the memory they had at capture time; to run it on
    new data, copy the data into that static input tensor and call replay().

    Hint: the graph computes 2 * x + 1.
    """
    static_x = torch.zeros(4, device=DEVICE)
    warm_up(lambda t: t * 2 + 1, static_x)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_y = static_x * 2 + 1
    static_x.copy_(torch.tensor([1.0, 2.0, 3.0, 4.0]))
    graph.replay()
    assert static_y.tolist() == [3.0, 5.0, 7.0, 9.0]


def test_capture_records_kernels_without_running_them():
    """Inside torch.cuda.graph(...) kernels are recorded, not executed; each replay() then runs
    them once, here an in-place add on the static tensor.

    Hint: answer (after capture, after one replay, after two replays), first elements.
    """
    static_x = torch.ones(4, device=DEVICE)
    warm_up(lambda t: t.add_(1), static_x)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_x.add_(1)
    seen = [static_x[0].item()]
    graph.replay()
    seen.append(static_x[0].item())
    graph.replay()
    seen.append(static_x[0].item())
    assert seen == [1.0, 2.0, 3.0]


def test_replay_overwrites_the_same_output_tensor():
    """Replays write their results into the output memory allocated during capture, so the
    output tensor keeps its address and is overwritten by each replay.

    Hint: answer (same address after two replays, values after the second).
    """
    static_x = torch.zeros(2, device=DEVICE)
    warm_up(lambda t: t * 10, static_x)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_y = static_x * 10
    address = static_y.data_ptr()
    static_x.fill_(1.0)
    graph.replay()
    static_x.fill_(2.0)
    graph.replay()
    assert (static_y.data_ptr() == address, static_y.tolist()) == (True, [20.0, 20.0])


def test_python_values_are_baked_in_at_capture():
    """A graph replays kernels with the arguments they had at capture; a Python number used then
    is frozen into the graph, and changing the Python variable later has no effect.

    Hint: scale was 3 when the graph was captured.
    """
    scale = 3.0
    static_x = torch.ones(2, device=DEVICE)
    warm_up(lambda t: t * scale, static_x)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_y = static_x * scale
    scale = 10.0
    graph.replay()
    assert static_y.tolist() == [3.0, 3.0]


def test_capture_is_visible_to_the_current_stream():
    """torch.cuda.is_current_stream_capturing() is True only while a capture is underway on the
    current stream.

    Hint: answer (inside the capture block, after it).
    """
    static_x = torch.ones(2, device=DEVICE)
    warm_up(lambda t: t + 1, static_x)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_y = static_x + 1
        inside = torch.cuda.is_current_stream_capturing()
    after = torch.cuda.is_current_stream_capturing()
    assert (inside, after) == (True, False)


def test_capture_happens_on_a_side_stream():
    """The default stream cannot be captured, so torch.cuda.graph makes a side stream of its own
    the current stream for the capture block.

    Hint: is the current stream inside the block the default one?
    """
    static_x = torch.ones(2, device=DEVICE)
    warm_up(lambda t: t + 1, static_x)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_y = static_x + 1
        on_default = torch.cuda.current_stream() == torch.cuda.default_stream()
    assert on_default == False
