"""Weight averages (EMA, SWA) and early stopping."""

import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from kata import __


def ema_update(ema, weights, decay):
    """One exponential-moving-average step: ema = decay * ema + (1 - decay) * weights."""
    with torch.no_grad():
        ema.mul_(decay).add_(weights, alpha=1 - decay)


def scalar_model(value):
    model = nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        model.weight.fill_(value)
    return model


def set_weight(model, value):
    with torch.no_grad():
        model.weight.fill_(value)


class EarlyStopping:
    """Stop when the loss has not improved by more than min_delta for `patience` epochs in a row."""

    def __init__(self, patience, min_delta=0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.best = float("inf")
        self.bad_epochs = 0

    def should_stop(self, loss):
        if loss < self.best - self.min_delta:
            self.best = loss
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
        return self.bad_epochs >= self.patience


def stopping_epoch(losses, **kwargs):
    stopper = EarlyStopping(**kwargs)
    for epoch, loss in enumerate(losses):
        if stopper.should_stop(loss):
            return epoch, stopper.best
    return None, stopper.best


def test_ema_step_by_hand():
    """An EMA with decay 0.5 moves half-way from its value towards the new weights at each update.

    Hint: from 1 towards 3, then from there towards 5.
    """
    ema = torch.tensor([1.0])
    for w in (3.0, 5.0):
        ema_update(ema, torch.tensor([w]), decay=0.5)
    assert ema.item() == __


def test_high_decay_moves_slowly():
    """The larger the decay, the less one update moves the EMA: decay 0.75 keeps three quarters of the old value.

    Hint: 0.75 * 0 + 0.25 * 8.
    """
    ema = torch.tensor([0.0])
    ema_update(ema, torch.tensor([8.0]), decay=0.75)
    assert ema.item() == __


def test_averaged_model_ema_copies_on_the_first_update():
    """AveragedModel with get_ema_multi_avg_fn(decay) copies the weights on its first update_parameters call, then applies the EMA.

    Hint: the model's weight at construction (1.0) is not part of the average.
    """
    model = scalar_model(1.0)
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.5))
    set_weight(model, 3.0)
    ema.update_parameters(model)
    first = ema.module.weight.item()
    set_weight(model, 5.0)
    ema.update_parameters(model)
    assert first == __
    assert ema.module.weight.item() == __


def test_averaged_model_defaults_to_an_equal_average():
    """Without an averaging function, AveragedModel keeps the plain mean of every set of weights passed to update_parameters (SWA), and counts them in n_averaged.

    Hint: the mean of 1, 2 and 6.
    """
    model = scalar_model(0.0)
    swa = AveragedModel(model)
    for w in (1.0, 2.0, 6.0):
        set_weight(model, w)
        swa.update_parameters(model)
    assert swa.module.weight.item() == __
    assert swa.n_averaged.item() == __


def test_early_stopping_waits_patience_epochs():
    """Early stopping ends training once the loss has failed to beat the best so far for `patience` epochs in a row, and keeps the best loss.

    Hint: the best is at epoch 1; count the bad epochs after it (epochs are numbered from 0).
    """
    epoch, best = stopping_epoch([1.0, 0.8, 0.9, 0.85, 0.7], patience=2)
    assert epoch == __
    assert best == __


def test_an_improvement_resets_the_count():
    """A new best loss resets the count of bad epochs to zero.

    Hint: epoch 2 is a new best; then two bad epochs.
    """
    epoch, _ = stopping_epoch([1.0, 1.1, 0.5, 0.6, 0.7, 0.8], patience=2)
    assert epoch == __


def test_min_delta_ignores_tiny_improvements():
    """With min_delta, a loss must beat the best by more than min_delta to count as an improvement.

    Hint: 0.99 and 0.98 improve on 1.0 by less than 0.05.
    """
    epoch, best = stopping_epoch([1.0, 0.99, 0.98], patience=2, min_delta=0.05)
    assert epoch == __
    assert best == __
