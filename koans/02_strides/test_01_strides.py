"""Strides: how a tensor's shape is laid over one flat block of memory."""

import torch

from kata import __


def test_a_fresh_tensor_is_laid_out_row_major():
    """t.stride() says, for each dimension, how many elements to skip in memory to move one step along it. A factory function lays a tensor out row-major: each stride is the product of all the sizes after it.

    Hint: work from the last dimension to the first, multiplying as you go.
    """
    t = torch.zeros(2, 3, 4, 5)
    assert t.stride() == __


def test_strides_count_elements_not_bytes():
    """Strides are measured in elements, whatever the dtype; the bytes skipped are the stride times element_size().

    Hint: how many float64 elements lie between the starts of two rows, and how many bytes is that?
    """
    t = torch.zeros(3, 5, dtype=torch.float64)
    assert [t.stride(0), t.stride(0) * t.element_size()] == __


def test_a_step_slice_multiplies_the_stride_and_moves_the_offset():
    """Slicing with a step keeps the same memory and multiplies that dimension's stride by the step; a slice that does not start at index 0 starts further into the memory, and storage_offset() counts how many elements further.

    Hint: take each dimension on its own: the step scales its stride, the start moves the offset by start times the stride.
    """
    t = torch.arange(12).reshape(3, 4)
    s = t[::2, 1::3]
    assert [s.stride(), s.storage_offset()] == __


def test_strides_locate_every_element():
    """Element v[i, j] lives at position storage_offset + i * stride(0) + j * stride(1) of the underlying memory; in torch.arange's memory an element's value is its position.

    Hint: first work out v's offset and strides from the slice, then apply the formula.
    """
    t = torch.arange(20).reshape(4, 5)
    v = t[1:, ::2]
    assert v[2, 1].item() == __


def test_selecting_a_column_keeps_the_row_stride():
    """t[:, j] is a 1-D view whose only stride is the row stride of t, starting j elements into t's memory.

    Hint: consecutive elements of a column are one row apart.
    """
    t = torch.arange(15).reshape(3, 5)
    column = t[:, 2]
    assert [column.stride(), column.storage_offset()] == __


def test_transposing_swaps_sizes_and_strides():
    """t.t() makes no copy: it returns a view over the same memory whose sizes and strides are both swapped, whatever the strides were.

    Hint: first the strides of the step slice, then swap them.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[:, ::2].t().stride() == __


def test_permute_permutes_the_strides():
    """permute reorders the strides exactly as it reorders the sizes, without moving any data.

    Hint: write down the fresh strides first; the new dimension k takes the stride of old dimension dims[k].
    """
    t = torch.zeros(2, 3, 4)
    assert t.permute(2, 0, 1).stride() == __


def test_contiguity_is_about_visiting_memory_in_order():
    """is_contiguous() asks whether walking the elements in row-major index order visits memory positions one after another without gaps: every dimension of size greater than 1 must have the row-major stride (the product of the later sizes). Offsets do not matter.

    Hint: for each slice, does the next element in index order sit at the next memory position?
    """
    t = torch.zeros(4, 4)
    cases = [t[1:], t[:, :2], t[::2], t[:, 1:2], t[1:2], torch.zeros(10)[::2]]
    assert [c.is_contiguous() for c in cases] == __


def test_dimensions_of_size_one_do_not_affect_contiguity():
    """The stride of a dimension of size 1 is never used to step anywhere, and an empty tensor has nothing to visit, so is_contiguous() ignores both; a transpose is contiguous exactly when it does not change the order of the elements.

    Hint: for each transpose, ask whether the elements still come in memory order.
    """
    cases = [torch.zeros(3, 4).t(), torch.zeros(1, 4).t(), torch.zeros(2, 1, 3).transpose(0, 1), torch.zeros(0, 3).t()]
    assert [c.is_contiguous() for c in cases] == __
