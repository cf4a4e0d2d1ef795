"""Type promotion: which dtype an operation on mixed operands produces, and why scalars count less than tensors."""

import torch

from kata import __, raises


def test_scalars_and_zero_dim_tensors_rank_below_dimensioned_tensors():
    """Promotion ranks operands: dimensioned tensors first, then 0-dim tensors, then Python scalars. A lower-ranked operand changes the result only when its category (bool < integer < float < complex) is higher than every higher-ranked operand's; then a 0-dim tensor contributes its own dtype and a Python scalar the default dtype of its category.

    Hint: for each sum, which operand ranks highest, and is the other one of a higher category?
    """
    i8 = torch.tensor([1, 2], dtype=torch.int8)
    dtypes = [
        (i8 + 100).dtype,
        (i8 + torch.tensor(5)).dtype,
        (i8 + torch.tensor([5])).dtype,
        (i8 + torch.tensor(0.5, dtype=torch.float64)).dtype,
        (i8 + 0.5).dtype,
    ]
    assert dtypes == __


def test_promote_types_finds_a_dtype_that_holds_both():
    """Between tensors of the same rank, the result is the smallest dtype that can represent every value of both operands; torch.promote_types answers without building tensors.

    Hint: no 8-bit type holds both 0..255 and -128..-1; float16 has more precision, bfloat16 more range.
    """
    pairs = [(torch.uint8, torch.int8), (torch.float16, torch.bfloat16), (torch.uint8, torch.int16), (torch.bool, torch.uint8)]
    assert [torch.promote_types(a, b) for a, b in pairs] == __


def test_true_division_of_integers_gives_float():
    """The / operator is true division: on integer tensors it returns the default float dtype, while // is floor division and keeps the integer dtype, rounding toward minus infinity as in Python.

    Hint: Python's -3 // 2.
    """
    t = torch.tensor([3, -3])
    assert (t / 2).dtype == __
    assert (t / 2).tolist() == __
    assert (t // 2).tolist() == __


def test_in_place_op_cannot_change_dtype():
    """An in-place op writes into the existing tensor, so a result that would need a higher category (a float result into an int64 tensor) is refused; the message names the result type and the tensor's own dtype by their C++ names.

    Hint: PyTorch's C++ messages call float32 Float and int64 Long; ask for the words that name the result type.
    """
    t = torch.tensor([1, 2])
    with raises(RuntimeError, match=__):
        t += 1.5
