"""Activations, and the bounds of the standard weight initialisers."""

import math

import torch
from torch import nn

from kata import __


def same_draw(init, shape, bound):
    """Fill one tensor with `init` and another with uniform(-bound, bound) from the same generator state."""
    g = torch.Generator().manual_seed(0)
    a = init(torch.empty(shape), generator=g)
    g.manual_seed(0)
    b = torch.empty(shape).uniform_(-bound, bound, generator=g)
    return torch.allclose(a, b)


def test_relu_passes_gradient_only_where_it_passes_the_input():
    """ReLU computes max(0, x) element-wise; its gradient is 1 where x > 0 and 0 elsewhere, and PyTorch picks 0 at the kink x = 0, where the derivative is undefined.

    Hint: the output and the gradient each have one entry per input.
    """
    x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    out = nn.ReLU()(x)
    out.sum().backward()
    assert out.tolist() == [0.0, 0.0, 2.0]
    assert x.grad.tolist() == [0.0, 0.0, 1.0]


def test_leaky_relu_keeps_a_fraction_of_the_negatives():
    """LeakyReLU multiplies negative inputs by negative_slope (0.01 unless given) and leaves the others alone, so a negative input still gets a gradient.

    Hint: the slope applies to the value and to the gradient alike.
    """
    x = torch.tensor([-10.0, 5.0], requires_grad=True)
    out = nn.LeakyReLU(negative_slope=0.2)(x)
    out.sum().backward()
    assert torch.allclose(out, torch.tensor([-2.0, 5.0]))
    assert torch.allclose(x.grad, torch.tensor([0.2, 1.0]))


def test_gelu_is_x_weighted_by_the_normal_cdf():
    """GELU computes x * Phi(x), where Phi is the standard normal cumulative distribution, 0.5 * (1 + erf(x / sqrt(2))), so no erf table is needed to relate GELU(x) and GELU(-x).

    Hint: Phi(-x) = 1 - Phi(x).
    """
    gelu = nn.GELU()
    x = torch.tensor([1.0, 2.0, 3.0])
    assert torch.allclose(gelu(x) - gelu(-x), torch.tensor([1.0, 2.0, 3.0]), atol=1e-6)


def test_silu_is_x_times_sigmoid():
    """SiLU (also called swish) computes x * sigmoid(x); unlike ReLU it is smooth at 0.

    Hint: use the product rule at x = 0, where sigmoid is one half.
    """
    x = torch.tensor(0.0, requires_grad=True)
    out = nn.SiLU()(x)
    out.backward()
    assert out.item() == 0.0
    assert x.grad.item() == 0.5


def test_softmax_ignores_a_shift_of_all_logits():
    """Softmax(dim) computes exp(x_i) / sum_j exp(x_j) along dim; adding the same constant to every logit cancels between top and bottom.

    Hint: the exp of a log.
    """
    logits = torch.log(torch.tensor([1.0, 3.0])) + 7.0
    out = nn.Softmax(dim=-1)(logits)
    assert torch.allclose(out, torch.tensor([0.25, 0.75]))


def test_calculate_gain_follows_the_negative_slope():
    """nn.init.calculate_gain gives the gain the initialisers use for a nonlinearity, chosen to keep the variance of the activations steady: for leaky_relu with negative_slope a it is sqrt(2 / (1 + a ** 2)), and relu is leaky_relu with a = 0.

    Hint: the slope is the second argument of calculate_gain.
    """
    assert math.isclose(nn.init.calculate_gain("relu"), math.sqrt(2))
    assert math.isclose(nn.init.calculate_gain("leaky_relu", 1.0), 1.0)


def test_kaiming_uniform_bound():
    """kaiming_uniform_ draws from U(-bound, bound) with bound = gain * sqrt(3 / fan_in), where fan_in is a Linear weight's second dimension.

    Hint: take the gain from the koan before.
    """
    assert same_draw(lambda t, generator: nn.init.kaiming_uniform_(t, nonlinearity="relu", generator=generator), (4, 6), 1.0)


def test_xavier_uniform_bound():
    """xavier_uniform_ draws from U(-bound, bound) with bound = gain * sqrt(6 / (fan_in + fan_out)) and gain 1 by default.

    Hint: a Linear-shaped weight is (fan_out, fan_in).
    """
    assert same_draw(nn.init.xavier_uniform_, (10, 14), 0.5)


def test_linear_default_init_bound():
    """nn.Linear initialises its weight with kaiming_uniform_(a=sqrt(5)): the leaky_relu gain for negative_slope sqrt(5), in the kaiming bound with fan_in = in_features.

    Hint: combine the two formulas above; the square roots simplify.
    """
    assert same_draw(lambda t, generator: nn.init.kaiming_uniform_(t, a=math.sqrt(5), generator=generator), (4, 9), 1 / 3)


def test_constant_and_zeros_fill_in_place():
    """nn.init.constant_ and nn.init.zeros_ overwrite a tensor in place (under no_grad, so parameters are fine) and return the same tensor.

    Hint: every output sums the same weighted input.
    """
    linear = nn.Linear(2, 2)
    nn.init.constant_(linear.weight, 0.5)
    nn.init.zeros_(linear.bias)
    assert linear(torch.tensor([[1.0, 3.0]])).tolist() == [[2.0, 2.0]]
