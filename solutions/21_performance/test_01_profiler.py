"""The profiler: which aten ops a piece of code really calls, how often, and inside which named range."""

import torch
from torch.profiler import ProfilerActivity, profile, record_function, schedule

from kata import __


def call_counts(prof):
    """Map each event name in the profile to its number of calls."""
    return {event.key: event.count for event in prof.key_averages()}


def test_key_averages_counts_every_call():
    """prof.key_averages() groups the recorded events by op name, and each group's count is the
    number of times that op ran.

    Hint: count the additions in the loop.
    """
    a = torch.arange(4.0)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(3):
            a + a
    assert call_counts(prof)["aten::add"] == 3


def test_operators_are_recorded_under_their_aten_names():
    """Python operators dispatch to ATen ops, and the profiler names each event "aten::" followed
    by the ATen op's short name: a + b, for instance, is recorded as aten::add.

    Hint: the * operator multiplies; ATen shortens that name the way it shortened "addition".
    """
    a = torch.arange(4.0)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        a * a
    assert "aten::mul" in call_counts(prof)


def test_record_function_adds_a_named_range():
    """torch.profiler.record_function(name) records a range under the name you give it, one event
    each time the block is entered.

    Hint: how many times is the block entered?
    """
    a = torch.arange(4.0)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(2):
            with record_function("scale_step"):
                a * 2
    assert call_counts(prof)["scale_step"] == 2


def test_ops_nest_under_their_caller():
    """Profiler events form a tree: an op called by another op is its child. For 2-D inputs,
    aten::matmul does its work by calling the matrix-matrix product op.

    Hint: the two-letter name of the 2-D matrix product.
    """
    m = torch.ones(2, 2)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        m @ m
    matmul = next(e for e in prof.events() if e.name == "aten::matmul")
    assert [child.name for child in matmul.cpu_children] == ["aten::mm"]


def test_record_function_range_is_the_parent_of_its_ops():
    """Ops called inside a record_function block are children of its range, which lets you see
    which part of the model spent the time.

    Hint: list the top-level ops called inside the block, in order.
    """
    m = torch.ones(2, 2)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        with record_function("block"):
            m @ m
            torch.relu(m)
    block = next(e for e in prof.events() if e.name == "block")
    assert [child.name for child in block.cpu_children] == ["aten::matmul", "aten::relu"]


def test_schedule_records_only_the_active_steps():
    """With schedule(wait=1, warmup=1, active=2, repeat=1), prof.step() advances a step counter:
    the first step is skipped, the second warms up unrecorded, the next two are recorded, and
    the profiler then stops for good.

    Hint: one addition per step; only active steps are recorded.
    """
    a = torch.arange(4.0)
    with profile(
        activities=[ProfilerActivity.CPU],
        schedule=schedule(wait=1, warmup=1, active=2, repeat=1),
    ) as prof:
        for _ in range(5):
            a + a
            prof.step()
    assert call_counts(prof)["aten::add"] == 2


def test_backward_ops_are_profiled_too():
    """Backward runs ATen ops as well: the gradient of x * x multiplies the incoming gradient by
    each of the two inputs, so the profiler sees extra multiplications after the forward one.

    Hint: one multiplication forward, one per input backward.
    """
    x = torch.ones(3, requires_grad=True)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        (x * x).sum().backward()
    assert call_counts(prof)["aten::mul"] == 3


def test_record_shapes_groups_by_input_shape():
    """With record_shapes=True, key_averages(group_by_input_shape=True) keeps the input shapes of
    each op, as lists of sizes.

    Hint: the shapes of the two operands of the product.
    """
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        torch.mm(torch.ones(2, 3), torch.ones(3, 4))
    mm = next(e for e in prof.key_averages(group_by_input_shape=True) if e.key == "aten::mm")
    assert mm.input_shapes == [[2, 3], [3, 4]]
