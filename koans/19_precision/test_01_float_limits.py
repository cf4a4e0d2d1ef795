"""Floating-point limits: what finfo and iinfo say about each dtype, and what happens at the edges."""

import torch

from kata import __


def test_eps_is_the_gap_above_one():
    """torch.finfo(dtype).eps is the distance from 1.0 to the next representable number, 2 ** -f for a dtype that stores f fraction bits. A float has one sign bit, then its exponent bits (8 for float32, 5 for float16, 8 for bfloat16), and the rest are fraction bits.

    Hint: subtract the sign and exponent bits from the dtype's width; 2 ** -n works as an answer.
    """
    eps = [torch.finfo(dtype).eps for dtype in (torch.float32, torch.float16, torch.bfloat16)]
    assert eps == __


def test_ties_round_to_the_even_neighbour():
    """A float32 sum is rounded to the nearest representable value, and an exact tie goes to the neighbour whose last significand bit is even; 1.0 itself has an even significand, the next float above it an odd one.

    Hint: 1 + eps / 2 and 1 + 3 * eps / 2 each lie halfway between two neighbours; which one is even?
    """
    eps = torch.finfo(torch.float32).eps
    one = torch.tensor(1.0)
    assert [(one + k * eps).item() - 1 for k in (0.5, 1.5)] == __


def test_float32_counts_integers_exactly_only_up_to_2_to_the_24():
    """float32 has a 24-bit significand (23 stored bits and an implicit leading 1), so integers are exact only up to 2 ** 24; above it neighbouring values are 2 apart, and a value halfway between two of them rounds to the one with the even significand.

    Hint: 2 ** 24 = 16777216; write each neighbour as 2 ** 24 plus a multiple of 2 and look at the multiple.
    """
    t = torch.tensor([16777217.0, 16777218.0, 16777219.0])
    assert t.tolist() == __


def test_float16_largest_finite_value():
    """float16 has 5 exponent bits and 10 fraction bits; its largest finite value has the largest significand, 2 - 2 ** -10, times the largest normal power of two, 2 ** 15.

    Hint: work out the product; it is a little under 2 ** 16.
    """
    assert torch.finfo(torch.float16).max == __


def test_converting_out_of_range_values_to_float16():
    """Converting a value beyond float16's range to float16 never raises: above the largest finite value it becomes infinity of the same sign, and below half of the smallest subnormal value (2 ** -24, about 6e-8) it becomes zero.

    Hint: Python spells infinity float("inf").
    """
    t = torch.tensor([70000.0, -70000.0, 1e-8]).to(torch.float16)
    assert t.tolist() == __


def test_bfloat16_trades_precision_for_range():
    """bfloat16 keeps float32's 8 exponent bits (range up to about 3.4e38) but stores only 7 fraction bits, so between 2 ** k and 2 ** (k + 1) its neighbouring values are 2 ** (k - 7) apart; float16 stores 10 fraction bits but overflows above 65504.

    Hint: 1e5 lies between 2 ** 16 and 2 ** 17; round it to the nearest multiple of that spacing.
    """
    t = torch.tensor([257.0, 1e5])
    assert t.to(torch.bfloat16).tolist() == __
    assert t.to(torch.float16).tolist() == __


def test_tiny_is_the_smallest_normal_number():
    """finfo.tiny (also called smallest_normal) is the smallest positive normal number: its exponent field is 1, so its value is 2 ** (1 - bias), where the exponent bias of a format with e exponent bits is 2 ** (e - 1) - 1.

    Hint: float16 has 5 exponent bits, bfloat16 8.
    """
    tiny = (torch.finfo(torch.float16).tiny, torch.finfo(torch.bfloat16).tiny)
    assert tiny == __


def test_iinfo_gives_integer_range():
    """torch.iinfo describes integer dtypes: an n-bit unsigned integer runs from 0 to 2 ** n - 1, a signed two's-complement one from -2 ** (n - 1) to 2 ** (n - 1) - 1.

    Hint: answer a list of (min, max) tuples.
    """
    ranges = [(torch.iinfo(dtype).min, torch.iinfo(dtype).max) for dtype in (torch.uint8, torch.int16)]
    assert ranges == __
