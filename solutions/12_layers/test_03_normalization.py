"""Normalisation layers: BatchNorm's running statistics, and LayerNorm, GroupNorm and RMSNorm."""

import math

import pytest
import torch
from torch import nn

from kata import __, raises


def batch():
    """Two samples of one feature: 0 and 2 (mean 1)."""
    return torch.tensor([[0.0], [2.0]])


def test_running_mean_moves_by_momentum():
    """In training, BatchNorm updates running_mean = (1 - momentum) * running_mean + momentum * batch_mean, starting from 0 with momentum 0.1 by default.

    Hint: the batch mean is 1.
    """
    bn = nn.BatchNorm1d(1)
    bn(batch())
    assert math.isclose(bn.running_mean.item(), 0.1, abs_tol=1e-6)


def test_running_var_uses_the_unbiased_variance():
    """running_var starts at 1 and is updated with the batch's unbiased variance (dividing by n - 1), by the same momentum rule as running_mean.

    Hint: with two samples, 0 and 2, the unbiased variance is 2.
    """
    bn = nn.BatchNorm1d(1, momentum=0.5)
    bn(batch())
    assert math.isclose(bn.running_var.item(), 1.5, abs_tol=1e-6)


def test_training_output_uses_the_biased_batch_variance():
    """In training mode BatchNorm normalises with the batch's own mean and its biased variance (dividing by n), not with the running statistics.

    Hint: the biased variance of 0 and 2 is 1.
    """
    bn = nn.BatchNorm1d(1)
    out = bn(batch())
    assert torch.allclose(out, torch.tensor([[-1.0], [1.0]]), atol=1e-4)


def test_eval_mode_uses_the_running_statistics():
    """In eval mode BatchNorm normalises with running_mean and running_var instead of the batch's statistics, so a single sample works too.

    Hint: (x - running_mean) / sqrt(running_var), with weight 1 and bias 0.
    """
    bn = nn.BatchNorm1d(1)
    with torch.no_grad():
        bn.running_mean.fill_(1.0)
        bn.running_var.fill_(4.0)
    bn.eval()
    assert torch.allclose(bn(torch.tensor([[5.0]])), torch.tensor([[2.0]]), atol=1e-4)


def test_momentum_none_keeps_a_cumulative_average():
    """With momentum=None, BatchNorm's running_mean is the plain average of all batch means seen so far, counted by num_batches_tracked.

    Hint: the second batch is the first one shifted by 4.
    """
    bn = nn.BatchNorm1d(1, momentum=None)
    bn(batch())
    bn(batch() + 4)
    assert bn.num_batches_tracked.item() == 2
    assert math.isclose(bn.running_mean.item(), 3.0, abs_tol=1e-6)


def test_batch_norm_refuses_one_sample_in_training():
    """A training BatchNorm needs more than one value per channel to compute a variance; a batch of one (with no spatial dimensions) raises ValueError.

    Hint: the message says how many values per channel it expected.
    """
    bn = nn.BatchNorm1d(2)
    with raises(ValueError, match="more than 1 value per channel"):
        bn(torch.ones(1, 2))


def test_batch_norm_2d_keeps_statistics_per_channel():
    """BatchNorm2d averages over the batch and both spatial dimensions, keeping one running mean per channel.

    Hint: dimension 1 holds the channels.
    """
    bn = nn.BatchNorm2d(3)
    bn(torch.zeros(2, 3, 4, 4))
    assert bn.running_mean.shape == (3,)


def test_layer_norm_normalises_each_sample_over_its_last_dimensions():
    """LayerNorm(normalized_shape) normalises each sample over its trailing dimensions, independently of the rest of the batch.

    Hint: each row has its own mean and spread.
    """
    ln = nn.LayerNorm(2)
    out = ln(torch.tensor([[0.0, 2.0], [10.0, 30.0]]))
    assert torch.allclose(out, torch.tensor([[-1.0, 1.0], [-1.0, 1.0]]), atol=1e-4)


def test_layer_norm_affine_shape_is_the_normalized_shape():
    """LayerNorm's learnable weight and bias have exactly normalized_shape, one value per normalised element.

    Hint: normalised over the last two dimensions.
    """
    ln = nn.LayerNorm([2, 3])
    assert ln.weight.shape == (2, 3)


def test_group_norm_normalises_groups_of_channels():
    """GroupNorm(num_groups, num_channels) splits the channels into consecutive groups and normalises each group of each sample separately.

    Hint: channels 0-1 form one group, channels 2-3 the other.
    """
    gn = nn.GroupNorm(2, 4)
    x = torch.tensor([[[1.0], [3.0], [10.0], [30.0]]])
    assert torch.allclose(gn(x).flatten(), torch.tensor([-1.0, 1.0, -1.0, 1.0]), atol=1e-4)


def test_rms_norm_divides_by_the_root_mean_square():
    """RMSNorm divides by sqrt(mean(x ** 2)) without subtracting the mean, then scales by a weight; it has no bias.

    Hint: the mean of 1 and 49 is 25.
    """
    rms = nn.RMSNorm(2)
    out = rms(torch.tensor([[1.0, 7.0]]))
    assert torch.allclose(out, torch.tensor([[0.2, 1.4]]), atol=1e-4)
