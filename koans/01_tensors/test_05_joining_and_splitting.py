"""Joining tensors with cat and stack, and cutting them apart with split, chunk, tensor_split and unbind."""

import torch

from kata import __, raises


def test_cat_grows_an_existing_dimension():
    """torch.cat joins tensors along an existing dimension (0 by default): that dimension's sizes add up and no new dimension appears.

    Hint: dim=1 puts the pieces side by side, so each row gets longer.
    """
    a = torch.tensor([[1, 2], [3, 4]])
    b = torch.tensor([[5], [6]])
    assert torch.cat([a, b], dim=1).tolist() == __
    assert torch.cat([torch.zeros(2, 3), torch.zeros(1, 3), torch.zeros(4, 3)]).shape == __


def test_cat_needs_matching_sizes_in_the_other_dimensions():
    """Every dimension except the joined one must have the same size in all inputs; cat compares each input with the first and names the first one that differs by its position in the list, counting from 0.

    Hint: which dimension is not joined here, and what are its sizes?
    """
    pieces = [torch.zeros(2, 3), torch.zeros(2, 1), torch.zeros(3, 2)]
    with raises(RuntimeError, match=__):
        torch.cat(pieces, dim=1)


def test_cat_promotes_its_inputs_to_one_dtype():
    """cat and stack put their inputs into one tensor of the dtype they promote to, by the same rule as arithmetic between tensors.

    Hint: which kind is the higher of the two?
    """
    joined = torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])])
    assert (joined.tolist(), joined.dtype) == __


def test_stack_inserts_a_new_dimension():
    """torch.stack puts tensors of one shape into a new dimension, inserted at position dim of the result (0 by default, -1 for last); stacking along the last dimension pairs up corresponding elements.

    Hint: write the result's shape with a 2 inserted at position dim; the two inputs are the 2.
    """
    a = torch.zeros(2, 3)
    assert [tuple(torch.stack([a, a], dim=d).shape) for d in (0, 1, -1)] == __
    pairs = torch.stack([torch.tensor([1, 2, 3]), torch.tensor([4, 5, 6])], dim=-1)
    assert pairs.tolist() == __


def test_stack_needs_equal_shapes():
    """stack needs all its inputs to have exactly the same shape; the message quotes the first input's shape and the first one that differs, each with its position in the list.

    Hint: positions count from 0.
    """
    with raises(RuntimeError, match=__):
        torch.stack([torch.zeros(2), torch.zeros(2), torch.zeros(3)])


def test_split_cuts_pieces_of_the_sizes_you_give():
    """t.split(n) cuts t into pieces of n elements along dimension 0, the last piece holding what is left over; t.split([s1, s2, ...]) cuts pieces of exactly those sizes, which must add up to the dimension's size.

    Hint: t holds 0 to 9.
    """
    t = torch.arange(10)
    assert [len(p) for p in t.split(4)] == __
    assert t.split([1, 4, 5])[1].tolist() == __


def test_chunk_and_tensor_split_share_out_differently():
    """t.chunk(n) gives every chunk but the last ceil(size / n) elements, so it may return fewer than n chunks; torch.tensor_split(t, n) always returns n pieces, whose sizes differ by at most one, the larger ones first.

    Hint: for chunk, fix the chunk size first and see how many chunks it fills.
    """
    assert [len(c) for c in torch.arange(10).chunk(4)] == __
    assert [len(c) for c in torch.arange(6).chunk(4)] == __
    assert [len(p) for p in torch.tensor_split(torch.arange(10), 4)] == __


def test_unbind_removes_a_dimension():
    """t.unbind(dim) returns a tuple with one slice per index of dim, each without that dimension.

    Hint: each piece fixes one index of dimension 1 and keeps everything else.
    """
    t = torch.arange(6).reshape(2, 3)
    assert [c.tolist() for c in t.unbind(1)] == __
