"""Dropout's scaling, and looking rows up with Embedding and EmbeddingBag."""

import pytest
import torch
from torch import nn

from kata import __, raises


def table():
    """A 4x3 embedding table holding 0 to 11 row by row."""
    return torch.arange(12.0).reshape(4, 3)


def test_dropout_scales_the_survivors():
    """In training, Dropout(p) zeroes each element with probability p and multiplies the survivors by 1 / (1 - p), keeping the expected value unchanged.

    Hint: with p = 0.75, what does an input of 1 become when it survives?
    """
    drop = nn.Dropout(0.75)
    out = drop(torch.ones(100))
    assert bool(((out == 0) | (out == 4.0)).all())


def test_dropout_is_the_identity_in_eval_mode():
    """In eval mode Dropout does nothing: no zeros and no scaling.

    Hint: the layer below has been switched to eval.
    """
    drop = nn.Dropout(0.5)
    drop.eval()
    assert drop(torch.ones(3)).tolist() == [1.0, 1.0, 1.0]


def test_embedding_output_appends_the_embedding_dimension():
    """nn.Embedding(num_embeddings, embedding_dim) maps a tensor of indices of any shape to a tensor of that shape with embedding_dim appended.

    Hint: a batch of 2 sequences of 5 tokens.
    """
    emb = nn.Embedding(10, 3)
    tokens = torch.zeros(2, 5, dtype=torch.long)
    assert emb(tokens).shape == (2, 5, 3)


def test_embedding_looks_up_rows():
    """An Embedding's output for index i is row i of its weight, so a lookup is indexing, not a matrix product.

    Hint: from_pretrained uses the given table as the weight.
    """
    emb = nn.Embedding.from_pretrained(table())
    assert emb(torch.tensor([2, 0])).tolist() == [[6.0, 7.0, 8.0], [0.0, 1.0, 2.0]]


def test_embedding_wants_integer_indices():
    """Embedding indices must be an integer tensor (int64 or int32); floating-point indices raise a RuntimeError.

    Hint: the message names the scalar types it expected.
    """
    emb = nn.Embedding(4, 3)
    with raises(RuntimeError, match="Long, Int"):
        emb(torch.tensor([1.0]))


def test_padding_idx_row_starts_at_zero_and_gets_no_gradient():
    """With padding_idx, that row of the weight is initialised to zeros and receives no gradient, so padding tokens never train it.

    Hint: index 0 is used twice and index 1 once; only one of them is trainable.
    """
    emb = nn.Embedding(5, 3, padding_idx=0)
    emb(torch.tensor([0, 0, 1])).sum().backward()
    assert emb.weight[0].tolist() == [0.0, 0.0, 0.0]
    assert emb.weight.grad[:2].tolist() == [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]


def test_embedding_bag_sums_with_offsets():
    """EmbeddingBag with a 1-D input and offsets cuts the input into bags that start at each offset and reduces each bag's rows; mode='sum' adds them.

    Hint: bag 0 is index 0 alone; bag 1 is indices 1, 2 and 3.
    """
    bag = nn.EmbeddingBag.from_pretrained(table(), mode="sum")
    out = bag(torch.tensor([0, 1, 2, 3]), torch.tensor([0, 1]))
    assert out.tolist() == [[0.0, 1.0, 2.0], [18.0, 21.0, 24.0]]


def test_embedding_bag_defaults_to_mean():
    """EmbeddingBag's default mode is 'mean', which averages the rows of each bag.

    Hint: the middle row of 1, 2 and 3.
    """
    bag = nn.EmbeddingBag.from_pretrained(table())
    out = bag(torch.tensor([0, 1, 2, 3]), torch.tensor([0, 1]))
    assert out[1].tolist() == [6.0, 7.0, 8.0]


def test_embedding_bag_max_and_2d_input():
    """With mode='max' each bag keeps the element-wise maximum of its rows; a 2-D input without offsets treats each row as one bag of fixed length.

    Hint: bags [0, 1] and [2, 3]; rows grow downwards.
    """
    bag = nn.EmbeddingBag.from_pretrained(table(), mode="max")
    out = bag(torch.tensor([[0, 1], [2, 3]]))
    assert out.tolist() == [[3.0, 4.0, 5.0], [9.0, 10.0, 11.0]]
