"""Creating tensors: torch.tensor and the factory functions, and what they fill a tensor with."""

import torch

from kata import __


def test_tensor_takes_its_shape_from_nested_lists():
    """torch.tensor copies a nested Python list into a tensor with one dimension per level of nesting.

    Hint: count the inner lists, then the numbers in each.
    """
    t = torch.tensor([[1, 2, 3], [4, 5, 6]])
    assert t.shape == (2, 3)


def test_tensor_of_a_single_number_has_no_dimensions():
    """A plain number given to torch.tensor makes a zero-dimensional tensor (a scalar), whose shape is empty.

    Hint: an empty shape is written like an empty tuple.
    """
    t = torch.tensor(7)
    assert t.shape == ()


def test_zeros_fills_every_element_with_zero():
    """torch.zeros(rows, cols) makes a tensor of that shape filled with zeros of the default float dtype (tolist() cannot tell 0 from 0.0, so ask the dtype too).

    Hint: write the nested list that tolist() returns, one inner list per row.
    """
    t = torch.zeros(2, 3)
    assert t.tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    assert t.dtype == torch.float32


def test_ones_accepts_the_shape_as_a_tuple():
    """The factory functions take the shape either as separate integers or as one tuple; torch.ones fills it with 1.0.

    Hint: the tuple gives the shape; count the elements.
    """
    t = torch.ones((2, 2))
    assert t.sum().item() == 4.0


def test_full_fills_with_the_value_you_give():
    """torch.full(shape, value) makes a tensor of that shape in which every element is value.

    Hint: the first argument is the shape, the second the value.
    """
    t = torch.full((2, 2), 7)
    assert t.tolist() == [[7, 7], [7, 7]]


def test_full_takes_its_dtype_from_the_fill_value():
    """Without a dtype argument, torch.full infers the dtype from the fill value as torch.tensor would: an int gives the default integer dtype.

    Hint: torch.tensor([7]) and torch.full((1,), 7) agree on dtype.
    """
    t = torch.full((3,), 7)
    assert t.dtype == torch.int64


def test_arange_stops_before_its_end():
    """torch.arange(end) counts from 0 up to, but not including, end, like Python's range.

    Hint: like Python's range, with a single argument it starts at 0.
    """
    t = torch.arange(5)
    assert t.tolist() == [0, 1, 2, 3, 4]


def test_arange_takes_start_end_and_step():
    """torch.arange(start, end, step) counts from start in steps of step, stopping before end.

    Hint: like Python's range(start, end, step): the end itself is never reached.
    """
    t = torch.arange(1, 10, 3)
    assert t.tolist() == [1, 4, 7]


def test_arange_with_a_float_step_gives_floats():
    """If any of start, end or step is a float, arange produces a floating point tensor, still stopping before end.

    Hint: the end is excluded, as for integer steps.
    """
    t = torch.arange(0, 1, 0.25)
    assert t.tolist() == [0.0, 0.25, 0.5, 0.75]


def test_linspace_includes_both_ends():
    """torch.linspace(start, end, steps) spreads steps evenly spaced values from start to end, both included.

    Hint: n points including both ends leave n - 1 equal gaps.
    """
    t = torch.linspace(0, 1, 5)
    assert t.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_eye_puts_ones_on_the_main_diagonal():
    """torch.eye(n, m) is an n x m matrix with 1.0 where the row index equals the column index and 0.0 elsewhere.

    Hint: two rows of three; the diagonal stops when the rows run out.
    """
    t = torch.eye(2, 3)
    assert t.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_zeros_like_copies_shape_and_dtype():
    """torch.zeros_like(x) makes zeros with the same shape and the same dtype as x, not the default float dtype.

    Hint: x was built by arange from integers.
    """
    x = torch.arange(6).reshape(2, 3)
    z = torch.zeros_like(x)
    assert z.shape == (2, 3)
    assert z.dtype == torch.int64


def test_full_like_casts_the_fill_value_to_the_dtype_of_its_model():
    """torch.full_like(x, value) keeps x's dtype, so a fractional value given for an integer x is cast toward zero.

    Hint: what does int(0.5) give in Python?
    """
    x = torch.arange(3)
    t = torch.full_like(x, 0.5)
    assert t.tolist() == [0, 0, 0]


def test_new_methods_inherit_dtype_from_the_tensor():
    """x.new_ones(shape) and the other new_* methods build a fresh tensor with x's dtype and device but the shape you ask for.

    Hint: which dtype does x have?
    """
    x = torch.zeros(5, dtype=torch.float16)
    y = x.new_ones(2)
    assert y.dtype == torch.float16


def test_empty_has_the_requested_shape():
    """torch.empty allocates memory without initialising it: the values are whatever was there, but the shape is exactly the one asked for.

    Hint: the values are unknowable; the element count is not.
    """
    t = torch.empty(3, 4)
    assert t.numel() == 12
