"""Causal and padding masks: which keys a query may look at, and what that guarantees."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from kata import __


def test_generate_square_subsequent_mask_is_an_additive_float_mask():
    """nn.Transformer.generate_square_subsequent_mask(n) is a float mask: 0.0 where a query may attend, -inf above the diagonal.

    Hint: write -inf as float("-inf").
    """
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    assert mask.tolist() == __


def test_causal_attention_ignores_future_tokens():
    """Under a causal mask, changing the last token changes only the last output: earlier queries never see it.

    Hint: which of the three positions have a changed output?
    """
    x = torch.arange(12.0).reshape(1, 3, 4) / 10
    y = x.clone()
    y[0, 2] += 1.0
    out_x = F.scaled_dot_product_attention(x, x, x, is_causal=True)
    out_y = F.scaled_dot_product_attention(y, y, y, is_causal=True)
    changed = (out_x - out_y).abs().amax(dim=-1) > 1e-6
    assert changed.tolist() == __


def test_without_a_mask_every_output_sees_the_change():
    """Without a mask, every query attends to every key, so changing the last token changes every output.

    Hint: the same inputs as the causal koan, no mask.
    """
    x = torch.arange(12.0).reshape(1, 3, 4) / 10
    y = x.clone()
    y[0, 2] += 1.0
    out_x = F.scaled_dot_product_attention(x, x, x)
    out_y = F.scaled_dot_product_attention(y, y, y)
    changed = (out_x - out_y).abs().amax(dim=-1) > 1e-6
    assert changed.tolist() == __


def test_padding_mask_hides_padded_keys():
    """A boolean mask with False on padding positions makes the padded keys get weight 0, whatever their values.

    Hint: a zero query weighs the two real keys equally; the padded value 100 does not count.
    """
    q = torch.zeros(1, 1, 1)
    k = torch.zeros(1, 3, 1)
    v = torch.tensor([[[2.0], [4.0], [100.0]]])
    keep = torch.tensor([True, True, False])
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
    assert out.item() == __


def test_padding_mask_from_lengths():
    """A padding mask is built by comparing positions with each sequence's length: position j is real when j < length.

    Hint: lengths 1 and 3 in a batch padded to 3.
    """
    lengths = torch.tensor([1, 3])
    keep = torch.arange(3) < lengths[:, None]
    assert keep.tolist() == __


def test_mha_key_padding_mask_true_means_ignore():
    """nn.MultiheadAttention's key_padding_mask works the other way round from SDPA's boolean mask: True marks a key to ignore.

    Hint: the last two keys of the first sequence are padding.
    """
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, batch_first=True)
    x = torch.randn(2, 5, 8)
    pad = torch.tensor([[False, False, False, True, True], [False] * 5])
    _, weights = mha(x, x, x, key_padding_mask=pad)
    assert weights[0, :, 3:].sum().item() == __


def test_mha_boolean_attn_mask_true_means_not_allowed():
    """nn.MultiheadAttention's boolean attn_mask also marks with True the positions that may NOT be attended, so a causal mask is the strict upper triangle.

    Hint: positive weights only where attention is allowed.
    """
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(4, 1, batch_first=True)
    x = torch.randn(1, 3, 4)
    blocked = torch.ones(3, 3, dtype=torch.bool).triu(diagonal=1)
    _, weights = mha(x, x, x, attn_mask=blocked)
    assert (weights[0] > 0).tolist() == __
