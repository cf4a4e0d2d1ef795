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
    """An out-of-place op allocates a new tensor for its result: with profile_memory=True the
    profiler records the bytes, here 256 float32 elements of 4 bytes each.

    Hint: the profiler counts bytes, not elements.
    """
    a = torch.ones(256)
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        a + a
    assert self_bytes(prof)["aten::add"] == 1024


def test_in_place_add_allocates_nothing():
    """An in-place op writes into its own storage, so it allocates no bytes and the tensor keeps
    the same data pointer.

    Hint: nothing new is needed to hold the result.
    """
    a = torch.ones(256)
    b = torch.ones(256)
    before = a.data_ptr()
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        a.add_(b)
    assert total_bytes(prof)["aten::add_"] == 0
    assert (a.data_ptr() == before) == True


def test_out_argument_reuses_a_preallocated_tensor():
    """Passing out= with a tensor of the right shape and dtype makes the op write there instead of
    allocating a result.

    Hint: the out tensor already has room for the result.
    """
    a = torch.ones(64)
    out = torch.empty(64)
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        torch.add(a, a, out=out)
    assert total_bytes(prof)["aten::add"] == 0


def test_views_allocate_nothing():
    """view and t() return tensors that share the original storage: new shape and strides, no new
    bytes.

    Hint: a view is metadata only.
    """
    m = torch.ones(8, 8)
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        m.view(64)
        m.t()
    allocated = total_bytes(prof)
    assert (allocated["aten::view"], allocated["aten::t"]) == (0, 0)


def test_contiguous_copies_only_when_needed():
    """.contiguous() returns the tensor itself when it is already contiguous and clones it
    otherwise, so of these two calls only the one on the transpose copies the 8 x 8 float32 data.

    Hint: count the clones, then the bytes of one 8 x 8 float32 tensor.
    """
    m = torch.ones(8, 8)
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        m.contiguous()
        m.t().contiguous()
    assert call_counts(prof)["aten::clone"] == 1
    assert total_bytes(prof)["aten::clone"] == 256


def test_dtype_sets_the_bytes_allocated():
    """The bytes an op allocates are the number of elements times the element size of the dtype,
    which is 8 bytes for float64.

    Hint: 64 elements of float64.
    """
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        torch.empty(64, dtype=torch.float64)
    assert self_bytes(prof)["aten::empty"] == 512
