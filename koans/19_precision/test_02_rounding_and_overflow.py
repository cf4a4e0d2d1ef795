"""Rounding and overflow: float results that are not what arithmetic on paper gives, and integers that wrap."""

import torch

from kata import __


def test_only_sums_of_powers_of_two_are_exact():
    """A float32 holds a value exactly only if it is a sum of few enough powers of two; otherwise torch.tensor(v) stores the nearest float32, and .item() widens that back to a Python float that differs from v.

    Hint: which of the four values have a finite binary expansion?
    """
    values = (0.5, 0.1, 0.25, 0.2)
    assert [torch.tensor(v).item() == v for v in values] == __


def test_float_addition_is_not_associative():
    """Each float32 addition rounds its own result, and near 1e8 neighbouring float32 values are 8 apart, so the grouping of a sum can change the answer.

    Hint: in each grouping, does the 1 meet a number near 1e8 before or after the cancellation?
    """
    a, b, c = torch.tensor(1e8), torch.tensor(-1e8), torch.tensor(1.0)
    assert ((a + b) + c).item() == __
    assert (a + (b + c)).item() == __


def test_integer_tensors_wrap_around():
    """Integer tensors never saturate or raise on overflow: each result is reduced modulo 2 ** bits and read back in the dtype's range (two's complement for the signed ones), abs included.

    Hint: work each result out exactly, then add or subtract 256 until it is in range.
    """
    i8 = torch.tensor([127, -128], dtype=torch.int8)
    u8 = torch.tensor([0, 30], dtype=torch.uint8)
    assert (i8 + 1).tolist() == __
    assert (u8 * 10 - 1).tolist() == __
    assert i8.abs().tolist() == __


def test_float_to_int_truncates_toward_zero():
    """Converting a float tensor to an integer dtype drops the fraction (rounds toward zero), like Python's int(), not toward minus infinity.

    Hint: toward zero, for negative values too.
    """
    t = torch.tensor([-1.7, 1.7, -0.5, 2.9])
    assert t.to(torch.int64).tolist() == __


def test_round_sends_halves_to_even():
    """torch.round rounds halfway cases to the nearest even integer (banker's rounding), as Python 3's round() does; other values go to the nearest integer.

    Hint: each halfway case has exactly one even neighbour.
    """
    t = torch.tensor([0.5, 1.5, 2.5, -2.5, 2.6])
    assert t.round().tolist() == __
