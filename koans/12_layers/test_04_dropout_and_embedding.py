"""Dropout's scaling, and looking rows up with Embedding and EmbeddingBag."""

import pytest
import torch
from torch import nn

from kata import __


def table():
    """A 4x3 embedding table holding 0 to 11 row by row."""
    return torch.arange(12.0).reshape(4, 3)


def test_dropout_scales_the_survivors():
    """In training, Dropout(p) zeroes each element with probability p and multiplies the survivors by 1 / (1 - p), keeping the expected value unchanged.

    Hint: what does an input of 1 become when it survives?
    """
    drop = nn.Dropout(0.75)
    out = drop(torch.ones(100))
    assert bool(((out == 0) | (out == __)).all())


def test_dropout2d_drops_whole_channels():
    """Dropout2d draws one keep-or-drop decision per channel of each sample instead of one per element, so a feature map is zeroed entirely or kept entirely, and kept ones are scaled as in Dropout.

    Hint: count the distinct values inside one channel.
    """
    out = nn.Dropout2d(0.5)(torch.ones(1, 64, 2, 2))
    assert {len(channel.unique()) for channel in out[0]} == __
    assert set(out.unique().tolist()) <= {0.0, __}


def test_embedding_looks_up_rows():
    """An Embedding's output for index i is row i of its weight, so a lookup is indexing, not a matrix product: indices of any shape give that shape with embedding_dim appended.

    Hint: from_pretrained uses the given table as the weight.
    """
    emb = nn.Embedding.from_pretrained(table())
    out = emb(torch.tensor([[2, 0], [1, 1]]))
    assert out.shape == __
    assert out[0].tolist() == __


def test_embedding_checks_the_kind_and_the_range_of_its_indices():
    """Embedding indices must be integers from 0 to num_embeddings - 1. A floating-point index fails the op's check of argument types, done in C++; an integer one past the end fails the bounds check of the lookup itself, like indexing past the end of a Python list.

    Hint: PyTorch's C++ argument checks surface as one Python class, Python's indexing failures as another.
    """
    emb = nn.Embedding(4, 3)
    with pytest.raises(Exception) as info:
        emb(torch.tensor([1.0]))
    assert info.type is __
    with pytest.raises(Exception) as info:
        emb(torch.tensor([4]))
    assert info.type is __


def test_padding_idx_row_starts_at_zero_and_gets_no_gradient():
    """With padding_idx, that row of the weight is initialised to zeros and receives no gradient, so padding tokens never train it.

    Hint: the gradient of a sum of looked-up rows counts each row's uses.
    """
    emb = nn.Embedding(5, 3, padding_idx=0)
    emb(torch.tensor([0, 1, 1, 2])).sum().backward()
    assert emb.weight[0].tolist() == __
    assert emb.weight.grad[:3].tolist() == __


def test_embedding_bag_sums_with_offsets():
    """EmbeddingBag with a 1-D input and offsets cuts the input into bags that start at each offset and reduces each bag's rows; mode='sum' adds them.

    Hint: each bag runs from its offset up to the next offset, or to the end.
    """
    bag = nn.EmbeddingBag.from_pretrained(table(), mode="sum")
    out = bag(torch.tensor([0, 1, 2, 3]), torch.tensor([0, 2]))
    assert out.tolist() == __


def test_embedding_bag_defaults_to_mean():
    """EmbeddingBag's default mode is 'mean', which averages the rows of each bag.

    Hint: find the second bag's indices first.
    """
    bag = nn.EmbeddingBag.from_pretrained(table())
    out = bag(torch.tensor([0, 1, 2, 3]), torch.tensor([0, 1]))
    assert out[1].tolist() == __


def test_embedding_bag_max_and_2d_input():
    """With mode='max' each bag keeps the element-wise maximum of its rows; a 2-D input without offsets treats each row as one bag of fixed length.

    Hint: which row of each bag is larger, element by element?
    """
    bag = nn.EmbeddingBag.from_pretrained(table(), mode="max")
    out = bag(torch.tensor([[0, 1], [2, 3]]))
    assert out.tolist() == __
