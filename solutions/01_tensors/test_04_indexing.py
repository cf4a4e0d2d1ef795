"""Indexing and slicing: integers, negative indices, steps, the ellipsis, None, masks and where."""

import pytest
import torch

from kata import __, raises


def test_an_integer_index_removes_a_dimension():
    """Indexing a 2-D tensor with one integer picks one row and returns it as a 1-D tensor.

    Hint: t holds 0 to 11 in three rows of four; which row has index 1?
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[1].tolist() == [4, 5, 6, 7]


def test_negative_indices_count_from_the_end():
    """As with Python lists, index -1 is the last position along a dimension.

    Hint: the last row, one step left of its end, in the 3x4 grid holding 0 to 11.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[-1, -2].item() == 10


def test_a_slice_keeps_the_dimension():
    """A slice, even one that selects a single row, keeps its dimension, with the length of the selected range.

    Hint: compare with t[1], which has shape (4,).
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[1:2].shape == (1, 4)


def test_a_colon_selects_a_column():
    """A bare colon keeps a whole dimension, so t[:, j] is column j as a 1-D tensor.

    Hint: the second number of every row.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[:, 1].tolist() == [1, 5, 9]


def test_slices_can_take_a_step():
    """start:stop:step takes every step-th element, as for Python lists.

    Hint: every other element of the first row, starting with the first.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[0, ::2].tolist() == [0, 2]


def test_slices_combine_across_dimensions():
    """Each position in the index applies to one dimension, so t[1:, -2:] takes the rows from 1 on and the last two columns.

    Hint: a 2x2 block from the bottom-right of the grid.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[1:, -2:].tolist() == [[6, 7], [10, 11]]


def test_a_slice_past_the_end_is_clipped():
    """As with Python lists, a slice whose bounds lie past the end is clipped to the tensor instead of raising.

    Hint: t has only 3 rows.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[:5].shape == (3, 4)


def test_an_integer_index_past_the_end_raises():
    """Unlike a slice, an integer index outside a dimension raises an IndexError that states the index and the size.

    Hint: the message states the dimension and its size; which dimension did t[3] index?
    """
    t = torch.arange(12).reshape(3, 4)
    with raises(IndexError, match="for dimension 0 with size 3"):
        t[3]


def test_negative_steps_are_not_supported():
    """Unlike Python lists and NumPy arrays, tensors cannot be sliced with a negative step; use torch.flip to reverse.

    Hint: the exception class is the one Python uses for a bad value.
    """
    t = torch.arange(5)
    with pytest.raises(Exception, match="step must be greater than zero") as info:
        t[::-1]
    assert info.type is ValueError


def test_the_ellipsis_stands_for_all_the_dimensions_in_between():
    """... in an index stands for as many full slices as needed, so t[..., 0] indexes the last dimension.

    Hint: the last dimension disappears; the others stay.
    """
    t = torch.zeros(2, 3, 4, 5)
    assert t[..., 0].shape == (2, 3, 4)


def test_none_inserts_a_dimension_of_size_one():
    """None in an index inserts a new dimension of size 1 at that position.

    Hint: the None sits in the second position.
    """
    t = torch.zeros(3, 4)
    assert t[:, None].shape == (3, 1, 4)


def test_a_boolean_mask_selects_into_a_1d_tensor():
    """Indexing with a bool tensor of the same shape picks the elements where the mask is True, flattened into a 1-D tensor in row-major order.

    Hint: the even numbers from 0 to 11; the 3x4 layout is lost.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[t % 2 == 0].tolist() == [0, 2, 4, 6, 8, 10]


def test_assigning_through_a_mask_changes_only_the_selected_elements():
    """t[mask] = value writes value into t wherever the mask is True, in place.

    Hint: negative numbers become zero, the rest stay.
    """
    t = torch.tensor([-1.0, 2.0, -3.0, 4.0])
    t[t < 0] = 0
    assert t.tolist() == [0.0, 2.0, 0.0, 4.0]


def test_a_list_of_indices_picks_those_rows():
    """Indexing with a list of integers picks those positions, in that order, along the first dimension.

    Hint: the last row first, then the first row.
    """
    t = torch.arange(6).reshape(3, 2)
    assert t[[2, 0]].tolist() == [[4, 5], [0, 1]]


def test_two_index_lists_pair_up_elementwise():
    """Two integer lists in one index are paired position by position, so t[[0, 2], [1, 3]] picks t[0, 1] and t[2, 3].

    Hint: two single elements, not a 2x2 block.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[[0, 2], [1, 3]].tolist() == [1, 11]


def test_where_chooses_element_by_element():
    """torch.where(cond, a, b) takes a where cond is True and b elsewhere; a Python number is broadcast as b.

    Hint: values above 5 survive; the rest become 0.
    """
    t = torch.arange(8)
    assert torch.where(t > 5, t, 0).tolist() == [0, 0, 0, 0, 0, 0, 6, 7]


def test_where_with_only_a_condition_returns_indices():
    """torch.where(cond) with a single argument returns a tuple with one tensor of indices per dimension of cond, locating the True elements.

    Hint: the positions of the non-zero numbers.
    """
    t = torch.tensor([0, 3, 5, 0, 7])
    (idx,) = torch.where(t != 0)
    assert idx.tolist() == [1, 2, 4]
