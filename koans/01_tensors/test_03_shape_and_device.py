"""Shape, size, number of elements, number of dimensions, and the device a tensor lives on."""

import pytest
import torch

from kata import __, raises


def test_shape_compares_equal_to_a_tuple():
    """t.shape is a torch.Size, a subclass of tuple, so it compares equal to a plain tuple of the same sizes.

    Hint: the sizes given to torch.zeros, in order.
    """
    t = torch.zeros(2, 3, 4)
    assert t.shape == __


def test_size_of_one_dimension():
    """t.size(d) gives the length of dimension d, counting dimensions from 0.

    Hint: dimension 0 is the first one.
    """
    t = torch.zeros(2, 3, 4)
    assert t.size(1) == __


def test_negative_dimensions_count_from_the_end():
    """Wherever torch takes a dimension number, -1 means the last dimension, -2 the one before it, and so on.

    Hint: the last size given to torch.zeros.
    """
    t = torch.zeros(2, 3, 4)
    assert t.size(-1) == __


def test_numel_multiplies_the_sizes():
    """t.numel() is the total number of elements: the product of all sizes.

    Hint: 2 times 3 times 4.
    """
    t = torch.zeros(2, 3, 4)
    assert t.numel() == __


def test_dim_counts_the_dimensions():
    """t.dim() (also t.ndim) is the number of dimensions, the length of the shape.

    Hint: count the sizes, not the elements.
    """
    t = torch.zeros(2, 3, 4)
    assert t.dim() == __


def test_len_is_the_size_of_the_first_dimension():
    """len(t) is the size of the first dimension, as for a list of lists, not the number of elements.

    Hint: how many rows?
    """
    t = torch.zeros(5, 2)
    assert len(t) == __


def test_a_dimension_may_have_size_zero():
    """Sizes may be zero; such a tensor has no elements at all, yet it still has its other dimensions.

    Hint: 3 rows of nothing.
    """
    t = torch.zeros(3, 0)
    assert t.numel() == __
    assert len(t) == __


def test_a_zero_dim_tensor_has_no_len():
    """A zero-dimensional tensor has no first dimension, so len() of it raises a TypeError.

    Hint: the message names the kind of tensor by its number of dimensions, written the way torch writes it.
    """
    t = torch.tensor(3.5)
    with raises(TypeError, match=__):
        len(t)


def test_item_turns_a_one_element_tensor_into_a_python_number():
    """t.item() returns the single value of a one-element tensor as a Python number of the matching kind.

    Hint: the tensor holds an integer.
    """
    t = torch.tensor([[42]])
    value = t.item()
    assert type(value) is __


def test_item_refuses_several_elements():
    """item() works only on tensors with exactly one element; with more it raises a RuntimeError saying how many there are.

    Hint: the message counts the elements; how many does this tensor have?
    """
    t = torch.tensor([1, 2])
    with raises(RuntimeError, match=__):
        t.item()


def test_a_dimension_out_of_range_raises_like_a_list_index():
    """Asking for a dimension that a tensor does not have raises the built-in exception that Python raises for a list index out of range.

    Hint: what does [1, 2][5] raise?
    """
    t = torch.zeros(2, 3)
    with pytest.raises(Exception, match="Dimension out of range") as info:
        t.size(2)
    assert info.type is __


def test_a_device_is_a_type_and_an_optional_index():
    """Unless told otherwise, tensors are allocated in main memory, on the device of type "cpu". A torch.device is a type plus an optional index that picks one of several accelerators; the CPU device names the whole CPU and carries no index, and a device can be named without the hardware being present.

    Hint: parse each device string into its type and index; a missing index is Python's value for nothing.
    """
    devices = [torch.zeros(2).device, torch.device("cuda:1"), torch.device("cuda")]
    assert [(d.type, d.index) for d in devices] == __


def test_to_returns_the_same_tensor_when_nothing_changes():
    """t.to(...) returns t itself, not a copy, when t already has the requested device and dtype, unless copy=True asks for a copy anyway.

    Hint: for each call, does anything about t have to change?
    """
    t = torch.zeros(2)
    results = [t.to("cpu", torch.float32), t.to(torch.float64), t.to("cpu"), t.to(torch.float32, copy=True)]
    assert [r is t for r in results] == __
