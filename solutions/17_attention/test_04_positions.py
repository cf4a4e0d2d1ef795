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


def test_the_first_sinusoidal_pair_turns_at_one_radian_per_position():
    """The first feature pair of the sinusoidal encoding uses frequency 1: features 0 and 1 at position p are sin(p) and cos(p); later pairs turn ever more slowly.

    Hint: which angle does position 0 give every pair?
    """
    pe = sinusoidal(5, 4)
    assert torch.allclose(pe[:, 0], torch.sin(torch.arange(5.0)))
    assert pe[0].tolist() == [0.0, 1.0, 0.0, 1.0]


def test_sinusoidal_encodings_all_have_the_same_norm():
    """Each feature pair is (sin a, cos a) for some angle a, so every position's encoding has the same length, whatever the position.

    Hint: sin^2 + cos^2; here d = 6. Round to four places.
    """
    pe = sinusoidal(5, 6)
    assert [round(n, 4) for n in pe.norm(dim=1).tolist()] == [1.7321, 1.7321, 1.7321, 1.7321, 1.7321]


def test_sinusoidal_dot_products_depend_only_on_the_offset():
    """pe[m] . pe[n] is a sum over pairs of sin(m w) sin(n w) + cos(m w) cos(n w) = cos((m - n) w), so it depends on the offset m - n only.

    Hint: keep the offset between positions 1 and 4, starting from 0.
    """
    pe = sinusoidal(6, 4)
    assert torch.allclose(pe[1] @ pe[4], pe[0] @ pe[3])


def test_rope_is_a_rotation_so_it_keeps_the_norm():
    """RoPE rotates feature pairs, and a rotation keeps a vector's length.

    Hint: the position plays no part; compute the norm of q itself.
    """
    q = torch.tensor([1.0, 2.0, -1.0, 0.5])
    assert round(rope(q, 7).norm().item(), 4) == 2.5


def test_rope_scores_depend_only_on_the_offset():
    """With RoPE the score rope(q, m) . rope(k, n) depends on m - n only, not on m and n themselves; at position 0 every angle is 0, so RoPE leaves a vector as it is.

    Hint: here q sits at position 0; keep the offset m - n.
    """
    q = torch.tensor([1.0, 2.0, -1.0, 0.5])
    k = torch.tensor([0.5, -1.0, 2.0, 1.0])
    score = rope(q, 5) @ rope(k, 3)
    assert torch.allclose(score, q @ rope(k, -2))


def test_rope_turns_a_pair_by_the_position_in_radians():
    """For d = 2 the only frequency is 1, so RoPE turns the pair (x, y) by exactly `position` radians.

    Hint: a quarter turn sends (1, 0) to (0, 1); answer the position.
    """
    turned = rope(torch.tensor([1.0, 0.0]), math.pi / 2)
    assert torch.allclose(turned, torch.tensor([0.0, 1.0]), atol=1e-6)
