"""NLLLoss after log_softmax, and the two binary cross-entropy losses."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata import __, raises


def test_nll_loss_picks_minus_the_target_entry():
    """NLLLoss does no logarithm itself: for each sample it takes minus the input entry at the target index, expecting log-probabilities.

    Hint: the target is class 2.
    """
    log_probs = torch.tensor([[-1.0, -2.0, -3.0]])
    assert nn.NLLLoss()(log_probs, torch.tensor([2])).item() == __


def test_log_softmax_then_nll_is_cross_entropy():
    """CrossEntropyLoss is exactly log_softmax followed by NLLLoss; the two-step form is what you write when the model already ends in log_softmax.

    Hint: apply log_softmax along the class dimension.
    """
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    target = torch.tensor([1, 2])
    two_step = F.nll_loss(F.log_softmax(logits, dim=__), target)
    assert torch.allclose(two_step, F.cross_entropy(logits, target))


def test_bce_with_logits_at_zero_is_log_two():
    """BCEWithLogitsLoss applies the sigmoid itself: a logit of 0 means probability 1/2, so the loss is log 2 whether the target is 0 or 1.

    Hint: a logit of 0 is even odds.
    """
    loss = nn.BCEWithLogitsLoss()(torch.tensor([0.0]), torch.tensor([1.0]))
    assert math.isclose(loss.item(), __, rel_tol=1e-6)


def test_pos_weight_scales_only_the_positive_term():
    """pos_weight multiplies the loss term of positive targets (y = 1) only, which is how you up-weight a rare positive class.

    Hint: the first target is positive, the second negative; both logits are 0.
    """
    bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]), reduction="none")
    loss = bce(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 0.0]))
    assert torch.allclose(loss, __)


def test_bce_loss_wants_probabilities():
    """BCELoss (without logits) expects probabilities and raises a RuntimeError for inputs outside [0, 1].

    Hint: the message says where the elements should lie.
    """
    with raises(RuntimeError, match=__):
        F.binary_cross_entropy(torch.tensor([2.0]), torch.tensor([1.0]))


def test_bce_loss_clamps_the_log_at_minus_100():
    """BCELoss clamps its log terms at -100, so a probability of exactly 0 for a positive target costs 100 rather than infinity.

    Hint: -log(0) would be infinite.
    """
    loss = F.binary_cross_entropy(torch.tensor([0.0]), torch.tensor([1.0]))
    assert loss.item() == __


def test_bce_with_logits_is_stable_where_sigmoid_saturates():
    """BCEWithLogitsLoss combines sigmoid and log in one stable formula, so a very wrong logit of -200 costs 200, while sigmoid then BCELoss saturates at the clamp.

    Hint: for a positive target, -log(sigmoid(x)) is about -x when x is very negative.
    """
    x, y = torch.tensor([-200.0]), torch.tensor([1.0])
    assert F.binary_cross_entropy_with_logits(x, y).item() == __
    assert F.binary_cross_entropy(torch.sigmoid(x), y).item() == 100.0


def test_bce_accepts_soft_targets():
    """Binary cross entropy is -[y log p + (1 - y) log(1 - p)] and accepts any target y in [0, 1], not just 0 and 1.

    Hint: with p = 1/2 both logs are log(1/2), whatever y is.
    """
    loss = F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([0.3]))
    assert math.isclose(loss.item(), __, rel_tol=1e-6)
