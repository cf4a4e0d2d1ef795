"""Adam and AdamW: moment estimates, bias correction and two kinds of weight decay."""

import torch

from kata import __


def test_adam_first_step_moves_each_element_by_about_lr():
    """Adam's first step is lr * m_hat / (sqrt(v_hat) + eps) with m_hat = g and v_hat = g * g, so every element moves by lr against the sign of its gradient, however large or small the gradient.

    Hint: eps = 1e-8 only nudges the result, which is rounded here.
    """
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0, 3.0]))
    opt = torch.optim.Adam([p], lr=0.5)
    p.grad = torch.tensor([100.0, -0.001, 4.0])
    opt.step()
    assert [round(v, 4) for v in p.tolist()] == [0.5, 2.5, 2.5]


def test_adam_state_holds_a_step_count_and_two_moments():
    """After a step, Adam keeps per parameter a step counter and two moment buffers shaped like the parameter; the counter is itself a 0-dim tensor of the default float dtype, so that compiled and CUDA-graph steps can update it in place.

    Hint: list the state's entries in sorted key order: exp_avg, exp_avg_sq, step.
    """
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.Adam([p])
    p.grad = torch.tensor([1.0, 1.0])
    opt.step()
    state = opt.state[p]
    assert [tuple(state[k].shape) for k in sorted(state)] == [(2,), (2,), ()]
    assert state["step"].dtype == torch.float32


def test_adam_moments_after_one_step():
    """Starting from zero, Adam's moments after one step are exp_avg = (1 - beta1) * g and exp_avg_sq = (1 - beta2) * g * g.

    Hint: betas here are (0.5, 0.75).
    """
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.Adam([p], lr=0.5, betas=(0.5, 0.75))
    p.grad = torch.tensor([2.0, -4.0])
    opt.step()
    assert opt.state[p]["exp_avg"].tolist() == [1.0, -2.0]
    assert opt.state[p]["exp_avg_sq"].tolist() == [1.0, 4.0]


def test_bias_correction_keeps_the_step_size_for_a_constant_gradient():
    """Bias correction divides the moments by (1 - beta ** step), so a constant gradient gives m_hat = g and v_hat = g * g at every step: each step is again lr.

    Hint: how far does each step go, and in which direction?
    """
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.Adam([p], lr=0.5, betas=(0.5, 0.75))
    for _ in range(2):
        p.grad = torch.tensor([2.0, -4.0])
        opt.step()
    assert [round(v, 4) for v in p.tolist()] == [0.0, 3.0]


def test_adam_weight_decay_is_added_to_the_gradient():
    """Adam's weight_decay is L2 regularisation: wd * p is added to the gradient, which then goes through the moments, so the step is still about lr.

    Hint: once the decay term is in, what sign does each gradient have, and how far does Adam's first step go?
    """
    p = torch.nn.Parameter(torch.tensor([2.0, 4.0]))
    opt = torch.optim.Adam([p], lr=0.5, weight_decay=0.25)
    p.grad = torch.tensor([0.0, 0.0])
    opt.step()
    assert [round(v, 4) for v in p.tolist()] == [1.5, 3.5]


def test_adamw_decays_the_weights_directly():
    """AdamW decouples weight decay: it first multiplies p by (1 - lr * wd), outside the moments, then takes the Adam step (zero here, as the gradient is zero).

    Hint: the decay factor comes from lr and wd; the Adam part of the step adds nothing here.
    """
    p = torch.nn.Parameter(torch.tensor([2.0, 4.0]))
    opt = torch.optim.AdamW([p], lr=0.5, weight_decay=0.25)
    p.grad = torch.tensor([0.0, 0.0])
    opt.step()
    assert p.tolist() == [1.75, 3.5]


def test_adamw_decays_by_default_adam_does_not():
    """Adam's default weight_decay is 0 and AdamW's is 0.01, so moving from Adam to AdamW without saying weight_decay turns decoupled decay on.

    Hint: zero gradients leave only the decay; round to 4 places.
    """
    adam_p = torch.nn.Parameter(torch.tensor([2.0]))
    adamw_p = torch.nn.Parameter(torch.tensor([2.0]))
    for p, cls in ((adam_p, torch.optim.Adam), (adamw_p, torch.optim.AdamW)):
        opt = cls([p], lr=0.5)
        p.grad = torch.zeros(1)
        opt.step()
    assert (round(adam_p.item(), 4), round(adamw_p.item(), 4)) == (2.0, 1.99)
