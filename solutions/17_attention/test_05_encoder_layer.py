"""nn.TransformerEncoderLayer: post-norm and pre-norm, defaults, stacking and causality."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from kata import __


def zero_both_sub_blocks(layer):
    """Zero the last projection of attention and of the feed-forward: both sub-blocks then output zero."""
    with torch.no_grad():
        for t in (layer.self_attn.out_proj.weight, layer.self_attn.out_proj.bias, layer.linear2.weight, layer.linear2.bias):
            t.zero_()
    return layer


def test_pre_norm_keeps_a_clean_residual_path_post_norm_does_not():
    """With norm_first=True (pre-norm) each sub-block is x = x + sublayer(norm(x)); with norm_first=False (post-norm, the original Transformer and the default) it is x = norm(x + sublayer(x)). A fresh LayerNorm has weight 1 and bias 0, and normalising an already normalised vector changes it (almost) not at all.

    Hint: with both sub-blocks outputting zero, follow x through each layer; the post-norm blank is an expression in x.
    """
    pre = zero_both_sub_blocks(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, norm_first=True, batch_first=True))
    post = zero_both_sub_blocks(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True))
    x = torch.randn(2, 3, 8) * 3 + 1
    assert torch.equal(pre(x), x)
    assert torch.allclose(post(x), F.layer_norm(x, [8]), atol=1e-5)


def test_the_default_layer_is_wide_and_drops_out_in_three_places():
    """A TransformerEncoderLayer is self-attention, then a two-Linear feed-forward whose width, dim_feedforward, defaults to a fixed 2048 whatever d_model, each sub-block with its own LayerNorm. Dropout (default p = one in ten) acts inside the feed-forward and on each sub-block's output before the residual add.

    Hint: count the attention as in the multihead lesson, then the two Linears (weights and biases) and the two LayerNorms.
    """
    layer = nn.TransformerEncoderLayer(d_model=8, nhead=2)
    assert sum(p.numel() for p in layer.parameters()) == 35144
    assert [m.p for m in layer.modules() if isinstance(m, nn.Dropout)] == [0.1, 0.1, 0.1]


def test_encoder_stacks_deep_copies_of_the_layer():
    """nn.TransformerEncoder(layer, num_layers) deep-copies the layer num_layers times: every copy starts with the layer's values, and each has its own parameters, none of them the layer's.

    Hint: after the constructor, only layers[0] is changed.
    """
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16)
    enc = nn.TransformerEncoder(layer, num_layers=3, enable_nested_tensor=False)
    with torch.no_grad():
        enc.layers[0].linear1.weight.add_(1.0)
    assert [torch.equal(copy.linear1.weight, layer.linear1.weight) for copy in enc.layers] == [False, True, True]


def test_causal_mask_keeps_the_whole_layer_causal():
    """LayerNorm and the feed-forward act on each token separately, so a causal src_mask keeps the whole encoder layer causal: an output depends only on the tokens up to its own position.

    Hint: the second of four tokens changes; which outputs may look at it?
    """
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)
    mask = nn.Transformer.generate_square_subsequent_mask(4)
    x = torch.randn(1, 4, 8)
    y = x.clone()
    y[0, 1] += 1.0
    changed = (layer(x, src_mask=mask) - layer(y, src_mask=mask)).abs().amax(dim=-1) > 1e-6
    assert changed.tolist() == [[False, True, True, True]]
