"""Dtypes: what torch.tensor infers, converting between dtypes, and how mixed dtypes meet in arithmetic."""

import pytest
import torch

from kata import __


def test_default_float_dtype_is_float32():
    """Python floats become torch's default floating point dtype, which is 32-bit unless changed with torch.set_default_dtype.

    Hint: not the 64-bit float that Python and NumPy use.
    """
    t = torch.tensor([1.0, 2.0])
    assert t.dtype == __


def test_python_ints_become_int64():
    """Python ints become 64-bit signed integers, torch.int64 (also called torch.long).

    Hint: Python ints are unbounded, so torch picks its widest signed integer.
    """
    t = torch.tensor([1, 2, 3])
    assert t.dtype == __


def test_python_bools_become_bool():
    """A list of Python bools makes a tensor of dtype torch.bool, not of integers.

    Hint: the dtype is named like the Python type.
    """
    t = torch.tensor([True, False])
    assert t.dtype == __


def test_one_float_in_the_list_makes_the_whole_tensor_float():
    """A tensor has a single dtype, so a list mixing ints and floats becomes a float tensor of the default float dtype.

    Hint: 2.5 cannot be stored in an integer.
    """
    t = torch.tensor([1, 2.5])
    assert t.dtype == __


def test_comparisons_give_bool_tensors():
    """Comparison operators work element by element and return a tensor of dtype torch.bool.

    Hint: each element answers yes or no.
    """
    t = torch.arange(4) > 1
    assert t.tolist() == __
    assert t.dtype == __


def test_int_tensor_plus_float_tensor_is_float():
    """When two tensors of different kinds meet, the result takes the higher kind: bool < integer < floating point < complex.

    Hint: int64 meets float32.
    """
    a = torch.tensor([1, 2])
    b = torch.tensor([0.5, 0.5])
    assert (a + b).dtype == __


def test_int_tensor_plus_python_float_gives_the_default_float_dtype():
    """A Python float added to an integer tensor lifts the result to the floating point kind, using the default float dtype.

    Hint: Python floats are 64-bit, but that width does not carry over into the tensor.
    """
    t = torch.tensor([1, 2]) + 0.5
    assert t.dtype == __


def test_floor_division_rounds_toward_minus_infinity():
    """The // operator floors, rounding toward minus infinity as Python does, not toward zero.

    Hint: -1.5 rounded down.
    """
    t = torch.tensor([-3]) // 2
    assert t.tolist() == __


def test_summing_bools_counts_the_trues():
    """Summing a bool tensor treats True as 1 and returns an int64 count.

    Hint: how many True values are there?
    """
    t = torch.tensor([True, True, False, True])
    assert t.sum().item() == __


def test_complex_numbers_become_complex64():
    """Python complex numbers become torch's default complex dtype, which pairs two numbers of the default float dtype.

    Hint: two float32 halves make how many bits?
    """
    t = torch.tensor([1 + 2j])
    assert t.dtype == __


def test_shortcut_methods_convert_the_dtype():
    """t.float(), t.double(), t.long() and friends are shorthands for t.to(dtype); .double() gives 64-bit floats.

    Hint: double precision.
    """
    t = torch.arange(3).double()
    assert t.dtype == __


def test_mean_refuses_integer_tensors():
    """mean() does not pick a float dtype for you: on an integer tensor it raises a RuntimeError asking for a floating point input.

    Hint: the message admits that mean() cannot work out which dtype its result should have.
    """
    t = torch.arange(4)
    with pytest.raises(RuntimeError, match=__):
        t.mean()


def test_adding_bool_tensors_stays_bool():
    """Adding two bool tensors gives a bool tensor: no promotion to an integer dtype happens, so True + True is True rather than 2.

    Hint: what is False + False when the answer must be a bool?
    """
    t = torch.tensor([True, False]) + torch.tensor([True, False])
    assert t.tolist() == __
