"""NLLLoss after log_softmax, and the two binary cross-entropy losses."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata import __


def test_nll_loss_picks_minus_the_target_entry():
    """NLLLoss does no logarithm and no normalisation: for each sample it takes minus the input entry at the target index, trusting that the input holds log-probabilities.

    Hint: nothing checks that these are log-probabilities.
    """
    raw_scores = torch.tensor([[1.0, 2.0, 3.0]])
    assert nn.NLLLoss()(raw_scores, torch.tensor([2])).item() == __


def test_log_softmax_then_nll_is_cross_entropy():
    """CrossEntropyLoss is exactly log_softmax over the class dimension followed by NLLLoss; the two-step form is what you write when the model already ends in log_softmax.

    Hint: the logits are (N, C, d), as for a sequence.
    """
    logits = torch.tensor([[[1.0, 2.0], [2.0, 0.0], [0.5, -1.0]], [[0.5, 1.5], [-1.0, 1.0], [3.0, 2.0]]])
    target = torch.tensor([[1, 0], [2, 2]])
    two_step = F.nll_loss(F.log_softmax(logits, dim=__), target)
    assert torch.allclose(two_step, F.cross_entropy(logits, target))


def test_bce_with_logits_applies_the_sigmoid_itself():
    """BCEWithLogitsLoss takes raw logits and applies the sigmoid itself: the loss is -log(sigmoid(x)) for a target of 1 and -log(1 - sigmoid(x)) for a target of 0.

    Hint: sigmoid(log 3) = 3 / (1 + 3).
    """
    x = torch.full((2,), math.log(3.0))
    loss = F.binary_cross_entropy_with_logits(x, torch.tensor([1.0, 0.0]), reduction="none")
    assert torch.allclose(loss, __)


def test_pos_weight_scales_only_the_positive_terms_of_its_class():
    """pos_weight multiplies the loss term of positive targets (y = 1) only, one weight per class along the last dimension, which is how you up-weight a rare positive class.

    Hint: every logit is 0, so each unweighted term is log 2.
    """
    bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 5.0]), reduction="none")
    loss = bce(torch.zeros(1, 2), torch.tensor([[0.0, 1.0]]))
    assert torch.allclose(loss / math.log(2), __)


def test_bce_loss_wants_probabilities_and_clamps_its_logs():
    """BCELoss (without logits) is -[y log p + (1 - y) log(1 - p)]. It refuses inputs outside [0, 1] with a RuntimeError, accepts the ends, and clamps each log at -100 so an input of exactly 0 or 1 costs a finite amount.

    Hint: y may be soft, so both terms can count.
    """
    accepted = []
    for p in [0.0, 0.5, 1.0, 1.5, -0.1]:
        try:
            F.binary_cross_entropy(torch.tensor([p]), torch.tensor([0.3]))
            accepted.append(p)
        except RuntimeError:
            pass
    assert accepted == __
    loss = F.binary_cross_entropy(torch.tensor([0.0]), torch.tensor([0.3]))
    assert math.isclose(loss.item(), __, rel_tol=1e-5)


def test_bce_with_logits_is_stable_where_sigmoid_saturates():
    """BCEWithLogitsLoss combines sigmoid and log in one stable formula, -log(sigmoid(x)) = log(1 + exp(-x)), which stays exact for a very wrong logit; a sigmoid rounded to float32 first loses that.

    Hint: what is sigmoid(-200) in float32, and what does BCELoss do with it?
    """
    x, y = torch.tensor([-200.0]), torch.tensor([1.0])
    assert F.binary_cross_entropy_with_logits(x, y).item() == __
    assert F.binary_cross_entropy(torch.sigmoid(x), y).item() == __


def test_bce_with_logits_gradient_is_probability_minus_target():
    """The gradient of BCEWithLogitsLoss with respect to the logit is sigmoid(x) - y: the sigmoid's derivative cancels against the log's, for any target in [0, 1].

    Hint: sigmoid(0) is one half.
    """
    x = torch.tensor([0.0, math.log(3.0)], requires_grad=True)
    F.binary_cross_entropy_with_logits(x, torch.tensor([0.3, 1.0]), reduction="sum").backward()
    assert torch.allclose(x.grad, __)
