"""CrossEntropyLoss: logits in, class indices or probabilities as targets."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata import __, raises


def three_to_one():
    """Two samples over two classes: row 0 is even odds, row 1 gives class 1 probability 3/4."""
    return torch.tensor([[0.0, 0.0], [0.0, math.log(3.0)]])


def test_equal_logits_cost_the_same_whatever_their_value():
    """CrossEntropyLoss applies log_softmax to raw logits, and softmax only sees differences between the logits of a row: adding a constant to a whole row changes nothing.

    Hint: what probability does each of four equal logits get?
    """
    logits = torch.tensor([[5.0, 5.0, 5.0, 5.0], [-1.0, -1.0, -1.0, -1.0]])
    loss = nn.CrossEntropyLoss()(logits, torch.tensor([1, 3]))
    assert math.isclose(loss.item(), math.log(4), rel_tol=1e-6)


def test_cross_entropy_is_minus_log_of_the_target_probability():
    """For one sample, cross entropy is -log(softmax(logits)[target]).

    Hint: exponentiate the logits, then normalise them to sum to one.
    """
    loss = F.cross_entropy(three_to_one()[1:], torch.tensor([1]))
    assert math.isclose(loss.item(), -math.log(3 / 4), rel_tol=1e-6)


def test_reduction_none_keeps_one_loss_per_sample():
    """reduction='none' returns one loss per sample, shape (N,); the default 'mean' averages them and 'sum' adds them.

    Hint: each row's loss is minus the log of its target's probability.
    """
    logits, target = three_to_one(), torch.tensor([0, 1])
    per_sample = F.cross_entropy(logits, target, reduction="none")
    assert torch.allclose(per_sample, torch.tensor([math.log(2), math.log(4 / 3)]))
    total = F.cross_entropy(logits, target, reduction="sum")
    assert math.isclose(total.item(), 2 * F.cross_entropy(logits, target).item(), rel_tol=1e-6)


def test_ignore_index_drops_samples_from_the_mean():
    """Targets equal to ignore_index (-100 by default) contribute nothing, not even to the count the mean divides by.

    Hint: the third row holds even odds.
    """
    logits = torch.cat([three_to_one(), torch.zeros(1, 2)])
    loss = F.cross_entropy(logits, torch.tensor([-100, 1, 0]))
    assert math.isclose(loss.item(), (math.log(4 / 3) + math.log(2)) / 2, rel_tol=1e-6)


def test_the_mean_over_no_counted_samples():
    """The mean reduction divides the summed loss of the counted samples by how many there are; reduction='sum' only adds them up.

    Hint: IEEE floats define zero divided by zero; write str() of the float you get.
    """
    target = torch.tensor([-100, -100])
    assert str(F.cross_entropy(three_to_one(), target).item()) == "nan"
    assert F.cross_entropy(three_to_one(), target, reduction="sum").item() == 0.0


def test_class_weights_divide_by_the_sum_of_weights():
    """With class weights, each sample's loss is multiplied by the weight of its target class, and the mean divides by the sum of those weights, not by N.

    Hint: write the weighted sum and the sum of weights for each case; in one of them the weights cancel.
    """
    weight = torch.tensor([1.0, 3.0])
    same_class = F.cross_entropy(three_to_one(), torch.tensor([1, 1]), weight=weight)
    mixed = F.cross_entropy(three_to_one(), torch.tensor([0, 1]), weight=weight)
    assert math.isclose(same_class.item(), (math.log(2) + math.log(4 / 3)) / 2, rel_tol=1e-6)
    assert math.isclose(mixed.item(), (math.log(2) + 3 * math.log(4 / 3)) / 4, rel_tol=1e-6)


def test_probability_targets_take_the_expected_log_loss():
    """A floating-point target of the same shape as the logits is read as class probabilities: the loss is -sum(p * log_softmax(logits)), which never falls below the entropy of p.

    Hint: here the target is exactly what the logits predict; the loss is still not zero.
    """
    target = torch.tensor([[0.25, 0.75]])
    loss = F.cross_entropy(three_to_one()[1:], target)
    assert math.isclose(loss.item(), -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)), rel_tol=1e-6)


def test_class_index_targets_need_the_dtype_of_python_ints():
    """Class-index targets feed a kernel that reads one integer type, the one torch.tensor gives a list of Python ints; other integer types are not converted for you, and a floating target is read as probabilities only when its shape matches the logits.

    Hint: the loop keeps the dtypes whose call went through.
    """
    accepted = []
    for dtype in [torch.int32, torch.int64, torch.float32]:
        try:
            F.cross_entropy(torch.zeros(2, 4), torch.tensor([1, 3]).to(dtype))
            accepted.append(dtype)
        except RuntimeError:
            pass
    assert accepted == [torch.int64]


def test_targets_must_name_a_class_or_be_ignored():
    """A class index must be one of the C classes; Python-style negative indices are not allowed, and only ignore_index is let through. Anything else is refused as an index out of bounds.

    Hint: the classes of four logits are numbered from 0.
    """
    accepted = []
    for t in [3, 4, -1, -100]:
        try:
            F.cross_entropy(torch.zeros(1, 4), torch.tensor([t]))
            accepted.append(t)
        except Exception as error:
            refused_with = type(error)
    assert accepted == [3, -100]
    assert refused_with is IndexError


def test_class_dimension_is_dimension_one():
    """For inputs with extra dimensions (a sequence, an image), the classes are dimension 1: logits (N, C, d) go with targets (N, d). Logits laid out as (N, d, C) are read the same way, and the target is then checked against that reading.

    Hint: read the logits' shape as (N, C, d) and work out the target size the loss expects.
    """
    target = torch.zeros(2, 5, dtype=torch.long)
    assert F.cross_entropy(torch.zeros(2, 3, 5), target, reduction="none").shape == (2, 5)
    with raises(RuntimeError, match=r"Expected target size \[2, 3\]"):
        F.cross_entropy(torch.zeros(2, 5, 3), target)
