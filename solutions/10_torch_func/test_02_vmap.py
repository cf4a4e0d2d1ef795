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
    """vmap calls the function once, not once per sample, and hides the mapped dimension: inside, each input looks like a single sample with that dimension taken out.

    Hint: in_dims says which dimension is the batch.
    """
    shapes = []

    def f(x):
        shapes.append(tuple(x.shape))
        return x.sum()

    vmap(f, in_dims=1)(torch.ones(4, 2, 3))
    assert shapes == [(4, 3)]


def test_in_dims_none_shares_an_argument():
    """in_dims gives one entry per argument; None means that argument is not batched and every sample sees the same tensor.

    Hint: each row meets the whole of w.
    """
    rows = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    w = torch.tensor([1.0, 10.0])
    assert vmap(torch.dot, in_dims=(0, None))(rows, w).tolist() == [21.0, 43.0, 65.0]


def test_in_dims_can_map_each_argument_over_its_own_dimension():
    """Each argument's entry in in_dims names its own batch dimension: sample i takes slice i along that dimension of each argument.

    Hint: sample i pairs column i of m with row i of v.
    """
    m = torch.arange(6.0).reshape(2, 3)
    v = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert vmap(torch.dot, in_dims=(1, 0))(m, v).tolist() == [0.0, 4.0, 7.0]


def test_out_dims_places_the_batch_dimension():
    """out_dims says where the batch dimension goes in the result: the per-sample results are stacked along that dimension.

    Hint: first work out the shape of one sample's result.
    """
    out = vmap(lambda x: x.sum(0), out_dims=1)(torch.ones(2, 3, 4))
    assert out.shape == (4, 2)


def test_nested_vmap_maps_over_two_dimensions():
    """Nesting vmap maps over two batch dimensions; batching a scalar product over two vectors builds their outer product.

    Hint: the inner vmap walks b, the outer one walks a.
    """
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([1.0, 10.0, 100.0])
    outer = vmap(vmap(torch.mul, in_dims=(None, 0)), in_dims=(0, None))(a, b)
    assert outer.tolist() == [[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]]


def test_mismatched_batch_sizes_are_refused_before_the_function_runs():
    """All batched inputs must have the same size along their mapped dimensions. vmap checks that in Python, on its arguments, before the function or any op runs, and raises the built-in exception for an argument of the right type with a wrong value.

    Hint: compare each argument's size along its own mapped dimension.
    """
    with pytest.raises(Exception) as info:
        vmap(torch.dot, in_dims=(0, 1))(torch.ones(2, 3), torch.ones(3, 4))
    assert info.type is ValueError


def test_random_ops_follow_the_randomness_flag():
    """vmap cannot guess whether the samples of a batch should share their random numbers. randomness="same" draws once for the whole batch, "different" draws for each sample, and the default, "error", makes the random op itself raise when it runs, from inside PyTorch's dispatcher.

    Hint: count the distinct rows of each result; the failing op raises the dispatcher's usual exception.
    """
    x = torch.zeros(4, 3)
    same = vmap(lambda s: s + torch.rand(3), randomness="same")(x)
    different = vmap(lambda s: s + torch.rand(3), randomness="different")(x)
    assert torch.unique(same, dim=0).shape[0] == 1
    assert torch.unique(different, dim=0).shape[0] == 4
    with pytest.raises(Exception) as info:
        vmap(lambda s: s + torch.rand(3))(x)
    assert info.type is RuntimeError
