"""Learning-rate schedulers: how each one changes the optimizer's lr, step after step."""

import warnings

import torch
from torch.optim import lr_scheduler

from kata import __, raises


def make_optimizer(lr=1.0):
    p = torch.nn.Parameter(torch.zeros(1))
    return torch.optim.SGD([p], lr=lr)


def lrs_over(opt, scheduler, steps):
    """The lr before any step, then after each optimizer.step(); scheduler.step() pair."""
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


def test_step_lr_decays_every_step_size_epochs():
    """StepLR multiplies the lr by gamma every step_size calls to scheduler.step().

    Hint: count the scheduler.step() calls before each change.
    """
    opt = make_optimizer()
    sched = lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    assert lrs_over(opt, sched, 6) == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]


def test_multistep_lr_decays_at_milestones():
    """MultiStepLR multiplies the lr by gamma when the epoch count reaches each milestone.

    Hint: the list starts with the lr before any step, at count 0.
    """
    opt = make_optimizer()
    sched = lr_scheduler.MultiStepLR(opt, milestones=[2, 5], gamma=0.5)
    assert lrs_over(opt, sched, 6) == [1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]


def test_cosine_annealing_reaches_half_way_and_then_eta_min():
    """CosineAnnealingLR follows eta_min + (base - eta_min) * (1 + cos(pi * t / T_max)) / 2, from the base lr down to eta_min at t = T_max.

    Hint: cos(pi / 2) = 0 and cos(pi) = -1; eta_min defaults to 0.
    """
    opt = make_optimizer()
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    lrs = lrs_over(opt, sched, 4)
    assert round(lrs[2], 6) == 0.5
    assert round(lrs[4], 6) == 0.0


def test_lambda_lr_multiplies_the_base_lr():
    """LambdaLR sets lr = base_lr * lr_lambda(epoch), where epoch counts scheduler.step() calls.

    Hint: the last entry comes after the last of the steps.
    """
    opt = make_optimizer(lr=0.5)
    sched = lr_scheduler.LambdaLR(opt, lr_lambda=lambda epoch: 1 / (epoch + 1))
    assert lrs_over(opt, sched, 3)[-1] == 0.125


def test_linear_lr_warms_up_from_start_factor():
    """LinearLR scales the lr by start_factor as soon as it is created, then linearly up to end_factor (default 1.0) over total_iters steps.

    Hint: the factor climbs by equal amounts from start_factor to 1.0.
    """
    opt = make_optimizer()
    sched = lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
    assert lrs_over(opt, sched, 4) == [0.25, 0.5, 0.75, 1.0, 1.0]


def test_sequential_lr_hands_over_at_the_milestone():
    """SequentialLR runs one scheduler until a milestone and then the next, which starts its own count from zero at the base lr.

    Hint: warm up for three steps, then StepLR halves the lr every two steps of its own.
    """
    opt = make_optimizer()
    warmup = lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
    decay = lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    sched = lr_scheduler.SequentialLR(opt, [warmup, decay], milestones=[3])
    assert lrs_over(opt, sched, 7) == [0.25, 0.5, 0.75, 1.0, 1.0, 0.5, 0.5, 0.25]


def test_one_cycle_starts_at_max_lr_over_div_factor():
    """OneCycleLR overwrites the optimizer's lr with max_lr / div_factor (div_factor defaults to 25) and peaks at max_lr after pct_start * total_steps - 1 steps (pct_start defaults to 0.3).

    Hint: the optimizer's own lr of 1.0 plays no part.
    """
    opt = make_optimizer(lr=1.0)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=2.5, total_steps=10)
    lrs = lrs_over(opt, sched, 9)
    assert round(lrs[0], 6) == 0.1
    assert lrs.index(max(lrs)) == 2


def test_get_last_lr_returns_one_lr_per_group():
    """scheduler.get_last_lr() returns a list with the current lr of each parameter group; the scheduler scales each group from its own initial lr.

    Hint: two groups, one StepLR decay.
    """
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.25}], lr=1.0)
    sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    opt.step()
    sched.step()
    assert sched.get_last_lr() == [0.5, 0.125]


def test_scheduler_step_before_optimizer_step_warns():
    """Calling scheduler.step() before any optimizer.step() makes PyTorch warn (a UserWarning) that the two should be called in the opposite order, and what that costs the schedule.

    Hint: the warning's last sentence says what happens to the schedule.
    """
    opt = make_optimizer()
    sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with raises(UserWarning, match="skipping the first value"):
            sched.step()


def test_reduce_lr_on_plateau_waits_for_patience():
    """ReduceLROnPlateau multiplies the lr by factor once the metric has failed to improve for more than patience epochs in a row, then starts counting again.

    Hint: 5.0 then 4.0 are improvements; the repeated 4.0s are not.
    """
    opt = make_optimizer()
    sched = lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
    lrs = []
    for loss in [5.0, 4.0, 4.0, 4.0, 4.0, 4.0]:
        sched.step(loss)
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]


def test_cosine_warm_restarts_jumps_back_to_the_base_lr():
    """CosineAnnealingWarmRestarts anneals along a cosine from the base lr towards eta_min over T_0 steps, then restarts at the base lr; with T_mult each cycle is T_mult times longer than the one before.

    Hint: find where each cycle starts; within a cycle of length T, step t gives (1 + cos(pi * t / T)) / 2 of the base lr.
    """
    opt = make_optimizer()
    sched = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
    assert [round(lr, 4) for lr in lrs_over(opt, sched, 7)] == [1.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 1.0, 0.9619]


def test_cyclic_lr_climbs_and_falls_in_a_triangle():
    """CyclicLR (mode "triangular") overwrites the lr with base_lr and moves it in a straight line to max_lr over step_size_up steps, back down over as many steps (step_size_down defaults to step_size_up), and repeats.

    Hint: find the rise per step first; CyclicLR ignores the lr the optimizer was built with.
    """
    opt = make_optimizer()
    sched = lr_scheduler.CyclicLR(opt, base_lr=0.5, max_lr=2.0, step_size_up=3, cycle_momentum=False)
    assert [round(lr, 4) for lr in lrs_over(opt, sched, 7)] == [0.5, 1.0, 1.5, 2.0, 1.5, 1.0, 0.5, 1.0]
