"""Normalisation layers: BatchNorm's running statistics, and LayerNorm, GroupNorm and RMSNorm."""

import math

import pytest
import torch
from torch import nn

from kata import __


def batch():
    """Two samples of one feature: 0 and 2 (mean 1)."""
    return torch.tensor([[0.0], [2.0]])


def test_running_mean_moves_a_fraction_of_the_way():
    """Each training call moves BatchNorm's running_mean a fraction momentum of the way to the batch mean: running_mean = (1 - momentum) * running_mean + momentum * batch_mean, starting from 0.

    Hint: momentum's default is in nn.BatchNorm1d's signature; apply the rule twice.
    """
    bn = nn.BatchNorm1d(1)
    bn(batch())
    bn(batch() + 4)
    assert math.isclose(bn.running_mean.item(), 0.59, abs_tol=1e-6)


def test_running_var_uses_the_unbiased_variance():
    """running_var starts at 1 and is updated with the batch's unbiased variance (squared deviations divided by n - 1), by the same momentum rule as running_mean.

    Hint: find the batch mean first.
    """
    bn = nn.BatchNorm1d(1, momentum=0.5)
    bn(torch.tensor([[0.0], [2.0], [4.0]]))
    assert math.isclose(bn.running_var.item(), 2.5, abs_tol=1e-6)


def test_training_output_uses_the_biased_batch_variance():
    """In training mode BatchNorm normalises with the batch's own mean and its biased variance (dividing by n), not with the running statistics and not with the unbiased variance it stores.

    Hint: the same three values as the koan before.
    """
    bn = nn.BatchNorm1d(1)
    out = bn(torch.tensor([[0.0], [2.0], [4.0]]))
    assert torch.allclose(out, torch.tensor([[-1.2247], [0.0], [1.2247]]), atol=1e-4)


def test_eval_mode_uses_the_running_statistics():
    """In eval mode BatchNorm normalises every sample with running_mean and running_var instead of the batch's statistics, then applies its affine weight and bias.

    Hint: normalise first, scale and shift after.
    """
    bn = nn.BatchNorm1d(1)
    with torch.no_grad():
        bn.running_mean.fill_(1.0)
        bn.running_var.fill_(4.0)
        bn.weight.fill_(3.0)
        bn.bias.fill_(-1.0)
    bn.eval()
    assert torch.allclose(bn(torch.tensor([[5.0], [1.0]])), torch.tensor([[5.0], [-1.0]]), atol=1e-4)


def test_momentum_none_keeps_a_cumulative_average():
    """With momentum=None, BatchNorm's running_mean is the plain average of the batch means seen so far, counted by num_batches_tracked: each batch weighs the same, whatever its size.

    Hint: average the two batch means.
    """
    bn = nn.BatchNorm1d(1, momentum=None)
    bn(batch())
    bn(torch.full((4, 1), 10.0))
    assert bn.num_batches_tracked.item() == 2
    assert math.isclose(bn.running_mean.item(), 5.5, abs_tol=1e-6)


def test_batch_norm_needs_more_than_one_value_per_channel_in_training():
    """A training BatchNorm computes each channel's variance over the batch and any further dimensions, and refuses an input with only one value per channel; in eval mode it uses the stored statistics and takes anything.

    Hint: count the values each channel gets: batch size times the length of the extra dimension.
    """
    bn = nn.BatchNorm1d(2)
    accepted = []
    for shape in [(1, 2), (1, 2, 3), (2, 2)]:
        try:
            bn(torch.ones(shape))
            accepted.append(shape)
        except ValueError:
            pass
    bn.eval()
    bn(torch.ones(1, 2))
    assert accepted == [(1, 2, 3), (2, 2)]


def test_batch_norm_2d_keeps_statistics_per_channel():
    """BatchNorm2d averages over the batch and both spatial dimensions, keeping one running mean per channel (dimension 1).

    Hint: each channel here holds one value everywhere; then one momentum step from 0.
    """
    bn = nn.BatchNorm2d(2)
    x = torch.zeros(2, 2, 3, 3)
    x[:, 1] = 10.0
    bn(x)
    assert torch.allclose(bn.running_mean, torch.tensor([0.0, 1.0]))


def test_layer_norm_normalises_each_sample_batch_norm_each_feature():
    """LayerNorm(normalized_shape) normalises each sample over its trailing dimensions, independently of the rest of the batch; BatchNorm normalises each feature over the batch.

    Hint: one goes along the rows, the other down the columns.
    """
    x = torch.tensor([[0.0, 2.0], [10.0, 30.0]])
    assert torch.allclose(nn.LayerNorm(2)(x), torch.tensor([[-1.0, 1.0], [-1.0, 1.0]]), atol=1e-4)
    assert torch.allclose(nn.BatchNorm1d(2)(x), torch.tensor([[-1.0, -1.0], [1.0, 1.0]]), atol=1e-4)


def test_affine_parameters_follow_what_is_scaled():
    """LayerNorm's learnable weight and bias have exactly normalized_shape, one per normalised element; GroupNorm's have one per channel, however many groups the statistics are taken over.

    Hint: the groups share statistics, not scales.
    """
    assert nn.LayerNorm([2, 3]).weight.shape == (2, 3)
    assert nn.GroupNorm(2, 6).weight.shape == (6,)


def test_group_norm_normalises_groups_of_channels():
    """GroupNorm(num_groups, num_channels) splits the channels into consecutive groups and normalises each group of each sample separately.

    Hint: find which channels share a group, then normalise each pair.
    """
    gn = nn.GroupNorm(2, 4)
    x = torch.tensor([[[30.0], [1.0], [10.0], [3.0]]])
    assert torch.allclose(gn(x).flatten(), torch.tensor([1.0, -1.0, 1.0, -1.0]), atol=1e-4)


def test_rms_norm_divides_by_the_root_mean_square():
    """RMSNorm divides by sqrt(mean(x ** 2)) without subtracting the mean, then scales by a weight; it has no bias.

    Hint: no mean is subtracted, so the signs and ratios survive.
    """
    rms = nn.RMSNorm(2)
    out = rms(torch.tensor([[1.0, 7.0]]))
    assert torch.allclose(out, torch.tensor([[0.2, 1.4]]), atol=1e-4)
