"""Changing shape: reshape, view, squeeze, unsqueeze, flatten, permute, transpose, expand and repeat."""

import pytest
import torch

from kata import __, raises


def test_reshape_keeps_the_elements_in_order():
    """reshape gives the same elements in the same row-major order, arranged in the new shape.

    Hint: fill the rows of three one after the other.
    """
    t = torch.arange(6).reshape(2, 3)
    assert t.tolist() == __


def test_reshape_infers_one_size_given_as_minus_one():
    """One size in reshape may be -1; torch works it out so that the number of elements stays the same.

    Hint: the -1 stands for whatever size keeps the element count unchanged.
    """
    t = torch.arange(12).reshape(3, -1)
    assert t.shape == __


def test_reshape_must_keep_the_number_of_elements():
    """A new shape whose sizes multiply to a different number of elements is refused with a RuntimeError.

    Hint: the message quotes the requested shape as a list, and the input's number of elements.
    """
    t = torch.arange(12)
    with raises(RuntimeError, match=__):
        t.reshape(4, 4)


def test_view_shares_memory_with_the_original():
    """x.view(shape) returns a tensor that looks at the same memory as x, so writing through the view changes x.

    Hint: which element of x does v[0, 0] name?
    """
    x = torch.arange(6)
    v = x.view(2, 3)
    v[0, 0] = 100
    assert x[0].item() == __


def test_squeeze_removes_every_dimension_of_size_one():
    """squeeze() with no argument drops all dimensions of size 1.

    Hint: keep only the sizes that are not 1.
    """
    t = torch.zeros(1, 3, 1, 2)
    assert t.squeeze().shape == __


def test_squeezing_a_dimension_that_is_not_one_does_nothing():
    """squeeze(d) removes dimension d only if its size is 1; otherwise it returns the tensor with its shape unchanged, without an error.

    Hint: what is the size of the dimension named?
    """
    t = torch.zeros(2, 3)
    assert t.squeeze(0).shape == __


def test_unsqueeze_inserts_a_dimension_of_size_one():
    """unsqueeze(d) inserts a new dimension of size 1 so that it becomes dimension d of the result.

    Hint: the new dimension is inserted before the dimension now at that position.
    """
    t = torch.arange(3)
    assert t.unsqueeze(1).shape == __


def test_flatten_merges_dimensions():
    """flatten() merges all dimensions into one; flatten(start_dim) merges only those from start_dim on.

    Hint: the first dimension stays, the last two are multiplied together.
    """
    t = torch.zeros(2, 3, 4)
    assert t.flatten().shape == __
    assert t.flatten(1).shape == __


def test_permute_reorders_the_dimensions():
    """t.permute(order) makes the result's dimension i be t's dimension order[i].

    Hint: the result's dimensions are t's dimensions 2, 0 and 1, in that order.
    """
    t = torch.zeros(2, 3, 4)
    assert t.permute(2, 0, 1).shape == __


def test_transpose_swaps_two_dimensions():
    """t.transpose(0, 1) swaps dimensions 0 and 1, so rows become columns.

    Hint: the first row of the result is the first column of t.
    """
    t = torch.arange(6).reshape(2, 3)
    assert t.transpose(0, 1).tolist() == __


def test_expand_repeats_a_size_one_dimension():
    """expand stretches dimensions of size 1 (or adds new leading ones) to a larger size, repeating the values without copying them.

    Hint: the size-1 dimension is stretched; the other must stay as it is.
    """
    t = torch.arange(3)
    assert t.expand(2, 3).tolist() == __


def test_expand_cannot_stretch_a_dimension_larger_than_one():
    """Only dimensions of size 1 can be expanded; asking expand for a different size in any other dimension raises a RuntimeError.

    Hint: the message gives both sizes, in parentheses, and the dimension.
    """
    t = torch.arange(3)
    with raises(RuntimeError, match=__):
        t.expand(2, 4)


def test_repeat_tiles_the_whole_tensor():
    """t.repeat(n) copies the whole tensor n times, one copy after the other, as tiles.

    Hint: repeat copies the whole tensor end to end.
    """
    t = torch.tensor([1, 2])
    assert t.repeat(2).tolist() == __


def test_repeat_interleave_repeats_each_element():
    """t.repeat_interleave(n) repeats each element n times in place before moving on to the next element.

    Hint: unlike repeat, each value's copies sit together.
    """
    t = torch.tensor([1, 2])
    assert t.repeat_interleave(2).tolist() == __
