"""Scaled dot-product attention: softmax(q @ k^T * scale) @ v, by hand and with F.scaled_dot_product_attention."""

import math

import pytest
import torch
import torch.nn.functional as F

from kata import __, raises


def qkv():
    q = torch.arange(12.0).reshape(1, 3, 4) / 10
    k = torch.arange(12.0).flip(0).reshape(1, 3, 4) / 10
    v = torch.arange(6.0).reshape(1, 3, 2)
    return q, k, v


def test_sdpa_is_softmax_of_scaled_scores_times_values():
    """F.scaled_dot_product_attention(q, k, v) computes softmax(q @ k^T / sqrt(d)) @ v, the softmax running over the keys: each query's weights sum to 1.

    Hint: scores has shape (batch, queries, keys).
    """
    q, k, v = qkv()
    scores = q @ k.transpose(-2, -1) / math.sqrt(4)
    by_hand = torch.softmax(scores, dim=-1) @ v
    assert torch.allclose(F.scaled_dot_product_attention(q, k, v), by_hand)


def test_default_scale_is_one_over_sqrt_d():
    """Leaving scale=None is the same as passing scale=1 / sqrt(d).

    Hint: d = 4.
    """
    q, k, v = qkv()
    default = F.scaled_dot_product_attention(q, k, v)
    explicit = F.scaled_dot_product_attention(q, k, v, scale=0.5)
    assert torch.allclose(default, explicit)


def test_zero_queries_average_the_values():
    """A query of zeros scores every key 0, so softmax weighs all keys equally and the output is the mean of the values.

    Hint: the rows of v are (0, 1), (2, 3) and (4, 5).
    """
    _, k, v = qkv()
    out = F.scaled_dot_product_attention(torch.zeros(1, 3, 4), k, v)
    assert out.tolist() == [[[2.0, 3.0], [2.0, 3.0], [2.0, 3.0]]]


def test_scale_multiplies_the_scores():
    """An explicit scale multiplies q @ k^T before the softmax.

    Hint: the scores become (ln 3, 0); exponentiate them and normalise.
    """
    q = torch.tensor([[[1.0, 0.0]]])
    k = torch.tensor([[[1.0, 0.0], [0.0, 0.0]]])
    v = torch.tensor([[[1.0], [0.0]]])
    out = F.scaled_dot_product_attention(q, k, v, scale=math.log(3))
    assert round(out.item(), 4) == 0.75


def test_output_shape_takes_length_from_q_and_width_from_v():
    """Leading dimensions (batch, heads) are carried through; the output has q's sequence length and v's last dimension.

    Hint: 5 queries, 7 keys and values of width 6.
    """
    q = torch.randn(2, 3, 5, 4)
    k = torch.randn(2, 3, 7, 4)
    v = torch.randn(2, 3, 7, 6)
    assert F.scaled_dot_product_attention(q, k, v).shape == (2, 3, 5, 6)


def test_is_causal_lets_the_first_query_see_only_the_first_key():
    """With is_causal=True, query i attends only to keys 0..i, so the first output is exactly the first value.

    Hint: the first row of v.
    """
    q, k, v = qkv()
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    assert out[0, 0].tolist() == [0.0, 1.0]


def test_boolean_mask_true_means_attend():
    """A boolean attn_mask for F.scaled_dot_product_attention marks with True the scores that take part; is_causal=True is the lower-triangular mask.

    Hint: query i may look at keys j <= i.
    """
    q, k, v = qkv()
    mask = torch.ones(3, 3, dtype=torch.bool).tril()
    masked = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert torch.allclose(masked, F.scaled_dot_product_attention(q, k, v, is_causal=True))


def test_float_mask_is_added_to_the_scores():
    """A floating-point attn_mask is added to the scaled scores before the softmax (-inf removes a key altogether).

    Hint: zero queries give scores (0, 0), and the mask adds ln 3 to the second.
    """
    q = torch.zeros(1, 1, 2)
    k = torch.tensor([[[1.0, 0.0], [0.0, 0.0]]])
    v = torch.tensor([[[1.0], [0.0]]])
    mask = torch.tensor([[0.0, math.log(3)]])
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert round(out.item(), 4) == 0.25


def test_mask_and_is_causal_together_are_refused():
    """F.scaled_dot_product_attention refuses an explicit attn_mask together with is_causal=True.

    Hint: the message says when an explicit mask is not allowed.
    """
    q, k, v = qkv()
    mask = torch.ones(3, 3, dtype=torch.bool)
    with raises(RuntimeError, match="should not be set when is_causal"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=True)
