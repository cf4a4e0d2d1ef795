"""NumPy interop: which conversions share memory, which copy, and which dtypes come along."""

import numpy as np
import pytest
import torch

from kata import __, raises


def test_from_numpy_shares_memory_with_the_array():
    """torch.from_numpy(a) wraps the array's own memory instead of copying it, so a change to the array shows in the tensor.

    Hint: both names refer to the same three numbers in memory.
    """
    a = np.array([1, 2, 3])
    t = torch.from_numpy(a)
    a[0] = 100
    assert t.tolist() == __


def test_numpy_method_shares_memory_with_the_tensor():
    """t.numpy() on a CPU tensor returns an array backed by the tensor's memory, so writing to the tensor changes the array.

    Hint: no copy was made.
    """
    t = torch.arange(3)
    a = t.numpy()
    t[0] = 7
    assert a.tolist() == __


def test_torch_tensor_always_copies_the_array():
    """torch.tensor(data) always copies data, so later changes to the array do not reach the tensor.

    Hint: the tensor was filled before the array changed.
    """
    a = np.array([1, 2, 3])
    t = torch.tensor(a)
    a[0] = 100
    assert t.tolist() == __


def test_from_numpy_keeps_numpys_default_float():
    """NumPy's default float is twice as wide as torch's default, and from_numpy keeps the array's dtype rather than converting to torch's default.

    Hint: np.zeros makes arrays of NumPy's default float; name its torch counterpart.
    """
    a = np.zeros(3)
    t = torch.from_numpy(a)
    assert t.dtype == __


def test_from_numpy_keeps_smaller_dtypes_too():
    """from_numpy maps each NumPy dtype to the torch dtype of the same kind and width.

    Hint: a 32-bit integer array.
    """
    a = np.array([1, 2], dtype=np.int32)
    assert torch.from_numpy(a).dtype == __


def test_as_tensor_shares_unless_it_must_convert():
    """torch.as_tensor(a) shares the array's memory when it can, but must copy when asked for a different dtype.

    Hint: only one of the two tensors was built without a conversion.
    """
    a = np.array([1.0, 2.0])
    shared = torch.as_tensor(a)
    converted = torch.as_tensor(a, dtype=torch.float32)
    a[0] = 9.0
    assert shared[0].item() == __
    assert converted[0].item() == __


def test_from_numpy_refuses_negative_strides():
    """A NumPy array reversed with [::-1] has a negative stride, which torch tensors do not support, so from_numpy raises a ValueError.

    Hint: the message ends with a workaround: what should you make of the array first?
    """
    a = np.arange(5)[::-1]
    with raises(ValueError, match=__):
        torch.from_numpy(a)


def test_tolist_gives_python_numbers():
    """t.tolist() converts the elements to plain Python numbers, whereas indexing the array from t.numpy() gives NumPy scalars.

    Hint: the Python type that holds 1.5.
    """
    t = torch.tensor([1.5, 2.5])
    assert type(t.tolist()[0]) is __
