"""KLDivLoss's conventions, and focal and label-smoothed losses written by hand."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata import __


def logits_and_target():
    """Three samples over three classes, with targets 0, 2 and 1."""
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.0, 1.0, 3.0], [1.0, 1.0, 1.0]])
    return logits, torch.tensor([0, 2, 1])


def target_log_prob(logits, target):
    """log p_t: the log-softmax probability of each sample's target class."""
    return F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)


def focal_loss(logits, target, gamma):
    """Mean of -(1 - p_t) ** gamma * log(p_t)."""
    log_p_t = target_log_prob(logits, target)
    return (-((1 - log_p_t.exp()) ** gamma) * log_p_t).mean()


def test_kl_div_wants_log_probabilities_as_input():
    """F.kl_div(input, target) computes sum(target * (log(target) - input)): it takes the input as log-probabilities and never logs it itself. It does not check either, so passing probabilities gives a wrong number, not an error.

    Hint: put the unlogged p where the formula expects log p.
    """
    p = torch.tensor([[0.25, 0.75]])
    assert abs(F.kl_div(p.log(), p, reduction="batchmean").item()) < 1e-6
    forgot_the_log = F.kl_div(p, p, reduction="batchmean")
    assert math.isclose(forgot_the_log.item(), 0.25 * (math.log(0.25) - 0.25) + 0.75 * (math.log(0.75) - 0.75), rel_tol=1e-5)


def test_kl_div_measures_the_target_against_the_input():
    """F.kl_div(log_q, p) computes KL(p || q) = sum(p * (log p - log q)): the target p weights the log ratio.

    Hint: two terms, one per class, each weighted by p.
    """
    p = torch.tensor([[0.5, 0.5]])
    q = torch.tensor([[0.25, 0.75]])
    loss = F.kl_div(q.log(), p, reduction="batchmean")
    assert math.isclose(loss.item(), 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75), rel_tol=1e-5)


def test_batchmean_divides_by_the_batch_size():
    """reduction='batchmean' divides the summed divergence by the batch size only, which matches the mathematical KL divergence per sample; 'mean' divides by every element, batch times classes, and warns that it does.

    Hint: the shape is (2, 3).
    """
    p = torch.full((2, 3), 1 / 3)
    log_q = torch.tensor([[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]]).log()
    total = F.kl_div(log_q, p, reduction="sum")
    per_sample = F.kl_div(log_q, p, reduction="batchmean")
    with pytest.warns(UserWarning):
        per_element = F.kl_div(log_q, p, reduction="mean")
    assert math.isclose(total.item(), 2 * per_sample.item(), rel_tol=1e-6)
    assert math.isclose(total.item(), 6 * per_element.item(), rel_tol=1e-6)


def test_kl_div_is_not_symmetric():
    """With log_target=True the target is given as log-probabilities too; which argument is which still matters, because KL(p || q) weights the log ratio by the target and differs from KL(q || p).

    Hint: here q is the target.
    """
    log_p = torch.tensor([[0.5, 0.5]]).log()
    log_q = torch.tensor([[0.25, 0.75]]).log()
    loss = F.kl_div(log_p, log_q, reduction="batchmean", log_target=True)
    assert math.isclose(loss.item(), 0.25 * math.log(0.25 / 0.5) + 0.75 * math.log(0.75 / 0.5), rel_tol=1e-5)


def test_focal_loss_reduces_to_cross_entropy():
    """Focal loss is -(1 - p_t) ** gamma * log(p_t): cross entropy times a modulating factor, and gamma chooses how strong that factor is.

    Hint: which gamma makes the factor 1 for every p_t?
    """
    logits, target = logits_and_target()
    assert torch.allclose(focal_loss(logits, target, gamma=0), F.cross_entropy(logits, target))


def test_focal_loss_shrinks_easy_examples_most():
    """The factor (1 - p_t) ** gamma shrinks the loss of every sample, and the well-classified ones (p_t near 1) the most.

    Hint: find p_t for each target from the logits first.
    """
    logits = torch.tensor([[0.0, math.log(3.0)]])
    easy = focal_loss(logits, torch.tensor([1]), gamma=2)
    hard = focal_loss(logits, torch.tensor([0]), gamma=2)
    assert math.isclose(easy.item(), 1 / 16 * math.log(4 / 3), rel_tol=1e-5)
    assert math.isclose(hard.item(), 9 / 16 * math.log(4), rel_tol=1e-5)


def test_label_smoothing_spreads_eps_over_all_classes():
    """PyTorch's label smoothing gives every class eps / C, the target included, and the target another 1 - eps; the loss is the cross entropy against that distribution.

    Hint: four classes, eps = 0.2, target class 1.
    """
    logits = torch.tensor([[1.0, 2.0, 0.0, -1.0]])
    target = torch.tensor([1])
    smooth = torch.tensor([[0.05, 0.85, 0.05, 0.05]])
    by_hand = -(smooth * F.log_softmax(logits, dim=1)).sum(dim=1).mean()
    assert torch.allclose(by_hand, F.cross_entropy(logits, target, label_smoothing=0.2))
