"""Joining tensors with cat and stack, and cutting them apart with split, chunk and unbind."""

import pytest
import torch

from kata import __, raises


def test_cat_joins_along_an_existing_dimension():
    """torch.cat joins tensors along an existing dimension (0 by default), so that dimension grows and no new one appears.

    Hint: two blocks of 2 rows, one on top of the other.
    """
    a = torch.zeros(2, 3)
    b = torch.ones(2, 3)
    assert torch.cat([a, b]).shape == (4, 3)


def test_cat_along_dim_1_joins_side_by_side():
    """torch.cat(..., dim=1) places the tensors side by side, adding up their sizes in dimension 1.

    Hint: the rows get longer.
    """
    a = torch.tensor([[1, 2], [3, 4]])
    b = torch.tensor([[5], [6]])
    assert torch.cat([a, b], dim=1).tolist() == [[1, 2, 5], [3, 4, 6]]


def test_cat_needs_matching_sizes_in_the_other_dimensions():
    """Every dimension except the joined one must have the same size in all inputs, or cat raises a RuntimeError.

    Hint: the message names the one dimension it exempts, then the sizes it expected and got in the other.
    """
    a = torch.zeros(2, 3)
    b = torch.zeros(2, 4)
    with raises(RuntimeError, match="Expected size 3 but got size 4"):
        torch.cat([a, b])


def test_stack_adds_a_new_dimension():
    """torch.stack puts same-shaped tensors into a new dimension, inserted at position 0 by default.

    Hint: two tensors of shape (2, 3) become one tensor with one more dimension.
    """
    a = torch.zeros(2, 3)
    b = torch.ones(2, 3)
    assert torch.stack([a, b]).shape == (2, 2, 3)


def test_stack_can_insert_the_new_dimension_last():
    """stack's dim argument says where the new dimension goes; dim=-1 puts it last, pairing up corresponding elements.

    Hint: each pair holds one element from a and the matching one from b.
    """
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([4, 5, 6])
    assert torch.stack([a, b], dim=-1).tolist() == [[1, 4], [2, 5], [3, 6]]


def test_stack_needs_equal_shapes():
    """stack needs all inputs to have exactly the same shape, or it raises a RuntimeError.

    Hint: the message quotes each offending shape and its position in the list.
    """
    with raises(RuntimeError, match=r"\[3\] at entry 1"):
        torch.stack([torch.zeros(2), torch.zeros(3)])


def test_split_by_size_leaves_a_smaller_last_piece():
    """t.split(n) cuts t into pieces of n elements along dimension 0; the last piece holds whatever is left over.

    Hint: pieces of 4 from ten numbers.
    """
    pieces = torch.arange(10).split(4)
    assert [p.tolist() for p in pieces] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_split_with_a_list_gives_pieces_of_those_sizes():
    """t.split([s1, s2, ...]) cuts pieces of exactly those sizes, which must add up to the size of the dimension.

    Hint: lengths 1, 4 and 5 out of ten.
    """
    pieces = torch.arange(10).split([1, 4, 5])
    assert [len(p) for p in pieces] == [1, 4, 5]
    assert pieces[1].tolist() == [1, 2, 3, 4]


def test_chunk_makes_equal_chunks_rounded_up():
    """t.chunk(n) cuts t into chunks of ceil(size / n) elements each, so only the last chunk can be smaller.

    Hint: ceil(10 / 4) is 3.
    """
    chunks = torch.arange(10).chunk(4)
    assert [len(c) for c in chunks] == [3, 3, 3, 1]


def test_chunk_may_return_fewer_chunks_than_asked():
    """Because every chunk but the last has ceil(size / n) elements, chunk can run out of elements before making n chunks.

    Hint: ceil(6 / 4) is 2; how many chunks of 2 fit in 6?
    """
    chunks = torch.arange(6).chunk(4)
    assert len(chunks) == 3


def test_unbind_removes_a_dimension():
    """t.unbind(dim) returns a tuple with one slice per index of dim, each without that dimension.

    Hint: unbinding dimension 1 of a 2x3 tensor gives its columns.
    """
    t = torch.arange(6).reshape(2, 3)
    columns = t.unbind(1)
    assert [c.tolist() for c in columns] == [[0, 3], [1, 4], [2, 5]]
