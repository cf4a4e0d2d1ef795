"""Positions: attention alone ignores order; sinusoidal encodings and RoPE put it back."""

import math

import torch
import torch.nn.functional as F

from kata import __


def sinusoidal(n_positions, d):
    """The encoding of 'Attention Is All You Need': sin on even features, cos on odd ones."""
    pos = torch.arange(n_positions, dtype=torch.float32)[:, None]
    freq = 10000.0 ** (-torch.arange(0, d, 2, dtype=torch.float32) / d)
    pe = torch.zeros(n_positions, d)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe


def rope(x, position, base=10000.0):
    """Rotary embedding: rotate each feature pair (2i, 2i+1) by the angle position * base ** (-2i / d)."""
    d = x.shape[-1]
    angle = position * base ** (-torch.arange(0, d, 2, dtype=torch.float32) / d)
    cos, sin = torch.cos(angle), torch.sin(angle)
    even, odd = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out


def test_self_attention_alone_ignores_order():
    """Without positional information self-attention is permutation-equivariant: shuffling the tokens shuffles the outputs the same way.

    Hint: index the original output with the same permutation.
    """
    x = torch.arange(12.0).reshape(1, 3, 4) / 10
    perm = torch.tensor([2, 0, 1])
    out = F.scaled_dot_product_attention(x, x, x)
    shuffled = x[:, perm]
    out_shuffled = F.scaled_dot_product_attention(shuffled, shuffled, shuffled)
    assert torch.allclose(out_shuffled, out[:, perm])


def test_sinusoidal_encoding_at_position_zero():
    """At position 0 every angle is 0, so the sinusoidal encoding is sin(0) on the even features and cos(0) on the odd ones.

    Hint: alternate two numbers.
    """
    pe = sinusoidal(5, 4)
    assert pe[0].tolist() == [0.0, 1.0, 0.0, 1.0]


def test_sinusoidal_encodings_all_have_the_same_norm():
    """Each (sin, cos) pair has squared length 1, so every position's encoding has norm sqrt(d / 2).

    Hint: d = 4, rounded to four places.
    """
    pe = sinusoidal(5, 4)
    assert [round(n, 4) for n in pe.norm(dim=1).tolist()] == [1.4142] * 5


def test_sinusoidal_first_feature_is_sin_of_the_position():
    """The first feature pair uses frequency 1, so feature 0 at position p is sin(p).

    Hint: positions are 0, 1, 2, 3, 4.
    """
    pe = sinusoidal(5, 4)
    assert torch.allclose(pe[:, 0], torch.sin(torch.arange(5.0)))


def test_rope_is_a_rotation_so_it_keeps_the_norm():
    """RoPE rotates feature pairs, and a rotation keeps a vector's length.

    Hint: the norm of q is sqrt(1 + 4 + 1 + 0.25).
    """
    q = torch.tensor([1.0, 2.0, -1.0, 0.5])
    assert round(rope(q, 7).norm().item(), 4) == 2.5


def test_rope_at_position_zero_changes_nothing():
    """At position 0 every rotation angle is 0, so RoPE returns the vector unchanged.

    Hint: cos(0) = 1 and sin(0) = 0.
    """
    q = torch.tensor([1.0, 2.0, -1.0, 0.5])
    assert torch.equal(rope(q, 0), q)


def test_rope_scores_depend_only_on_the_offset():
    """With RoPE the score rope(q, m) . rope(k, n) depends on m - n only, not on m and n themselves.

    Hint: keep the offset of 5 - 3 with the key at position 0.
    """
    q = torch.tensor([1.0, 2.0, -1.0, 0.5])
    k = torch.tensor([0.5, -1.0, 2.0, 1.0])
    score = rope(q, 5) @ rope(k, 3)
    assert torch.allclose(score, rope(q, 2) @ rope(k, 0))


def test_rope_turns_a_pair_by_the_position_in_radians():
    """For d = 2 the only frequency is 1, so RoPE turns the pair (x, y) by exactly `position` radians.

    Hint: a quarter turn sends (1, 0) to (0, 1); answer the position.
    """
    turned = rope(torch.tensor([1.0, 0.0]), math.pi / 2)
    assert torch.allclose(turned, torch.tensor([0.0, 1.0]), atol=1e-6)
