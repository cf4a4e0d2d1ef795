"""Strides: how a tensor's shape is laid over one flat block of memory."""

import torch

from kata import __


def test_a_contiguous_matrix_has_row_major_strides():
    """t.stride() says, for each dimension, how many elements to skip in memory to move one step along it; a freshly made matrix is laid out row after row.

    Hint: moving down one row skips a whole row; moving right goes to the neighbouring element.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t.stride() == __


def test_strides_count_elements_not_bytes():
    """Strides are measured in elements, whatever the dtype, so a float64 matrix has the same strides as an int8 matrix of the same shape.

    Hint: the number of elements in one row.
    """
    t = torch.zeros(3, 5, dtype=torch.float64)
    assert t.stride(0) == __


def test_the_last_dimension_of_a_contiguous_tensor_has_stride_one():
    """In a contiguous tensor each stride is the product of all the sizes after it, so the last stride is 1.

    Hint: for each dimension, multiply the sizes that come after it; nothing comes after the last.
    """
    t = torch.zeros(2, 3, 4)
    assert t.stride() == __


def test_strides_locate_every_element():
    """Element t[i, j] lives at position storage_offset + i * stride(0) + j * stride(1) of the underlying memory.

    Hint: for a fresh tensor the offset is 0; row 2, column 1.
    """
    t = torch.arange(12).reshape(3, 4)
    position = t.storage_offset() + 2 * t.stride(0) + 1 * t.stride(1)
    assert position == __


def test_a_fresh_tensor_is_contiguous():
    """A tensor is contiguous when its strides are exactly the row-major strides of its shape, as for any tensor just created by a factory function.

    Hint: is_contiguous() returns a bool.
    """
    t = torch.zeros(3, 4)
    assert t.is_contiguous() == __


def test_transposing_swaps_the_strides():
    """t.t() makes no copy: it returns a view over the same memory whose sizes and strides are both swapped.

    Hint: the original strides were (4, 1).
    """
    t = torch.arange(12).reshape(3, 4)
    assert t.t().stride() == __


def test_a_transposed_matrix_is_not_contiguous():
    """After a transpose the elements of a row are no longer next to each other in memory, so the view is not contiguous.

    Hint: its strides are no longer row-major for its shape.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t.t().is_contiguous() == __


def test_permute_permutes_the_strides():
    """permute reorders the strides exactly as it reorders the sizes, without moving any data.

    Hint: the strides of a fresh (2, 3, 4) tensor are (12, 4, 1); take them in the order 2, 0, 1.
    """
    t = torch.zeros(2, 3, 4)
    assert t.permute(2, 0, 1).stride() == __


def test_a_step_slice_multiplies_the_stride():
    """Slicing with a step keeps the same memory and multiplies that dimension's stride by the step.

    Hint: every other column; the row stride does not change.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[:, ::2].stride() == __


def test_a_step_slice_is_not_contiguous():
    """A step slice skips elements in memory, so even a 1-D step slice is not contiguous.

    Hint: its single stride is 2, not 1.
    """
    t = torch.arange(10)
    assert t[::2].is_contiguous() == __


def test_slicing_records_a_storage_offset():
    """A slice that does not start at the first element starts further into the same memory; storage_offset() counts how many elements further.

    Hint: skip one full row of 4, then 2 more elements.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[1:, 2:].storage_offset() == __


def test_selecting_a_column_keeps_the_row_stride():
    """t[:, j] is a 1-D view whose only stride is the row stride of t, starting j elements into t's memory.

    Hint: consecutive elements of a column are one row apart.
    """
    t = torch.arange(12).reshape(3, 4)
    column = t[:, 1]
    assert column.stride() == __
    assert column.storage_offset() == __


def test_slicing_whole_rows_stays_contiguous():
    """A slice of whole rows of a contiguous matrix is still contiguous: only its storage offset is not zero.

    Hint: the remaining rows follow each other in memory without gaps.
    """
    t = torch.arange(12).reshape(3, 4)
    rows = t[1:]
    assert rows.is_contiguous() == __


def test_slicing_part_of_each_row_is_not_contiguous():
    """A slice that keeps only some columns of every row leaves gaps in memory between its rows, so it is not contiguous.

    Hint: after the second column of one row come the skipped columns, not the next row.
    """
    t = torch.zeros(4, 4)
    assert t[:, :2].is_contiguous() == __


def test_dimensions_of_size_one_do_not_affect_contiguity():
    """The stride of a dimension of size 1 is never used to step anywhere, so is_contiguous() ignores it.

    Hint: transposing a (1, 4) tensor gives (4, 1) with the elements still in order in memory.
    """
    t = torch.zeros(1, 4)
    assert t.t().is_contiguous() == __
