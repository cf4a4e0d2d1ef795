"""Rounding and overflow: float results that are not what arithmetic on paper gives, and integers that wrap."""

import torch

from kata import __


def test_point_one_is_not_exact_in_float32():
    """0.1 has no finite binary expansion, so torch.tensor(0.1) stores the nearest float32, which
    differs from Python's float64 0.1 once .item() widens it back to a Python float.

    Hint: a float64 tensor would round-trip 0.1 exactly; this one is float32.
    """
    assert (torch.tensor(0.1).item() == 0.1) == False


def test_float_addition_is_not_associative():
    """Each float32 addition rounds its own result, and near 1e8 neighbouring float32 values are 8
    apart, so the grouping of a sum can change the answer: a large cancellation done first keeps
    the small term, done last it loses it.

    Hint: -1e8 + 1 rounds to a multiple of 8 before 1e8 is added back.
    """
    a, b, c = torch.tensor(1e8), torch.tensor(-1e8), torch.tensor(1.0)
    assert ((a + b) + c).item() == 1.0
    assert (a + (b + c)).item() == 0.0


def test_int8_wraps_around_on_overflow():
    """Integer tensors do not saturate or raise on overflow: int8 arithmetic wraps modulo 256 in
    two's complement.

    Hint: one past the largest int8 is the smallest int8.
    """
    t = torch.tensor([127], dtype=torch.int8)
    assert (t + 1).tolist() == [-128]


def test_uint8_wraps_below_zero():
    """uint8 has no negative numbers; subtracting below zero wraps around modulo 256.

    Hint: 0 - 1 modulo 256.
    """
    t = torch.tensor([0], dtype=torch.uint8)
    assert (t - 1).tolist() == [255]


def test_uint8_times_uint8_stays_uint8():
    """Multiplying two uint8 tensors gives a uint8 tensor, so the true product is reduced
    modulo 256.

    Hint: 10 * 30 = 300; subtract 256.
    """
    a = torch.tensor([10], dtype=torch.uint8)
    b = torch.tensor([30], dtype=torch.uint8)
    assert (a * b).tolist() == [44]


def test_abs_of_int8_minimum_overflows():
    """int8 runs from -128 to 127, so +128 does not exist: abs(-128) wraps around to itself.

    Hint: 128 modulo 256, read as a signed 8-bit number.
    """
    t = torch.tensor([-128], dtype=torch.int8)
    assert t.abs().tolist() == [-128]


def test_float_to_int_truncates_toward_zero():
    """Converting a float tensor to an integer dtype drops the fraction (rounds toward zero), like
    Python's int(), not toward minus infinity.

    Hint: int(-1.7) in Python.
    """
    t = torch.tensor([-1.7, 1.7])
    assert t.to(torch.int64).tolist() == [-1, 1]


def test_round_sends_halves_to_even():
    """torch.round rounds halfway cases to the nearest even integer (banker's rounding), as
    Python 3's round() does.

    Hint: 0.5, 1.5 and 2.5 each have one even neighbour.
    """
    t = torch.tensor([0.5, 1.5, 2.5])
    assert t.round().tolist() == [0.0, 2.0, 2.0]
