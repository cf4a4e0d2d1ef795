"""nn.TransformerEncoderLayer: post-norm and pre-norm, defaults, stacking and causality."""

import torch
import torch.nn as nn

from kata import __


def test_post_norm_layer_ends_with_layer_norm():
    """With norm_first=False (post-norm, the original Transformer) each sub-block is x = norm(x + sublayer(x)), so the layer's output is LayerNorm output: every token has mean 0.

    Hint: which setting puts the norm last?
    """
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, norm_first=False, batch_first=True)
    out = layer(torch.randn(2, 3, 8))
    assert out.mean(dim=-1).abs().max().item() < 1e-5


def test_pre_norm_layer_keeps_a_clean_residual_path():
    """With norm_first=True each sub-block is x = x + sublayer(norm(x)); if both sub-blocks output zero, the input passes through untouched.

    Hint: zeroing the last projection of attention and feed-forward makes both sub-blocks output zero.
    """
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, norm_first=True, batch_first=True)
    with torch.no_grad():
        for t in (layer.self_attn.out_proj.weight, layer.self_attn.out_proj.bias, layer.linear2.weight, layer.linear2.bias):
            t.zero_()
    x = torch.randn(2, 3, 8)
    assert torch.equal(layer(x), x)


def test_encoder_layer_defaults():
    """TransformerEncoderLayer defaults to dim_feedforward=2048, dropout=0.1 and sequence-first inputs.

    Hint: read the feed-forward's first Linear.
    """
    layer = nn.TransformerEncoderLayer(d_model=8, nhead=2)
    assert layer.linear1.out_features == 2048
    assert layer.dropout.p == 0.1
    assert layer.self_attn.batch_first is False


def test_encoder_stacks_deep_copies_of_the_layer():
    """nn.TransformerEncoder(layer, num_layers) deep-copies the layer: the copies start with equal values but are separate parameters.

    Hint: equal values, but is it the same tensor?
    """
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16)
    enc = nn.TransformerEncoder(layer, num_layers=3, enable_nested_tensor=False)
    w0, w1 = enc.layers[0].linear1.weight, enc.layers[1].linear1.weight
    assert len(enc.layers) == 3
    assert torch.equal(w0, w1) is True
    assert (w0 is w1) is False


def test_causal_mask_keeps_the_whole_layer_causal():
    """LayerNorm and the feed-forward act on each token separately, so a causal src_mask keeps the whole encoder layer causal.

    Hint: only the output at the changed position, the last, can move.
    """
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    x = torch.randn(1, 3, 8)
    y = x.clone()
    y[0, 2] += 1.0
    changed = (layer(x, src_mask=mask) - layer(y, src_mask=mask)).abs().amax(dim=-1) > 1e-6
    assert changed.tolist() == [[False, False, True]]
