"""Regression losses: MSE, L1, Huber and SmoothL1, computed by hand."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from kata import __


def errors():
    """Predictions 0.5 and 3.0 against targets of 0: errors of 0.5 and 3."""
    return torch.tensor([0.5, 3.0]), torch.zeros(2)


def test_mse_is_the_mean_of_squared_errors():
    """MSELoss averages the squared differences over every element.

    Hint: the errors are 0.5 and 3.
    """
    pred, target = errors()
    assert nn.MSELoss()(pred, target).item() == 4.625


def test_l1_is_the_mean_of_absolute_errors():
    """L1Loss averages the absolute differences, so a large error counts linearly rather than quadratically.

    Hint: an error of -3 would count the same as an error of 3.
    """
    pred, target = errors()
    assert nn.L1Loss()(pred, target).item() == 1.75


def test_reduction_sum_adds_instead_of_averaging():
    """reduction='sum' adds the element losses instead of averaging them.

    Hint: no division by the number of elements this time.
    """
    pred, target = errors()
    assert F.mse_loss(pred, target, reduction="sum").item() == 9.25


def test_huber_is_quadratic_inside_delta_and_linear_outside():
    """HuberLoss(delta) is 0.5 * e ** 2 where |e| < delta and delta * (|e| - 0.5 * delta) beyond, so the linear part has slope delta.

    Hint: with delta = 2, the error 0.5 falls inside and the error 3 outside.
    """
    pred, target = errors()
    loss = nn.HuberLoss(reduction="none", delta=2.0)(pred, target)
    assert loss.tolist() == [0.125, 4.0]


def test_smooth_l1_is_quadratic_inside_beta_and_slope_one_outside():
    """SmoothL1Loss(beta) is 0.5 * e ** 2 / beta where |e| < beta and |e| - 0.5 * beta beyond, so its linear part always has slope 1.

    Hint: with beta = 2, the error 0.5 falls inside and the error 3 outside.
    """
    pred, target = errors()
    loss = nn.SmoothL1Loss(reduction="none", beta=2.0)(pred, target)
    assert loss.tolist() == [0.0625, 2.0]


def test_huber_is_delta_times_smooth_l1():
    """With delta equal to beta, HuberLoss is SmoothL1Loss multiplied by delta; at the default of 1 the two losses coincide.

    Hint: compare the two mean losses with delta = beta = 2.
    """
    pred, target = errors()
    huber = F.huber_loss(pred, target, delta=2.0)
    smooth = F.smooth_l1_loss(pred, target, beta=2.0)
    assert math.isclose(huber.item(), 2 * smooth.item())
