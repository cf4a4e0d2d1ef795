"""nn.MultiheadAttention: shapes, heads and the attention weights it returns."""

import pytest
import torch
import torch.nn as nn

from kata import __, raises


def test_sequence_first_by_default_but_weights_are_batch_first():
    """By default MultiheadAttention expects (seq, batch, embed) and returns an output shaped like the query; the averaged weights it returns are (batch, target, source) all the same.

    Hint: read the lengths and the batch off the input's dimensions, in that order.
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2)
    x = torch.randn(5, 2, 8)
    out, weights = mha(x, x, x)
    assert out.shape == (5, 2, 8)
    assert weights.shape == (2, 5, 5)


def test_weights_are_averaged_over_heads_unless_asked_otherwise():
    """The returned attention weights are averaged over the heads unless average_attn_weights=False, which keeps a heads dimension right after the batch; need_weights=False skips handing them back (and allows the faster kernels).

    Hint: batch first here; where do the heads go?
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
    x = torch.randn(3, 5, 8)
    _, per_head = mha(x, x, x, average_attn_weights=False)
    _, none = mha(x, x, x, need_weights=False)
    assert per_head.shape == (3, 2, 5, 5)
    assert none is None


def test_heads_split_the_embedding_and_add_no_parameters():
    """MultiheadAttention projects q, k and v with embed x embed matrices (stacked in one in_proj_weight when their widths agree), each with a bias, and mixes the heads back with an out_proj Linear; each head works on embed_dim // num_heads of the projected features.

    Hint: count the weights and biases of four embed x embed projections.
    """

    def count(m):
        return sum(p.numel() for p in m.parameters())

    assert count(nn.MultiheadAttention(embed_dim=8, num_heads=2)) == 288
    assert count(nn.MultiheadAttention(embed_dim=8, num_heads=4)) == 288


def test_embed_dim_must_divide_into_heads():
    """embed_dim must be a multiple of num_heads; otherwise the constructor raises an AssertionError.

    Hint: a fragment of the message, which names both arguments.
    """
    with raises(AssertionError, match="divisible by num_heads"):
        nn.MultiheadAttention(embed_dim=10, num_heads=3)


def test_a_head_is_a_contiguous_slice_of_the_features():
    """Splitting into heads is a view: (batch, seq, embed) becomes (batch, seq, heads, head_dim), then heads is moved before seq, so head h of a token holds features h * head_dim up to (h + 1) * head_dim, and no data moves.

    Hint: the view splits the last stride, the transpose swaps two strides.
    """
    x = torch.arange(80.0).reshape(2, 5, 8)
    heads = x.view(2, 5, 2, 4).transpose(1, 2)
    assert heads[0, 1, 0].tolist() == [4.0, 5.0, 6.0, 7.0]
    assert heads.stride() == (40, 4, 8, 1)


def test_cross_attention_with_other_key_and_value_widths():
    """kdim and vdim let keys and values have their own widths: three separate projections, each to embed_dim, replace the stacked in_proj_weight. The output keeps the query's length and embed_dim; the weights are (batch, queries, keys).

    Hint: a Linear-style weight is (out_features, in_features).
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, kdim=4, vdim=6, batch_first=True)
    q = torch.randn(2, 3, 8)
    k = torch.randn(2, 7, 4)
    v = torch.randn(2, 7, 6)
    out, weights = mha(q, k, v)
    assert mha.in_proj_weight is None
    assert mha.k_proj_weight.shape == (8, 4)
    assert out.shape == (2, 3, 8)
    assert weights.shape == (2, 3, 7)
