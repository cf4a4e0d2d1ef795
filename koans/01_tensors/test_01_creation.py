"""Creating tensors: torch.tensor and the factory functions, the shape and dtype each one gives."""

import torch

from kata import __, raises


def test_each_level_of_nesting_is_a_dimension():
    """torch.tensor copies nested Python lists into a tensor with one dimension per level of nesting, sized by the length of the lists at that level; a bare number is nested zero levels deep.

    Hint: count the brackets from the outside in; an empty list is still one level.
    """
    values = [7, [7], [[7]], [], [[1, 2, 3], [4, 5, 6]]]
    assert [tuple(torch.tensor(v).shape) for v in values] == __


def test_ragged_lists_are_refused():
    """A tensor is a rectangular block, so every list at one level must have the same length; torch.tensor takes the first list at each level as the expected length and names the first dimension where a list disagrees, with that list's length.

    Hint: which level holds the list that is too short, counting the outermost as dimension 0?
    """
    with raises(ValueError, match=__):
        torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8]])


def test_full_infers_its_dtype_from_the_fill_value():
    """zeros, ones and empty make the default float dtype (32-bit unless torch.set_default_dtype changed it) whatever the shape, given as separate sizes or one tuple; full(shape, value) infers its dtype from value, as torch.tensor infers it from a Python number.

    Hint: for full, ask what torch.tensor would make of the fill value alone.
    """
    from_value = [torch.full((2,), 7), torch.full((2,), 7.0), torch.full((2,), True)]
    assert [t.dtype for t in from_value] == __


def test_arange_steps_from_start_and_stops_before_end():
    """torch.arange(start, end, step) counts like Python's range: from start by step, a negative step counting down, and end is never reached. The result is int64 when start, end and step are all ints, and the default float dtype as soon as one of them is a float.

    Hint: list the values one step at a time and stop before passing end.
    """
    down = torch.arange(5, 0, -2)
    halves = torch.arange(1, 2.5, 0.5)
    assert down.tolist() == __
    assert halves.tolist() == __
    assert (down.dtype, halves.dtype) == __


def test_linspace_counts_points_and_lands_on_its_end():
    """torch.linspace(start, end, steps) takes a number of points, not a step: they are evenly spaced from start to end with both ends included, and always of the default float dtype, integer ends or not.

    Hint: arange never reaches its end; linspace always does, and its points are not ints.
    """
    points = torch.linspace(0, 10, 3)
    stepped = torch.arange(0, 10, 5)
    assert points.tolist() == __
    assert (points.dtype, stepped.tolist()) == __


def test_eye_puts_ones_where_the_row_index_equals_the_column_index():
    """torch.eye(n, m) is an n-by-m matrix of the default float dtype with 1.0 where the row index equals the column index and 0.0 elsewhere; the diagonal ends when either rows or columns run out.

    Hint: the first argument counts rows.
    """
    assert torch.eye(3, 2).tolist() == __


def test_like_and_new_factories_take_dtype_from_a_tensor():
    """torch.zeros_like(x), full_like(x, v) and the other *_like functions take x's shape, dtype and device; x.new_ones(shape), x.new_tensor(data) and the other new_* methods take x's dtype and device but the shape or data you pass. A float stored into an integer dtype is cast toward zero, as C casts it.

    Hint: toward zero is not down when the value is negative.
    """
    x = torch.arange(6).reshape(2, 3)
    assert torch.full_like(x, -2.7).tolist() == __
    assert x.new_tensor([1.5, -0.5]).tolist() == __
    ones = x.new_ones(4)
    assert (tuple(ones.shape), ones.dtype) == __
