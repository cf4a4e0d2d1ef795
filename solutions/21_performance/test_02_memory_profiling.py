"""Profiling memory: profile_memory=True records how many bytes each op allocated, which tells copies from views."""

import torch
from torch.profiler import ProfilerActivity, profile

from kata import __


def self_bytes(prof):
    """Map each op name to the bytes allocated directly by that op (not by its children)."""
    return {event.key: event.self_cpu_memory_usage for event in prof.key_averages()}


def total_bytes(prof):
    """Map each op name to the bytes allocated by the op and everything it called."""
    return {event.key: event.cpu_memory_usage for event in prof.key_averages()}


def call_counts(prof):
    """Map each event name in the profile to its number of calls."""
    return {event.key: event.count for event in prof.key_averages()}


def test_out_of_place_add_allocates_its_result():
    """An out-of-place op allocates a new tensor for its result: with profile_memory=True the profiler records the bytes of every allocation under the op that made it.

    Hint: the profiler counts bytes, not elements.
    """
    a = torch.ones(256)
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        a + a
    assert self_bytes(prof)["aten::add"] == 1024


def test_in_place_ops_out_arguments_and_views_allocate_nothing():
    """An in-place op writes into its own storage; out= with a tensor of the right shape and dtype makes the op write there; a view shares its base's storage with new shape and strides. None of them allocates, while an out-of-place op allocates its result.

    Hint: for each op ask whether a new result tensor needs new storage.
    """
    a = torch.ones(16, 16)
    b = torch.ones(16, 16)
    out = torch.empty(16, 16)
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        a.add_(b)
        torch.add(a, b, out=out)
        a.view(256)
        a.t()
        a * 2
    allocated = total_bytes(prof)
    ops = ("aten::add_", "aten::add", "aten::view", "aten::t", "aten::mul")
    assert [allocated[op] for op in ops] == [0, 0, 0, 0, 1024]


def test_contiguous_copies_only_when_needed():
    """.contiguous() returns the tensor itself when it is already contiguous and clones it otherwise, into a new contiguous tensor of the same shape and dtype.

    Hint: which of the three is not contiguous? Then count the elements of each copy.
    """
    m = torch.ones(4, 4, dtype=torch.float64)
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        m.contiguous()
        m.t().contiguous()
        m[:, ::2].contiguous()
    assert call_counts(prof)["aten::clone"] == 2
    assert total_bytes(prof)["aten::clone"] == 192


def test_dtype_sets_the_bytes_allocated():
    """The bytes an op allocates are the number of elements times the element size of the dtype (its bit width over 8).

    Hint: how many bits does float16 have?
    """
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        torch.empty(64, dtype=torch.float16)
    assert self_bytes(prof)["aten::empty"] == 128
