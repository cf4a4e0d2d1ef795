"""Comparing floats: exact equality, allclose's tolerance formula, NaN, and torch.testing.assert_close."""

import torch

from kata import __, raises


def test_isclose_tolerance_is_relative_to_other():
    """torch.isclose(input, other) checks, element by element, |input - other| <= atol + rtol * |other|, and torch.allclose asks whether every element is close: the relative part scales with the second argument only, so swapping the arguments can change the answer.

    Hint: work out the allowed gap for each element, once with other as the second argument and once swapped.
    """
    measured = torch.tensor([0.6, 11.2, 111.0])
    expected = torch.tensor([0.0, 10.0, 100.0])
    assert torch.isclose(measured, expected, rtol=0.1, atol=0.5).tolist() == __
    assert torch.isclose(expected, measured, rtol=0.1, atol=0.5).tolist() == __


def test_equal_demands_exact_match_allclose_does_not():
    """torch.equal is true only when shapes and every value match exactly, while torch.allclose's defaults (atol=1e-8, rtol=1e-5) accept small differences; near zero rtol * |other| is tiny, so only atol lets a small value count as close to 0.

    Hint: compare 1e-9 with the default atol, then with atol=0.
    """
    zero, small = torch.tensor([0.0]), torch.tensor([1e-9])
    checks = [torch.equal(zero, small), torch.allclose(zero, small), torch.allclose(zero, small, atol=0.0)]
    assert checks == __


def test_nan_is_never_close_unless_equal_nan():
    """NaN compares unequal to everything, itself included, so isclose finds a NaN close to nothing unless equal_nan=True is passed; infinities compare equal to an infinity of the same sign, so they are close to it.

    Hint: each tensor is compared with itself, element by element.
    """
    t = torch.tensor([1.0, float("nan"), float("inf")])
    assert torch.isclose(t, t).tolist() == __
    assert torch.isclose(t, t, equal_nan=True).tolist() == __


def test_allclose_refuses_mixed_dtypes():
    """torch.allclose does not promote: a float32 and a float64 tensor make it raise a RuntimeError naming the two dtypes by their C++ names, the input's first.

    Hint: PyTorch's C++ messages call float32 Float and float64 Double; match the whole short message.
    """
    with raises(RuntimeError, match=__):
        torch.allclose(torch.tensor([1.0]), torch.tensor([1.0]).double())


def test_assert_close_checks_metadata_too():
    """torch.testing.assert_close compares more than values: by default it also checks the tensors' metadata, and a mismatch raises AssertionError naming the attribute that differs.

    Hint: the two tensors hold the same number; what else differs between them?
    """
    with raises(AssertionError, match=__):
        torch.testing.assert_close(torch.tensor([1.0]), torch.tensor([1]))
