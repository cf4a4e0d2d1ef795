"""NumPy interop: which conversions share memory, which copy, and which dtypes come along."""

import numpy as np
import pytest
import torch

from kata import __, raises


def test_from_numpy_and_numpy_share_memory_and_torch_tensor_copies():
    """torch.from_numpy(a) wraps the array's own memory and t.numpy() returns an array over a CPU tensor's memory, so a write through either name shows through the other; torch.tensor(data) always copies, so later writes to data do not reach it.

    Hint: each of the three writes lands in memory that one or two objects read.
    """
    a = np.array([1, 2, 3])
    wrapped, copied = torch.from_numpy(a), torch.tensor(a)
    t = torch.arange(3)
    view = t.numpy()
    a[0] = 100
    t[2] = 7
    assert (wrapped.tolist(), copied.tolist(), view.tolist()) == __


def test_arrays_bring_their_dtype_along():
    """from_numpy, and torch.tensor given an ndarray, map the array's NumPy dtype to the torch dtype of the same kind and width, without converting to torch's defaults; only Python numbers, lists and tuples go through torch's own inference. NumPy's default float is 64 bits wide.

    Hint: for each, ask whether torch sees a NumPy dtype or plain Python numbers.
    """
    made = [
        torch.from_numpy(np.zeros(3)),
        torch.from_numpy(np.array([1, 2], dtype=np.int32)),
        torch.tensor(np.zeros(3)),
        torch.tensor(np.zeros(3).tolist()),
    ]
    assert [t.dtype for t in made] == __


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
