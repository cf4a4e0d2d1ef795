"""The profiler: which aten ops a piece of code really calls, how often, and inside which named range."""

import torch
from torch.profiler import ProfilerActivity, profile, record_function, schedule

from kata import __


def call_counts(prof):
    """Map each event name in the profile to its number of calls."""
    return {event.key: event.count for event in prof.key_averages()}


def test_key_averages_counts_every_call_of_each_aten_op():
    """Python operators and torch functions dispatch to ATen ops, and the profiler names each event "aten::" followed by the ATen op's short name; prof.key_averages() groups the events by that name, and each group's count is the number of times the op ran, however the call was spelled.

    Hint: for each line of the loop, ask which ATen op it reaches.
    """
    a = torch.arange(4.0)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(3):
            a + a
            torch.add(a, 1)
            a * a
    counts = call_counts(prof)
    assert (counts["aten::add"], counts["aten::mul"]) == (6, 3)


def test_record_function_adds_a_named_range_around_its_ops():
    """torch.profiler.record_function(name) records a range under the name you give it, one event each time the block is entered, and the ops called inside the block become children of that range, which shows which part of the model spent the time.

    Hint: count the entries into the block; the children are the top-level ops called inside it, in order.
    """
    m = torch.ones(2, 2)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(2):
            with record_function("block"):
                m @ m
                torch.relu(m)
    block = next(e for e in prof.events() if e.name == "block")
    assert call_counts(prof)["block"] == 2
    assert [child.name for child in block.cpu_children] == ["aten::matmul", "aten::relu"]


def test_ops_nest_under_their_caller():
    """Profiler events form a tree: an op called by another op is its child. For 2-D inputs, aten::matmul does its work by calling the matrix-matrix product op.

    Hint: the two-letter name of the 2-D matrix product.
    """
    m = torch.ones(2, 2)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        m @ m
    matmul = next(e for e in prof.events() if e.name == "aten::matmul")
    assert [child.name for child in matmul.cpu_children] == ["aten::mm"]


def test_schedule_records_only_the_active_steps():
    """With a schedule, prof.step() advances a step counter: the first `wait` steps are skipped, the next `warmup` steps run the profiler but throw its results away, the next `active` steps are recorded, and with repeat=1 the profiler then stops for good.

    Hint: step k runs k additions; find which steps are active.
    """
    a = torch.arange(4.0)
    with profile(
        activities=[ProfilerActivity.CPU],
        schedule=schedule(wait=1, warmup=1, active=2, repeat=1),
    ) as prof:
        for step in range(6):
            for _ in range(step):
                a + a
            prof.step()
    assert call_counts(prof)["aten::add"] == 5


def test_backward_ops_are_profiled_too():
    """Backward runs ATen ops as well: the gradient of x * y multiplies the incoming gradient by the other input, once for each input that needs a gradient, so the profiler sees extra multiplications after the forward one.

    Hint: which of the two inputs require grad?
    """
    x = torch.ones(3, requires_grad=True)
    y = torch.ones(3)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        (x * y).sum().backward()
    assert call_counts(prof)["aten::mul"] == 2


def test_record_shapes_groups_by_input_shape():
    """With record_shapes=True, key_averages(group_by_input_shape=True) keeps the input shapes of each op, as lists of sizes, and groups calls with different shapes apart.

    Hint: the shapes of the two operands of each product.
    """
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        torch.mm(torch.ones(2, 3), torch.ones(3, 4))
        torch.mm(torch.ones(2, 3), torch.ones(3, 4))
        torch.mm(torch.ones(4, 2), torch.ones(2, 3))
    groups = sorted((e.input_shapes, e.count) for e in prof.key_averages(group_by_input_shape=True) if e.key == "aten::mm")
    assert groups == [([[2, 3], [3, 4]], 2), ([[4, 2], [2, 3]], 1)]
