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

    Hint: square first, then average.
    """
    pred, target = errors()
    assert nn.MSELoss()(pred, target).item() == 4.625


def test_l1_is_the_mean_of_absolute_errors():
    """L1Loss averages the absolute differences, so a large error counts linearly rather than quadratically.

    Hint: an error of -3 would count the same as an error of 3.
    """
    pred, target = errors()
    assert nn.L1Loss()(pred, target).item() == 1.75


def test_mean_reduction_averages_over_every_element():
    """The default reduction='mean' divides by the number of elements, not by the batch size; reduction='sum' adds the element losses.

    Hint: count the elements of the 2x2 prediction.
    """
    pred = torch.tensor([[1.0, 1.0], [3.0, 0.0]])
    target = torch.zeros(2, 2)
    assert F.mse_loss(pred, target).item() == 2.75
    assert F.mse_loss(pred, target, reduction="sum").item() == 11.0


def test_huber_is_quadratic_inside_delta_and_linear_outside():
    """HuberLoss(delta) is 0.5 * e ** 2 where |e| < delta and delta * (|e| - 0.5 * delta) beyond, so the linear part has slope delta.

    Hint: place each error on the right side of delta first.
    """
    pred, target = errors()
    loss = nn.HuberLoss(reduction="none", delta=2.0)(pred, target)
    assert loss.tolist() == [0.125, 4.0]


def test_smooth_l1_is_quadratic_inside_beta_and_slope_one_outside():
    """SmoothL1Loss(beta) is 0.5 * e ** 2 / beta where |e| < beta and |e| - 0.5 * beta beyond, so its linear part always has slope 1.

    Hint: place each error on the right side of beta first.
    """
    pred, target = errors()
    loss = nn.SmoothL1Loss(reduction="none", beta=2.0)(pred, target)
    assert loss.tolist() == [0.0625, 2.0]


def test_huber_and_smooth_l1_gradients_differ_by_delta():
    """With delta equal to beta, HuberLoss is SmoothL1Loss times delta, and so are their gradients: inside the zone the gradient is e (Huber) or e / beta (SmoothL1), outside it stops growing.

    Hint: differentiate each branch of the two formulas above.
    """
    pred, target = errors()
    huber_pred = pred.clone().requires_grad_()
    smooth_pred = pred.clone().requires_grad_()
    F.huber_loss(huber_pred, target, delta=2.0, reduction="sum").backward()
    F.smooth_l1_loss(smooth_pred, target, beta=2.0, reduction="sum").backward()
    assert huber_pred.grad.tolist() == [0.5, 2.0]
    assert smooth_pred.grad.tolist() == [0.25, 1.0]
