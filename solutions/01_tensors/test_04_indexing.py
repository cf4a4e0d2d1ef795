"""Indexing and slicing: integers, slices, the ellipsis, None, masks, index lists and where."""

import torch

from kata import __, raises


def test_integers_remove_dimensions_and_slices_keep_them():
    """Each position of an index applies to one dimension, from the left, and dimensions left unnamed are kept whole. An integer picks one position and removes its dimension; a slice, even of one element, keeps its dimension with the length of its range, clipped to the size as Python clips list slices.

    Hint: go through the index position by position: drop, keep at the slice's length, or keep whole.
    """
    t = torch.arange(24).reshape(2, 3, 4)
    picks = [t[1], t[1:2], t[1, :, -1], t[:, 1:2, ::2], t[:5]]
    assert [tuple(p.shape) for p in picks] == [(3, 4), (1, 3, 4), (3,), (2, 1, 2), (2, 3, 4)]


def test_negative_positions_and_steps_select_values():
    """An index counts from the end when negative (-1 is the last position), and start:stop:step takes every step-th position from start, as for Python lists; a step must be positive (torch.flip reverses).

    Hint: t holds 0 to 11 row by row, four to a row.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[-1, -2].item() == 10
    assert t[1:, -2:].tolist() == [[6, 7], [10, 11]]
    assert t[0, 1::2].tolist() == [1, 3]


def test_an_integer_index_past_the_end_raises():
    """Unlike a slice, an integer outside its dimension raises an IndexError that names the index, the dimension it was applied to and that dimension's size.

    Hint: count the positions of the index; which one holds the integer?
    """
    t = torch.arange(12).reshape(3, 4)
    with raises(IndexError, match="for dimension 1 with size 4"):
        t[:, 4]


def test_the_ellipsis_and_none_shape_the_result():
    """... stands for as many whole dimensions as the rest of the index leaves unnamed, so whatever follows it indexes the last dimensions; None inserts a new dimension of size 1 where it stands in the index.

    Hint: place the dimensions the ellipsis stands for first, then apply each entry.
    """
    t = torch.zeros(2, 3, 4, 5)
    picks = [t[..., 0], t[:, None], t[None, ..., 1:3], t[0, ..., None]]
    assert [tuple(p.shape) for p in picks] == [(2, 3, 4), (2, 1, 3, 4, 5), (1, 2, 3, 4, 2), (3, 4, 5, 1)]


def test_a_mask_merges_the_dimensions_it_covers():
    """A bool mask indexes as many dimensions as it has, from the left: it picks the positions where it is True, in row-major order, and replaces the dimensions it covers by one whose size is the number of Trues; the dimensions it does not cover stay.

    Hint: one mask covers both dimensions of t, the other only the first.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[t % 3 == 0].tolist() == [0, 3, 6, 9]
    assert t[t[:, 0] > 0].shape == (2, 4)


def test_assigning_through_a_mask_fills_the_trues_in_order():
    """t[mask] = v writes into t in place where the mask is True; v is one value for all of them or one value per True, used in row-major order.

    Hint: the values go to the selected positions one after the other.
    """
    t = torch.tensor([-1, 2, -3, 4])
    t[t < 0] = torch.tensor([10, 20])
    assert t.tolist() == [10, 2, 20, 4]


def test_index_lists_pick_positions_and_pair_up():
    """A list of integers picks those positions, in that order and with repeats allowed; two lists in one index are paired position by position, picking single elements, while indexing twice, one list at a time, picks a block.

    Hint: t holds 0 to 11 row by row; pair the two lists as zip would.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[[2, 0, 2], 0].tolist() == [8, 0, 8]
    assert t[[0, 2], [1, 3]].tolist() == [1, 11]
    assert t[[0, 2]][:, [1, 3]].tolist() == [[1, 3], [9, 11]]


def test_where_chooses_element_by_element_and_promotes():
    """torch.where(cond, a, b) takes a where cond is True and b elsewhere; its result has the dtype that a and b promote to, so a Python float as b makes an integer a float. With only a condition, torch.where(cond) returns a tuple of index tensors, one per dimension of cond, locating the Trues in row-major order.

    Hint: the second answer is a row index and a column index for each non-zero element.
    """
    t = torch.arange(6)
    kept = torch.where(t > 3, t, 0.5)
    assert (kept.tolist(), kept.dtype) == ([0.5, 0.5, 0.5, 0.5, 4.0, 5.0], torch.float32)
    rows, cols = torch.where(torch.tensor([[0, 3], [0, 7]]) != 0)
    assert (rows.tolist(), cols.tolist()) == ([0, 1], [1, 1])
