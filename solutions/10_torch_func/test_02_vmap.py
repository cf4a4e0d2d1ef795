"""torch.func.vmap: write a function for one sample, run it over a batch."""

import pytest
import torch
from torch.func import vmap

from kata import __, raises


def test_vmap_batches_a_per_sample_function():
    """torch.dot only takes 1-D tensors; vmap(torch.dot) maps it over dimension 0 of both arguments and stacks the results.

    Hint: one dot product per row pair.
    """
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = torch.tensor([[1.0, 1.0], [0.0, 2.0]])
    assert vmap(torch.dot)(a, b).tolist() == [3.0, 8.0]


def test_the_function_sees_one_sample():
    """vmap calls the function once, not once per sample, and hides the batch dimension: inside, each input looks like a single sample without dimension 0.

    Hint: the batch is 4 samples of shape (2, 3).
    """
    shapes = []

    def f(x):
        shapes.append(tuple(x.shape))
        return x.sum()

    vmap(f)(torch.ones(4, 2, 3))
    assert shapes == [(2, 3)]


def test_in_dims_none_shares_an_argument():
    """in_dims gives one entry per argument; None means that argument is not batched and every sample sees the same tensor.

    Hint: each row is dotted with the same vector [1, 10].
    """
    rows = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    w = torch.tensor([1.0, 10.0])
    assert vmap(torch.dot, in_dims=(0, None))(rows, w).tolist() == [21.0, 43.0, 65.0]


def test_in_dims_one_maps_over_columns():
    """in_dims=1 maps over dimension 1, so each sample is a column of a matrix.

    Hint: the columns of [[0, 1, 2], [3, 4, 5]] are added up one by one.
    """
    m = torch.arange(6.0).reshape(2, 3)
    assert vmap(torch.sum, in_dims=1)(m).tolist() == [3.0, 5.0, 7.0]


def test_out_dims_places_the_batch_dimension():
    """out_dims says where the batch dimension goes in the result; out_dims=1 puts it second instead of first.

    Hint: 2 samples, each returning a vector of 3.
    """
    out = vmap(lambda x: x * 2, out_dims=1)(torch.ones(2, 3))
    assert out.shape == (3, 2)


def test_nested_vmap_maps_over_two_dimensions():
    """Nesting vmap maps over two batch dimensions; batching a scalar product over two vectors builds their outer product.

    Hint: the inner vmap walks b, the outer one walks a.
    """
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([1.0, 10.0, 100.0])
    outer = vmap(vmap(torch.mul, in_dims=(None, 0)), in_dims=(0, None))(a, b)
    assert outer.tolist() == [[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]]


def test_mismatched_batch_sizes_raise():
    """All batched inputs must have the same size along their mapped dimension; otherwise vmap raises before calling the function.

    Hint: vmap checks its arguments the way Python checks a bad argument value.
    """
    with pytest.raises(Exception, match="same size in the mapped dimension") as info:
        vmap(torch.dot)(torch.ones(2, 3), torch.ones(3, 3))
    assert type(info.value) is ValueError


def test_random_ops_need_a_randomness_flag():
    """By default vmap refuses random operations, because it cannot guess whether samples should share or differ in their randomness.

    Hint: the message names the flag that vmap wants set to 'same' or 'different'.
    """
    with raises(RuntimeError, match="randomness"):
        vmap(lambda x: x + torch.rand(3))(torch.ones(2, 3))
