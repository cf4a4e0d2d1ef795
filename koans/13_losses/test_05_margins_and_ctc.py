"""Margin losses and CTC: losses over pairs, triplets and alignments."""

import math

import torch
from torch import nn

from kata import __


def test_margin_ranking_wants_the_right_order_by_a_margin():
    """MarginRankingLoss(margin) is max(0, -y * (x1 - x2) + margin): with y = 1, x1 should beat x2 by at least the margin, and a pair that does costs nothing.

    Hint: the first pair is ordered with room to spare; the second is the wrong way round.
    """
    loss = nn.MarginRankingLoss(margin=1.0, reduction="none")
    x1, x2 = torch.tensor([3.0, 1.0]), torch.tensor([1.0, 2.0])
    assert loss(x1, x2, torch.ones(2)).tolist() == __


def test_triplet_loss_compares_two_distances():
    """TripletMarginLoss(margin) is max(0, d(anchor, positive) - d(anchor, negative) + margin) with Euclidean distances: the positive must be nearer than the negative by the margin.

    Hint: both distances are whole numbers here.
    """
    anchor, positive, negative = torch.tensor([[0.0, 0.0]]), torch.tensor([[3.0, 4.0]]), torch.tensor([[0.0, 6.0]])
    loss = nn.TripletMarginLoss(margin=2.0)(anchor, positive, negative)
    assert math.isclose(loss.item(), __, abs_tol=1e-4)


def test_cosine_embedding_loss_pulls_similar_pairs_and_pushes_others():
    """CosineEmbeddingLoss is 1 - cos(x1, x2) for a pair marked similar (y = 1) and max(0, cos(x1, x2) - margin) for a pair marked dissimilar (y = -1), margin 0 by default.

    Hint: the two vectors are 45 degrees apart.
    """
    x1 = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    x2 = torch.tensor([[1.0, 1.0], [1.0, 1.0]])
    loss = nn.CosineEmbeddingLoss(reduction="none")(x1, x2, torch.tensor([1.0, -1.0]))
    assert torch.allclose(loss, __, atol=1e-4)


def test_ctc_sums_over_every_alignment():
    """CTCLoss is -log of the total probability of all alignments: per-step paths of labels and blanks (class 0) that give the target once repeats are merged and then blanks removed. A repeated label therefore needs a blank between its copies. reduction='mean' also divides each sequence's loss by its target length.

    Hint: every class has probability 1/2 at every step; list the paths of each length that collapse to the target.
    """
    ctc = nn.CTCLoss(reduction="sum")
    one_label = ctc(torch.full((2, 1, 2), math.log(0.5)), torch.tensor([[1]]), torch.tensor([2]), torch.tensor([1]))
    assert math.isclose(one_label.item(), -math.log(__), rel_tol=1e-5)
    log_probs = torch.full((3, 1, 2), math.log(0.5))
    repeated = ctc(log_probs, torch.tensor([[1, 1]]), torch.tensor([3]), torch.tensor([2]))
    assert math.isclose(repeated.item(), __, rel_tol=1e-5)
    mean = nn.CTCLoss()(log_probs, torch.tensor([[1, 1]]), torch.tensor([3]), torch.tensor([2]))
    assert math.isclose(mean.item(), __, rel_tol=1e-5)
