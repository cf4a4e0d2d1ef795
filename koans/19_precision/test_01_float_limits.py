"""Floating-point limits: what finfo and iinfo say about each dtype, and what happens at the edges."""

import torch

from kata import __


def test_float32_eps_is_the_gap_above_one():
    """torch.finfo(dtype).eps is the distance from 1.0 to the next representable number;
    float32 stores 23 fraction bits, so that gap is 2 ** -23.

    Hint: a power of two written as 2 ** -n works as an answer.
    """
    assert torch.finfo(torch.float32).eps == __


def test_adding_half_eps_to_one_changes_nothing():
    """A float32 sum is rounded to the nearest representable value, and 1 + eps / 2 lies exactly
    halfway between 1.0 and 1.0 + eps; ties round to the value with an even last bit, which is 1.0.

    Hint: which of the two neighbours has the even significand?
    """
    eps = torch.finfo(torch.float32).eps
    one = torch.tensor(1.0)
    assert (one + eps / 2).item() == __


def test_float32_counts_integers_exactly_only_up_to_2_to_the_24():
    """float32 has a 24-bit significand, so above 2 ** 24 = 16777216 neighbouring values are
    2 apart and an odd integer is rounded to an even one.

    Hint: 16777217 is halfway between two representable values; ties go to even.
    """
    t = torch.tensor(16777217.0)
    assert t.item() == __


def test_float16_largest_finite_value():
    """float16 has 5 exponent bits and 10 fraction bits; its largest finite value is
    (2 - 2 ** -10) * 2 ** 15.

    Hint: work out the product; it is a little under 2 ** 16.
    """
    assert torch.finfo(torch.float16).max == __


def test_float16_overflows_to_inf():
    """Converting a value beyond float16's range to float16 does not raise: it becomes infinity.

    Hint: Python spells infinity float("inf").
    """
    t = torch.tensor([70000.0, -70000.0]).to(torch.float16)
    assert t.tolist() == __


def test_float16_underflows_to_zero():
    """float16's smallest positive (subnormal) value is 2 ** -24, about 6e-8; anything below half
    of it rounds to zero.

    Hint: 1e-8 is well below 6e-8.
    """
    t = torch.tensor([1e-8]).to(torch.float16)
    assert t.tolist() == __


def test_bfloat16_keeps_float32_range():
    """bfloat16 keeps float32's 8 exponent bits, so it reaches about 3.4e38 just like float32
    and 1e38 stays finite.

    Hint: compare with the float16 koan above; the exponent decides the range.
    """
    t = torch.tensor([1e38]).to(torch.bfloat16)
    assert torch.isfinite(t).item() == __


def test_bfloat16_gives_up_precision():
    """bfloat16 has only 7 fraction bits (eps = 2 ** -7), so between 256 and 512 its neighbouring
    values are 2 apart, while float16 with 10 fraction bits still counts every integer there.

    Hint: 257 is halfway between 256 and 258; ties round to the even significand.
    """
    t = torch.tensor([257.0])
    assert t.to(torch.bfloat16).tolist() == __
    assert t.to(torch.float16).tolist() == __


def test_tiny_is_the_smallest_normal_number():
    """finfo.tiny (also called smallest_normal) is the smallest positive normal number: for
    float16 its exponent field is 1, so its value is 2 ** (1 - 15).

    Hint: float16's exponent bias is 15.
    """
    assert torch.finfo(torch.float16).tiny == __


def test_iinfo_gives_integer_range():
    """torch.iinfo describes integer dtypes; a signed 8-bit two's-complement integer runs from
    -2 ** 7 to 2 ** 7 - 1.

    Hint: answer with a tuple (min, max).
    """
    info = torch.iinfo(torch.int8)
    assert (info.min, info.max) == __
