"""Comparing floats: exact equality, allclose's tolerance formula, NaN, and torch.testing.assert_close."""

import pytest
import torch

from kata import __


def test_equal_demands_exact_match_allclose_does_not():
    """torch.equal is true only when shapes and every value match exactly, while torch.allclose
    accepts a difference up to atol + rtol * |other| (defaults atol=1e-8, rtol=1e-5).

    Hint: in float32, 1.0 + 1e-7 is the next float above 1.0, about 1.19e-7 away.
    """
    a = torch.tensor([1.0])
    b = torch.tensor([1.0 + 1e-7])
    assert torch.equal(a, b) == __
    assert torch.allclose(a, b) == __


def test_allclose_tolerance_is_relative_to_other():
    """torch.allclose(input, other) checks |input - other| <= atol + rtol * |other|: the relative
    part scales with the second argument only, so swapping the arguments can change the answer.

    Hint: with rtol=0.5 and atol=0 the allowed gap is half of |other|.
    """
    one, two = torch.tensor([1.0]), torch.tensor([2.0])
    assert torch.allclose(one, two, rtol=0.5, atol=0.0) == __
    assert torch.allclose(two, one, rtol=0.5, atol=0.0) == __


def test_atol_matters_near_zero():
    """Near zero, rtol * |other| is tiny, so only atol (default 1e-8) lets a small value count as
    close to 0.

    Hint: compare 1e-9 with the default atol, then with atol=0.
    """
    zero, small = torch.tensor([0.0]), torch.tensor([1e-9])
    assert torch.allclose(zero, small) == __
    assert torch.allclose(zero, small, atol=0.0) == __


def test_nan_is_never_close_unless_equal_nan():
    """NaN compares unequal to everything, itself included, so allclose of NaN with NaN is false
    unless equal_nan=True is passed.

    Hint: the default is equal_nan=False.
    """
    nan = torch.tensor([float("nan")])
    assert torch.allclose(nan, nan) == __
    assert torch.allclose(nan, nan, equal_nan=True) == __


def test_allclose_refuses_mixed_dtypes():
    """torch.allclose does not promote: a float32 and a float64 tensor make it raise a
    RuntimeError naming the two dtypes ("Float did not match Double").

    Hint: float32 is called Float and float64 Double in PyTorch's C++ messages.
    """
    with pytest.raises(RuntimeError, match=__):
        torch.allclose(torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64))


def test_assert_close_checks_dtype_too():
    """torch.testing.assert_close compares more than values: by default it also checks dtype and
    device, and a mismatch raises AssertionError naming the attribute.

    Hint: the message says which attribute did not match.
    """
    with pytest.raises(AssertionError, match=__):
        torch.testing.assert_close(torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64))
