"""KLDivLoss's conventions, and focal and label-smoothed losses written by hand."""

import math

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
    """KLDivLoss takes its input as log-probabilities and its target as probabilities, so the divergence of a distribution from itself is 0 only when the input is logged.

    Hint: which form of p is the input?
    """
    p = torch.tensor([[0.25, 0.75]])
    loss = F.kl_div(__, p, reduction="batchmean")
    assert abs(loss.item()) < 1e-6


def test_kl_div_measures_the_target_against_the_input():
    """F.kl_div(log_q, p) computes KL(p || q) = sum(p * (log p - log q)): the target p weights the log ratio.

    Hint: p = [1/2, 1/2], q = [1/4, 3/4].
    """
    p = torch.tensor([[0.5, 0.5]])
    q = torch.tensor([[0.25, 0.75]])
    loss = F.kl_div(q.log(), p, reduction="batchmean")
    assert math.isclose(loss.item(), __, rel_tol=1e-5)


def test_batchmean_divides_by_the_batch_size():
    """reduction='batchmean' divides the summed divergence by the batch size only, which matches the mathematical KL divergence per sample.

    Hint: two identical rows.
    """
    p = torch.tensor([[0.5, 0.5], [0.5, 0.5]])
    log_q = torch.tensor([[0.25, 0.75], [0.25, 0.75]]).log()
    total = F.kl_div(log_q, p, reduction="sum")
    per_sample = F.kl_div(log_q, p, reduction="batchmean")
    assert math.isclose(total.item(), __ * per_sample.item(), rel_tol=1e-6)


def test_log_target_takes_the_target_as_log_probabilities_too():
    """With log_target=True, KLDivLoss expects the target as log-probabilities as well, which is more stable when they come from log_softmax.

    Hint: give p in the same form as q.
    """
    p = torch.tensor([[0.5, 0.5]])
    log_q = torch.tensor([[0.25, 0.75]]).log()
    loss = nn.KLDivLoss(reduction="batchmean", log_target=True)(log_q, __)
    assert torch.allclose(loss, F.kl_div(log_q, p, reduction="batchmean"))


def test_focal_loss_with_gamma_zero_is_cross_entropy():
    """Focal loss is -(1 - p_t) ** gamma * log(p_t); with gamma = 0 the modulating factor is 1 and it reduces to cross entropy.

    Hint: the factor (1 - p_t) ** gamma must equal 1 for every sample.
    """
    logits, target = logits_and_target()
    assert torch.allclose(focal_loss(logits, target, gamma=__), F.cross_entropy(logits, target))


def test_focal_loss_shrinks_easy_examples():
    """The factor (1 - p_t) ** gamma shrinks the loss of well-classified samples: with p_t = 3/4 and gamma = 2 the loss is scaled by (1/4) ** 2.

    Hint: softmax([0, log 3]) is [1/4, 3/4], and the target is class 1.
    """
    logits = torch.tensor([[0.0, math.log(3.0)]])
    loss = focal_loss(logits, torch.tensor([1]), gamma=2)
    assert math.isclose(loss.item(), __ * math.log(4 / 3), rel_tol=1e-5)


def test_label_smoothing_spreads_eps_over_all_classes():
    """PyTorch's label smoothing gives every class eps / C, the target included, and the target another 1 - eps; the loss is the cross entropy against that distribution.

    Hint: C counts all three classes, not only the wrong ones.
    """
    logits, target = logits_and_target()
    eps = 0.3
    smooth = F.one_hot(target, num_classes=3) * (1 - eps) + eps / __
    by_hand = -(smooth * F.log_softmax(logits, dim=1)).sum(dim=1).mean()
    assert torch.allclose(by_hand, F.cross_entropy(logits, target, label_smoothing=eps))
