"""Dtypes: what torch.tensor infers, converting between dtypes, and how mixed dtypes meet in arithmetic."""

import pytest
import torch

from kata import __, raises


def test_torch_tensor_infers_one_dtype_from_the_python_values():
    """torch.tensor gives the whole tensor one dtype, the lowest kind that holds every value (bool < integer < floating point < complex): Python bools give torch.bool, ints give torch's widest signed integer, floats give the default float dtype (32-bit unless torch.set_default_dtype changed it), and complex numbers give a complex dtype made of two default floats.

    Hint: for each list, find its highest kind, then the width torch uses for that kind.
    """
    lists = [[1.0, 2.0], [1, 2], [True, False], [1, 2.5], [True, 2], [1 + 2j]]
    dtypes = [torch.tensor(values).dtype for values in lists]
    assert dtypes == __


def test_tensors_of_different_kinds_promote_to_the_higher_kind():
    """When tensors with dimensions meet, the result takes the higher kind and, within one kind, the wider dtype.

    Hint: for each pair, first the kind, then the width.
    """
    i8 = torch.tensor([1], dtype=torch.int8)
    pairs = [(torch.tensor([1, 2]), torch.tensor([0.5, 0.5])), (i8, torch.tensor([5])), (i8, torch.tensor([True]))]
    assert [(a + b).dtype for a, b in pairs] == __


def test_scalars_and_zero_dim_tensors_only_raise_the_kind():
    """A Python number or a 0-dim tensor counts for less than a tensor with dimensions: it can lift the result to a higher kind (an int tensor plus a float becomes the default float dtype), but within the same kind it never widens the result. torch.result_type(a, b) answers the question without computing anything.

    Hint: does the scalar's kind beat the tensor's kind? If not, the tensor's dtype stays.
    """
    i8 = torch.tensor([1], dtype=torch.int8)
    f16 = torch.tensor([1.0], dtype=torch.float16)
    results = [
        torch.result_type(torch.tensor([1, 2]), 0.5),
        torch.result_type(i8, torch.tensor(5)),
        torch.result_type(f16, torch.tensor(2.0, dtype=torch.float64)),
        torch.result_type(i8, 2.5),
    ]
    assert results == __


def test_true_division_of_integers_gives_floats():
    """`/` is true division for every dtype: on an integer tensor it returns the default float dtype, as in Python 3. `//` floors, rounding toward minus infinity as Python does, and keeps the integer dtype.

    Hint: compute each the way Python would compute 7 / 2 and -7 // 2.
    """
    t = torch.tensor([7, -7])
    assert [(t / 2).dtype, (t / 2).tolist(), (t // 2).dtype, (t // 2).tolist()] == __


def test_comparisons_give_masks_and_summing_them_counts():
    """Comparison operators work element by element and return a bool mask; summing bools counts the Trues and gives an integer, not a float (tolist() cannot tell 3 from 3.0, so ask the dtype too).

    Hint: count the elements above 1; a sum keeps integer kinds integer and widens them to int64.
    """
    count = (torch.arange(5) > 1).sum()
    assert [count.item(), count.dtype] == __


def test_arithmetic_between_bools_stays_bool():
    """Promotion never goes past the highest kind among the operands, so bool with bool stays bool, and a bool holds only False and True: whatever a sum or a product would be as numbers is stored as whether it is non-zero.

    Hint: compute each element as integers first, then store it as a bool.
    """
    a = torch.tensor([True, True, False])
    b = torch.tensor([True, False, False])
    assert [(a + b).dtype, (a + b).tolist(), (a * b).tolist()] == __


def test_shortcut_methods_are_named_after_c_types():
    """t.float(), t.double(), t.half(), t.long(), t.int(), t.short(), t.char(), t.byte() and t.bool() are shorthands for t.to(dtype), each named after the C type of the same width; torch's char is signed and its byte unsigned.

    Hint: recall each C type's width in bits; half is the 16-bit float.
    """
    t = torch.arange(3)
    assert [t.double().dtype, t.int().dtype, t.char().dtype, t.byte().dtype] == __


def test_mean_refuses_integer_tensors():
    """mean() does not pick a float dtype for you: on an integer tensor it raises, and the message says which kinds of input dtype it accepts and names the dtype it got by its C++ scalar type name, the C type name capitalised.

    Hint: which C type is 16 bits wide?
    """
    t = torch.arange(4, dtype=torch.int16)
    with raises(RuntimeError, match=__):
        t.mean()
