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


def test_relu_zeroes_the_negatives():
    """ReLU computes max(0, x) element-wise.

    Hint: zero stays zero.
    """
    assert nn.ReLU()(torch.tensor([-1.0, 0.0, 2.0])).tolist() == __


def test_leaky_relu_default_slope():
    """LeakyReLU multiplies negative inputs by negative_slope, which defaults to 0.01.

    Hint: -10 times the slope.
    """
    out = nn.LeakyReLU()(torch.tensor([-10.0]))
    assert math.isclose(out.item(), __, abs_tol=1e-6)


def test_gelu_weights_x_by_the_normal_cdf():
    """GELU computes x * Phi(x), where Phi is the standard normal cumulative distribution, 0.5 * (1 + erf(x / sqrt(2))).

    Hint: Phi(0) is one half; what is 0 times it?
    """
    out = nn.GELU()(torch.tensor([0.0, 1.0]))
    assert out[0].item() == __
    assert math.isclose(out[1].item(), 0.5 * (1 + math.erf(__ / math.sqrt(2))), abs_tol=1e-6)


def test_silu_is_x_times_sigmoid():
    """SiLU (also called swish) computes x * sigmoid(x).

    Hint: sigmoid(x) = 1 / (1 + exp(-x)).
    """
    out = nn.SiLU()(torch.tensor(2.0))
    assert math.isclose(out.item(), __, abs_tol=1e-6)


def test_softmax_normalises_along_dim():
    """Softmax(dim) makes the values along dim sum to 1; equal logits get equal shares.

    Hint: dim=0 runs down the two rows.
    """
    out = nn.Softmax(dim=0)(torch.zeros(2, 4))
    assert out[0, 0].item() == __


def test_calculate_gain_for_relu():
    """nn.init.calculate_gain gives the gain the initialisers use for a nonlinearity: 1 for linear, sqrt(2) for ReLU, 5/3 for tanh.

    Hint: ReLU discards half of the signal's variance.
    """
    assert math.isclose(nn.init.calculate_gain("relu"), __)


def test_kaiming_uniform_bound():
    """kaiming_uniform_ draws from U(-bound, bound) with bound = gain * sqrt(3 / fan_in), where fan_in is a Linear weight's second dimension.

    Hint: the ReLU gain is sqrt(2), and fan_in is 6.
    """
    assert same_draw(lambda t, generator: nn.init.kaiming_uniform_(t, nonlinearity="relu", generator=generator), (4, 6), __)


def test_xavier_uniform_bound():
    """xavier_uniform_ draws from U(-bound, bound) with bound = gain * sqrt(6 / (fan_in + fan_out)) and gain 1 by default.

    Hint: fan_out is 10 and fan_in is 14.
    """
    assert same_draw(nn.init.xavier_uniform_, (10, 14), __)


def test_linear_default_init_bound():
    """nn.Linear initialises its weight with kaiming_uniform_(a=sqrt(5)), which works out to U(-1 / sqrt(in_features), 1 / sqrt(in_features)).

    Hint: in_features is 9.
    """
    assert same_draw(lambda t, generator: nn.init.kaiming_uniform_(t, a=math.sqrt(5), generator=generator), (4, 9), __)


def test_constant_and_zeros_fill_in_place():
    """nn.init.constant_ and nn.init.zeros_ overwrite a tensor in place (under no_grad, so parameters are fine) and return the same tensor.

    Hint: the bias is zeroed, the weight set to 0.5.
    """
    linear = nn.Linear(2, 2)
    nn.init.constant_(linear.weight, 0.5)
    nn.init.zeros_(linear.bias)
    assert linear(torch.tensor([[1.0, 3.0]])).tolist() == __
