"""CrossEntropyLoss: logits in, class indices or probabilities as targets."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata import __


def three_to_one():
    """Two samples over two classes: row 0 is even odds, row 1 gives class 1 probability 3/4."""
    return torch.tensor([[0.0, 0.0], [0.0, math.log(3.0)]])


def test_zero_logits_cost_log_of_the_class_count():
    """CrossEntropyLoss applies log_softmax to raw logits; all-zero logits give every class probability 1 / C, so the loss is log(C) whatever the target.

    Hint: four classes.
    """
    loss = nn.CrossEntropyLoss()(torch.zeros(2, 4), torch.tensor([1, 3]))
    assert math.isclose(loss.item(), math.log(4), rel_tol=1e-6)


def test_cross_entropy_is_minus_log_of_the_target_probability():
    """For one sample, cross entropy is -log(softmax(logits)[target]).

    Hint: softmax([0, log 3]) is [1/4, 3/4].
    """
    loss = F.cross_entropy(three_to_one()[1:], torch.tensor([1]))
    assert math.isclose(loss.item(), -math.log(3 / 4), rel_tol=1e-6)


def test_reduction_none_keeps_one_loss_per_sample():
    """reduction='none' returns one loss per sample, shape (N,); the default 'mean' averages them and 'sum' adds them.

    Hint: row 0 gives its target 1/2, row 1 gives its target 3/4.
    """
    logits, target = three_to_one(), torch.tensor([0, 1])
    assert F.cross_entropy(logits, target, reduction="none").shape == (2,)
    total = F.cross_entropy(logits, target, reduction="sum")
    assert math.isclose(total.item(), math.log(2) + math.log(4 / 3), rel_tol=1e-6)


def test_ignore_index_drops_samples_from_the_mean():
    """Targets equal to ignore_index (-100 by default) contribute nothing, and the mean is taken over the remaining samples only.

    Hint: only row 0 still counts.
    """
    loss = F.cross_entropy(three_to_one(), torch.tensor([0, -100]))
    assert math.isclose(loss.item(), math.log(2), rel_tol=1e-6)


def test_all_targets_ignored_gives_nan():
    """When every target is ignored, the mean reduction divides zero by zero and the loss is NaN, while reduction='sum' just adds up nothing.

    Hint: a sum over no samples divided by a count of no samples.
    """
    target = torch.tensor([-100, -100])
    assert math.isnan(F.cross_entropy(three_to_one(), target).item()) == True
    assert F.cross_entropy(three_to_one(), target, reduction="sum").item() == 0.0


def test_class_weights_divide_by_the_sum_of_weights():
    """With class weights, each sample's loss is multiplied by the weight of its target class, and the mean divides by the sum of those weights, not by N.

    Hint: the weights used are 1 (row 0, class 0) and 3 (row 1, class 1).
    """
    weight = torch.tensor([1.0, 3.0])
    loss = F.cross_entropy(three_to_one(), torch.tensor([0, 1]), weight=weight)
    expected = (1 * math.log(2) + 3 * math.log(4 / 3)) / 4
    assert math.isclose(loss.item(), expected, rel_tol=1e-6)


def test_probability_targets_take_the_expected_log_loss():
    """A floating-point target of the same shape as the logits is read as class probabilities: the loss is -sum(p * log_softmax(logits)).

    Hint: softmax([0, log 3]) is [1/4, 3/4], and each class gets half of the target's weight.
    """
    target = torch.tensor([[0.5, 0.5]])
    loss = F.cross_entropy(three_to_one()[1:], target)
    assert math.isclose(loss.item(), 0.5 * math.log(4) + 0.5 * math.log(4 / 3), rel_tol=1e-6)


def test_class_index_targets_must_be_integers():
    """Class-index targets should be int64 (even int32 is refused): a float target whose shape does not match the logits raises a RuntimeError about the target dtype, and converting the target makes the same call work.

    Hint: the dtype torch.tensor gives a list of Python ints.
    """
    target = torch.tensor([1.0, 3.0])
    with pytest.raises(RuntimeError, match="Long"):
        F.cross_entropy(torch.zeros(2, 4), target)
    loss = F.cross_entropy(torch.zeros(2, 4), target.to(torch.int64))
    assert math.isclose(loss.item(), math.log(4), rel_tol=1e-6)


def test_target_out_of_range_raises_index_error():
    """A class index of C or more raises an IndexError saying the target is out of bounds.

    Hint: the classes of four logits are 0 to 3.
    """
    with pytest.raises(Exception) as info:
        F.cross_entropy(torch.zeros(2, 4), torch.tensor([1, 4]))
    assert type(info.value) is IndexError


def test_class_dimension_is_dimension_one():
    """For inputs with extra dimensions (a sequence, an image), the classes are dimension 1: logits (N, C, d) go with targets (N, d), and reduction='none' returns (N, d).

    Hint: 2 sequences, 3 classes, 5 positions.
    """
    logits = torch.zeros(2, 3, 5)
    target = torch.zeros(2, 5, dtype=torch.long)
    assert F.cross_entropy(logits, target, reduction="none").shape == (2, 5)
