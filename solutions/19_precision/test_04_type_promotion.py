"""Type promotion: which dtype an operation on mixed operands produces, and why scalars count less than tensors."""

import pytest
import torch

from kata import __


def test_python_int_does_not_widen_an_int8_tensor():
    """A Python scalar of the same category as a tensor never widens the tensor's dtype: int8 plus
    the Python int 1000 is still int8, and the value wraps.

    Hint: 1001 modulo 256, read as a signed 8-bit number.
    """
    t = torch.tensor([1], dtype=torch.int8)
    result = t + 1000
    assert result.dtype == torch.int8
    assert result.tolist() == [-23]


def test_zero_dim_tensor_of_same_category_does_not_widen():
    """A 0-dim tensor counts like a scalar when a dimensioned operand has the same category, so an
    int8 vector plus a 0-dim int64 tensor stays int8.

    Hint: torch.tensor(5) is 0-dim; the vector decides.
    """
    t = torch.tensor([1, 2], dtype=torch.int8)
    assert (t + torch.tensor(5)).dtype == torch.int8


def test_dimensioned_tensors_promote_to_the_wider_dtype():
    """Between two dimensioned tensors of the same category, the result takes the wider dtype.

    Hint: now both operands are 1-dim.
    """
    t = torch.tensor([1, 2], dtype=torch.int8)
    assert (t + torch.tensor([5])).dtype == torch.int64


def test_zero_dim_tensor_of_higher_category_sets_the_dtype():
    """When a 0-dim tensor is of a higher category (float over integer) than every dimensioned
    operand, the result takes the 0-dim tensor's own dtype.

    Hint: the 0-dim operand here is float64.
    """
    ints = torch.tensor([1, 2], dtype=torch.int32)
    scalar = torch.tensor(0.5, dtype=torch.float64)
    assert (ints + scalar).dtype == torch.float64


def test_uint8_and_int8_meet_in_int16():
    """No 8-bit type holds both 0..255 and -128..-1, so uint8 with int8 promotes to the smallest
    signed type that holds both ranges.

    Hint: torch.promote_types answers without building tensors.
    """
    assert torch.promote_types(torch.uint8, torch.int8) == torch.int16


def test_float16_and_bfloat16_meet_in_float32():
    """Neither float16 (more precision) nor bfloat16 (more range) holds the other, so they promote
    to float32.

    Hint: the smallest float dtype containing both.
    """
    assert torch.promote_types(torch.float16, torch.bfloat16) == torch.float32


def test_true_division_of_integers_gives_float():
    """The / operator is true division: on integer tensors it returns the default float dtype,
    while // keeps the integer dtype.

    Hint: 3 / 2 and 3 // 2 as in Python.
    """
    t = torch.tensor([3])
    assert (t / 2).tolist() == [1.5]
    assert (t // 2).dtype == torch.int64


def test_in_place_op_cannot_change_dtype():
    """An in-place op writes into the existing tensor, so a result that would need a higher
    category (float into an int64 tensor) is refused: the float result type can't be cast to the
    tensor's own dtype.

    Hint: the message names the two dtypes; the words between them are enough.
    """
    t = torch.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast"):
        t += 1.5
