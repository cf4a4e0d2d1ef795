"""Other optimizers on a hand-computed first step: RMSprop, Adagrad, Adadelta, Adamax, RAdam, Rprop; foreach and fused."""

import torch

from kata import __, raises


def param(values):
    return torch.nn.Parameter(torch.tensor(values))


def test_rmsprop_has_no_bias_correction():
    """RMSprop keeps square_avg = alpha * square_avg + (1 - alpha) * g * g, starting from zero, and steps by lr * g / (sqrt(square_avg) + eps); unlike Adam it does not correct the zero start, so its first steps are larger than lr.

    Hint: alpha = 0.75 leaves a quarter of g * g in square_avg.
    """
    p = param([1.0, 2.0])
    opt = torch.optim.RMSprop([p], lr=0.1, alpha=0.75)
    p.grad = torch.tensor([2.0, -4.0])
    opt.step()
    assert opt.state[p]["square_avg"].tolist() == [1.0, 4.0]
    assert [round(v, 4) for v in p.tolist()] == [0.8, 2.2]


def test_centered_rmsprop_divides_by_a_variance():
    """centered=True also keeps grad_avg, the running mean of g, and divides by sqrt(square_avg - grad_avg ** 2): an estimate of the standard deviation instead of the root mean square, which is never larger.

    Hint: alpha = 0.5 keeps half of g * g and half of g; sqrt(2) is about 1.4142.
    """
    centered, plain = param([1.0]), param([1.0])
    opt_c = torch.optim.RMSprop([centered], lr=0.1, alpha=0.5, centered=True)
    opt_p = torch.optim.RMSprop([plain], lr=0.1, alpha=0.5)
    centered.grad, plain.grad = torch.tensor([2.0]), torch.tensor([2.0])
    opt_c.step()
    opt_p.step()
    assert round(centered.item(), 4) == 0.8
    assert round(plain.item(), 4) == 0.8586


def test_adagrad_divides_by_the_root_of_all_past_squares():
    """Adagrad adds every g * g to a 'sum' that never decays and steps by lr * g / sqrt(sum), so the steps shrink even when the gradient does not.

    Hint: after the second step the sum is a perfect square.
    """
    p = param([1.0])
    opt = torch.optim.Adagrad([p], lr=0.5)
    for g in (3.0, 4.0):
        p.grad = torch.tensor([g])
        opt.step()
    assert round(p.item(), 4) == 0.1


def test_adadelta_first_step_is_set_by_eps():
    """Adadelta scales g by sqrt(acc_delta + eps) / sqrt(square_avg + eps), where acc_delta, the running mean of past squared updates, starts at zero: the first update is about sqrt(eps) * g / rms(g), whatever g's size (lr only multiplies it, 1.0 by default).

    Hint: rho = 0.75, so square_avg is a quarter of g * g; sqrt(1e-4) = 0.01.
    """
    p = param([1.0, 2.0])
    opt = torch.optim.Adadelta([p], rho=0.75, eps=1e-4)
    p.grad = torch.tensor([2.0, -4.0])
    opt.step()
    assert [round(v, 4) for v in p.tolist()] == [0.98, 2.02]


def test_adamax_keeps_a_decayed_maximum_not_an_average():
    """Adamax replaces Adam's second moment by exp_inf = max(beta2 * exp_inf, |g| + eps): the infinity norm of the decayed past gradients, not their mean square.

    Hint: beta2 = 0.5 halves the old maximum before comparing it with the new |g|.
    """
    p = param([1.0, 2.0])
    opt = torch.optim.Adamax([p], lr=0.5, betas=(0.5, 0.5))
    for g in ([4.0, 4.0], [1.0, 3.0]):
        p.grad = torch.tensor(g)
        opt.step()
    assert opt.state[p]["exp_inf"].tolist() == [2.0, 3.0]


def test_radam_starts_with_plain_momentum_steps():
    """RAdam uses the adaptive denominator only once its variance estimate is trustworthy (rho_t > 5, from step 6 with the default betas); before that it steps by lr * m_hat, Adam's bias-corrected first moment without the division.

    Hint: a constant gradient keeps m_hat equal to g.
    """
    p = param([1.0, 2.0])
    opt = torch.optim.RAdam([p], lr=0.5)
    for _ in range(3):
        p.grad = torch.tensor([2.0, -4.0])
        opt.step()
    assert [round(v, 4) for v in p.tolist()] == [-2.0, 8.0]


def test_rprop_adapts_a_step_size_per_element_from_signs():
    """Rprop moves each element by its own step_size against the sign of g (the size of g is ignored); step_size starts at lr, grows by etaplus = 1.2 while the sign repeats, and halves (etaminus = 0.5) when it flips, skipping the move on that step.

    Hint: the first element's gradient keeps its sign, the second's flips.
    """
    p = param([1.0, 2.0])
    opt = torch.optim.Rprop([p], lr=0.5)
    for g in ([1.0, -3.0], [2.0, 5.0]):
        p.grad = torch.tensor(g)
        opt.step()
    assert [round(v, 4) for v in p.tolist()] == [-0.1, 2.5]
    assert [round(v, 4) for v in opt.state[p]["step_size"].tolist()] == [0.6, 0.25]


def test_foreach_and_fused_do_not_change_the_update():
    """foreach=True (one multi-tensor kernel per op for all parameters), fused=True (one kernel for the whole step) and the default for-loop compute the same update rule; they differ in speed and at most in the rounding of the last bits.

    Hint: SGD with momentum 0.5: the buffer is the first gradient, then 0.5 * buffer + the second gradient.
    """
    positions = []
    for flags in ({"foreach": False}, {"foreach": True}, {"fused": True}):
        p = param([1.0, 2.0])
        opt = torch.optim.SGD([p], lr=0.5, momentum=0.5, **flags)
        for g in ([2.0, -4.0], [1.0, 3.0]):
            p.grad = torch.tensor(g)
            opt.step()
        positions.append(p.tolist())
    assert positions == [[-1.0, 3.5], [-1.0, 3.5], [-1.0, 3.5]]


def test_foreach_and_fused_together_are_refused():
    """Left unset, the implementation is chosen at each step (foreach when every tensor is on a supported accelerator, the for-loop otherwise); foreach=True and fused=True name two different implementations, and asking for both is refused when the optimizer is built.

    Hint: the error names both flags in backticks; match the words that say what is wrong with the pair.
    """
    p = param([1.0])
    with raises(RuntimeError, match="cannot be `True` together"):
        torch.optim.Adam([p], foreach=True, fused=True)
