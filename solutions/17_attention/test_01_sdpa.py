"""Scaled dot-product attention: softmax(q @ k^T * scale) @ v, by hand and with F.scaled_dot_product_attention."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

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


def test_default_scale_comes_from_the_query_width():
    """Leaving scale=None divides the scores by sqrt(d), where d is the width of the vectors being dotted, the queries' and keys' last dimension; the values may have another width.

    Hint: which tensor's last dimension goes into q @ k^T?
    """
    q, k, v = torch.randn(1, 3, 16), torch.randn(1, 3, 16), torch.randn(1, 3, 4)
    default = F.scaled_dot_product_attention(q, k, v)
    explicit = F.scaled_dot_product_attention(q, k, v, scale=0.25)
    assert torch.allclose(default, explicit)


def test_zero_queries_average_the_values():
    """A query of zeros scores every key 0, so softmax weighs all keys equally and the output is the mean of the values.

    Hint: average the rows of v.
    """
    _, k, v = qkv()
    out = F.scaled_dot_product_attention(torch.zeros(1, 3, 4), k, v)
    assert out.tolist() == [[[2.0, 3.0], [2.0, 3.0], [2.0, 3.0]]]


def test_scale_multiplies_the_scores():
    """An explicit scale multiplies q @ k^T before the softmax.

    Hint: score each key, scale, then take the softmax; exp(a * ln b) is b ** a.
    """
    q = torch.tensor([[[1.0, 0.0]]])
    k = torch.tensor([[[1.0, 0.0], [0.0, 0.0]]])
    v = torch.tensor([[[1.0], [0.0]]])
    out = F.scaled_dot_product_attention(q, k, v, scale=math.log(3))
    assert round(out.item(), 4) == 0.75


def test_grouped_query_attention_shares_each_kv_head_with_a_block_of_query_heads():
    """Leading dimensions (batch, heads) are carried through: the output has q's heads and length and v's width. With enable_gqa=True, k and v may have fewer heads than q; each k/v head then serves a contiguous block of query heads (repeat_interleave, not repeat).

    Hint: 4 query heads share 2 k/v heads; which block is query head 1 in?
    """
    q = torch.randn(2, 4, 5, 16)
    k = torch.randn(2, 2, 7, 16)
    v = torch.randn(2, 2, 7, 6)
    out = F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
    assert out.shape == (2, 4, 5, 6)
    kv = 0
    assert torch.allclose(out[:, 1], F.scaled_dot_product_attention(q[:, 1], k[:, kv], v[:, kv]), atol=1e-6)


def test_causal_zero_queries_average_a_growing_prefix():
    """With is_causal=True, query i attends only to keys 0..i; the scores of the keys it may see go through the softmax as before.

    Hint: zero queries weigh every visible key equally.
    """
    _, k, v = qkv()
    out = F.scaled_dot_product_attention(torch.zeros(1, 3, 4), k, v, is_causal=True)
    assert out.tolist() == [[[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]]


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

    Hint: what are the scores of a zero query, before the mask?
    """
    q = torch.zeros(1, 1, 2)
    k = torch.tensor([[[1.0, 0.0], [0.0, 0.0]]])
    v = torch.tensor([[[1.0], [0.0]]])
    mask = torch.tensor([[0.0, math.log(3)]])
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert round(out.item(), 4) == 0.25


def test_a_query_with_no_visible_key_gets_zeros_not_nan():
    """softmax over scores that are all -inf is 0 / 0, NaN; F.scaled_dot_product_attention uses a safe softmax that gives such a row weights of 0 instead, so a query whose keys are all masked out gets an output of zeros.

    Hint: the first query sees both keys, the second none.
    """
    q = torch.zeros(1, 2, 1)
    k = torch.zeros(1, 2, 1)
    v = torch.tensor([[[2.0], [4.0]]])
    keep = torch.tensor([[True, True], [False, False]])
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
    assert out.flatten().tolist() == [3.0, 0.0]
    assert torch.softmax(torch.full((2,), float("-inf")), dim=0).isnan().all().item() is True


def test_mask_and_is_causal_together_are_refused():
    """F.scaled_dot_product_attention refuses an explicit attn_mask together with is_causal=True.

    Hint: the message says when an explicit mask is not allowed.
    """
    q, k, v = qkv()
    mask = torch.ones(3, 3, dtype=torch.bool)
    with raises(RuntimeError, match="should not be set when is_causal"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=True)


def test_sdpa_kernel_limits_the_backends_sdpa_may_choose():
    """F.scaled_dot_product_attention picks one of several backends for each call, and the sdpa_kernel context manager restricts the choice to the ones it lists; a call none of them can serve raises. The fused kernels (flash, memory-efficient, cuDNN) each have conditions on device, dtype and shape; the math backend, built from ordinary tensor ops, runs for any input on any device.

    Hint: the memory-efficient kernel is CUDA-only, and these are CPU tensors.
    """
    q, k, v = qkv()
    with sdpa_kernel([SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH]):
        out = F.scaled_dot_product_attention(q, k, v)
    assert torch.allclose(out, F.scaled_dot_product_attention(q, k, v))
