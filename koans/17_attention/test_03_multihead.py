"""nn.MultiheadAttention: shapes, heads and the attention weights it returns."""

import pytest
import torch
import torch.nn as nn

from kata import __, raises


def test_batch_first_output_has_the_query_shape():
    """With batch_first=True, MultiheadAttention takes (batch, seq, embed) and returns an output of the same shape as the query.

    Hint: 2 sequences of 5 tokens with 8 features.
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
    x = torch.randn(2, 5, 8)
    out, _ = mha(x, x, x)
    assert out.shape == __


def test_batch_first_defaults_to_false():
    """By default MultiheadAttention expects (seq, batch, embed), yet the averaged weights are still (batch, target, source).

    Hint: the input is 5 tokens long, for 2 sequences.
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2)
    x = torch.randn(5, 2, 8)
    out, weights = mha(x, x, x)
    assert out.shape == __
    assert weights.shape == __


def test_weights_are_averaged_over_heads_by_default():
    """The returned attention weights are averaged over the heads unless average_attn_weights=False, which keeps a heads dimension after the batch.

    Hint: 2 heads, 5 queries, 5 keys, batch of 3.
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
    x = torch.randn(3, 5, 8)
    _, per_head = mha(x, x, x, average_attn_weights=False)
    assert per_head.shape == __


def test_need_weights_false_returns_no_weights():
    """need_weights=False skips returning the attention weights (and allows the faster kernels).

    Hint: the second element of the pair is not a tensor.
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
    x = torch.randn(2, 5, 8)
    _, weights = mha(x, x, x, need_weights=False)
    assert weights is __


def test_in_proj_stacks_query_key_and_value_projections():
    """When q, k and v have the same width, MultiheadAttention keeps one in_proj_weight that stacks the three embed x embed projections; each head gets embed_dim // num_heads features.

    Hint: three 8x8 matrices on top of each other, split into 2 heads.
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2)
    assert mha.in_proj_weight.shape == __
    assert mha.head_dim == __


def test_embed_dim_must_divide_into_heads():
    """embed_dim must be a multiple of num_heads; otherwise the constructor raises an AssertionError.

    Hint: a fragment of the message, which names both arguments.
    """
    with raises(AssertionError, match=__):
        nn.MultiheadAttention(embed_dim=10, num_heads=3)


def test_heads_are_a_reshape_of_the_embedding():
    """Splitting into heads is a view: (batch, seq, embed) becomes (batch, seq, heads, head_dim), then heads is moved before seq.

    Hint: 2 heads of 4 features each.
    """
    x = torch.randn(2, 5, 8)
    heads = x.view(2, 5, 2, 4).transpose(1, 2)
    assert heads.shape == __


def test_cross_attention_with_other_key_and_value_widths():
    """kdim and vdim let keys and values have their own widths; the output keeps the query's length and embed_dim, the weights are (batch, queries, keys).

    Hint: 3 queries of width 8 look at 7 keys.
    """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, kdim=4, vdim=6, batch_first=True)
    q = torch.randn(2, 3, 8)
    k = torch.randn(2, 7, 4)
    v = torch.randn(2, 7, 6)
    out, weights = mha(q, k, v)
    assert out.shape == __
    assert weights.shape == __
