"""Weight averages (EMA and SWA with AveragedModel) and the plateau counter that early stopping reads."""

import torch
import torch.nn as nn
from torch.optim import lr_scheduler
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn, update_bn

from kata import __


def scalar_model(value):
    model = nn.Linear(1, 1, bias=False)
    set_weight(model, value)
    return model


def set_weight(model, value):
    with torch.no_grad():
        model.weight.fill_(value)


def test_an_ema_copies_the_first_weights_then_keeps_decay_of_the_old_average():
    """AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay)) copies the model's weights on its first update_parameters call, and from then on keeps ema = decay * ema + (1 - decay) * weights; the weights it was built with are not part of the average.

    Hint: the first update is a copy; each later one keeps a `decay` share of the average.
    """
    model = scalar_model(100.0)
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.75))
    history = []
    for w in (4.0, 8.0, 0.0):
        set_weight(model, w)
        ema.update_parameters(model)
        history.append(ema.module.weight.item())
    assert history == [4.0, 5.0, 3.75]


def test_swa_keeps_the_plain_mean_and_counts_the_updates():
    """Without an averaging function, AveragedModel keeps the equal-weight mean of every set of weights passed to update_parameters (SWA), and counts them in its n_averaged buffer.

    Hint: the weights at construction time are not among them.
    """
    model = scalar_model(40.0)
    swa = AveragedModel(model)
    for w in (1.0, 2.0, 6.0, 3.0):
        set_weight(model, w)
        swa.update_parameters(model)
    assert swa.module.weight.item() == 3.0
    assert swa.n_averaged.item() == 4


def test_buffers_are_copied_unless_use_buffers():
    """AveragedModel averages parameters only: by default each update_parameters copies the model's buffers (BatchNorm's running statistics) as they are; with use_buffers=True it averages the buffers like the parameters.

    Hint: follow the running mean the model had at each of the two updates.
    """
    bn = nn.BatchNorm1d(1)
    copied = AveragedModel(bn)
    averaged = AveragedModel(bn, use_buffers=True)
    for mean in (2.0, 6.0):
        bn.running_mean.fill_(mean)
        copied.update_parameters(bn)
        averaged.update_parameters(bn)
    assert copied.module.running_mean.item() == 6.0
    assert averaged.module.running_mean.item() == 4.0


def test_update_bn_recomputes_the_running_statistics_as_a_plain_mean():
    """Averaged weights need BatchNorm statistics of their own: update_bn(loader, model) resets every BatchNorm's running stats and runs the data through it in train mode with momentum None, the cumulative average, so each batch's mean counts equally; the old momentum is restored afterwards.

    Hint: a batch's mean per feature; then the mean over batches.
    """
    model = nn.Sequential(nn.BatchNorm1d(1))
    model[0].running_mean.fill_(50.0)
    batches = [torch.tensor([[0.0], [2.0]]), torch.tensor([[6.0], [8.0]]), torch.tensor([[10.0], [10.0]])]
    update_bn(batches, model)
    assert model[0].running_mean.item() == 6.0
    assert model[0].num_batches_tracked.item() == 3
    assert model[0].momentum == 0.1


def test_the_plateau_counter_needs_a_relative_improvement():
    """ReduceLROnPlateau counts epochs without improvement in num_bad_epochs, the counter early stopping reads; in mode "min" with the default threshold_mode "rel", a loss improves only if it is below best * (1 - threshold), threshold 1e-4 by default, and an improvement resets the counter to 0.

    Hint: 1 - 1e-4 of the best so far is the bar each loss must get under.
    """
    p = nn.Parameter(torch.zeros(1))
    plateau = lr_scheduler.ReduceLROnPlateau(torch.optim.SGD([p], lr=1.0), patience=10)
    counts = []
    for loss in [1.0, 0.99995, 0.9, 0.95, 0.89995, 0.8]:
        plateau.step(loss)
        counts.append(plateau.num_bad_epochs)
    assert counts == [0, 1, 0, 1, 2, 0]


def test_cooldown_pauses_the_counter_after_a_reduction():
    """After ReduceLROnPlateau cuts the lr it waits `cooldown` epochs before counting bad epochs again, and the counter restarts from zero after each cut.

    Hint: with patience 1, a cut comes on the second bad epoch in a row that is counted.
    """
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=1.0)
    plateau = lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1, cooldown=2)
    lrs = []
    for loss in [1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]:
        plateau.step(loss)
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == [1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25]
