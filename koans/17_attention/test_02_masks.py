"""Causal and padding masks: which keys a query may look at, and what that guarantees."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from kata import __


def test_an_additive_causal_mask_zeroes_the_future_weights():
    """nn.Transformer.generate_square_subsequent_mask(n) is a float mask, added to the scores: 0.0 where a query may attend, -inf above the diagonal. exp(-inf) is exactly 0, so after the softmax the future keys get weight 0 and the visible ones share all of it.

    Hint: with every score 0, what is the softmax of each row of the mask itself? Round to four places.
    """
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    weights = torch.softmax(mask, dim=-1)
    assert [[round(w, 4) for w in row] for row in weights.tolist()] == __


def test_a_changed_token_reaches_only_the_outputs_that_may_see_it():
    """An output changes when any key or value it attends to changes: under a causal mask query i sees tokens 0..i only, without a mask every query sees every token.

    Hint: the middle one of three tokens changes; which queries look at it?
    """
    x = torch.arange(12.0).reshape(1, 3, 4) / 10
    y = x.clone()
    y[0, 1] += 1.0

    def changed(**kwargs):
        out_x = F.scaled_dot_product_attention(x, x, x, **kwargs)
        out_y = F.scaled_dot_product_attention(y, y, y, **kwargs)
        return ((out_x - out_y).abs().amax(dim=-1) > 1e-6).tolist()

    assert changed(is_causal=True) == __
    assert changed() == __


def test_padding_mask_hides_padded_keys():
    """A boolean mask with False on padding positions makes the padded keys get weight 0, whatever their values.

    Hint: what weight does a zero query give each key that takes part?
    """
    q = torch.zeros(1, 1, 1)
    k = torch.zeros(1, 3, 1)
    v = torch.tensor([[[2.0], [4.0], [100.0]]])
    keep = torch.tensor([True, True, False])
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
    assert out.item() == __


def test_padding_and_causal_masks_combine_with_and():
    """A padding mask is built by comparing positions with each sequence's length (position j is real when j < length); a boolean keep-mask for both padding and causality is the AND of the two, broadcast to (batch, queries, keys).

    Hint: lengths 2 and 3 in a batch padded to 3; look at the last query of each sequence.
    """
    lengths = torch.tensor([2, 3])
    real = torch.arange(3) < lengths[:, None]
    causal = torch.ones(3, 3, dtype=torch.bool).tril()
    keep = causal & real[:, None, :]
    assert keep.shape == __
    assert keep[:, -1].tolist() == __


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
