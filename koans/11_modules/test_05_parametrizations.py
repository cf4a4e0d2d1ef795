"""Parametrizations: a weight computed from another tensor every time it is read."""

import math

import torch
import torch.nn.utils.parametrize as parametrize
from torch import nn

from kata import __


class Symmetric(nn.Module):
    """Builds a symmetric matrix from the upper triangle of X."""

    def forward(self, X):
        return X.triu() + X.triu(1).T


class Positive(nn.Module):
    """weight = exp(original), with log as the way back."""

    def forward(self, X):
        return X.exp()

    def right_inverse(self, W):
        return W.log()


def symmetric_linear():
    """A Linear(3, 3) with weight arange(9).reshape(3, 3), then made symmetric."""
    linear = nn.Linear(3, 3)
    with torch.no_grad():
        linear.weight.copy_(torch.arange(9.0).reshape(3, 3))
    parametrize.register_parametrization(linear, "weight", Symmetric())
    return linear


def test_parametrized_weight_is_computed_from_the_original():
    """After register_parametrization, reading module.weight runs the parametrization's forward on the stored tensor.

    Hint: the lower triangle is replaced by the mirror of the upper one.
    """
    linear = symmetric_linear()
    assert linear.weight.tolist() == __


def test_original_tensor_lives_under_parametrizations():
    """The unconstrained tensor that training updates is stored as module.parametrizations.weight.original and keeps its own values.

    Hint: nothing rewrote the stored arange.
    """
    linear = symmetric_linear()
    assert linear.parametrizations.weight.original[2, 0].item() == __


def test_parametrization_renames_the_state_dict_key():
    """Parametrizing a weight changes the module's state_dict: the key 'weight' is replaced by 'parametrizations.weight.original'.

    Hint: bias was not parametrized and comes first now.
    """
    linear = symmetric_linear()
    assert list(linear.state_dict()) == __


def test_register_parametrization_swaps_the_class():
    """register_parametrization changes the module's class to a generated subclass whose name is 'Parametrized' followed by the original class name.

    Hint: it is still an nn.Linear.
    """
    linear = symmetric_linear()
    assert type(linear).__name__ == __
    assert isinstance(linear, nn.Linear)


def test_assigning_uses_right_inverse():
    """Assigning to a parametrized weight stores right_inverse(value) as the original, so that reading the weight back gives the assigned value.

    Hint: Positive keeps the logarithm of the weight.
    """
    linear = nn.Linear(2, 2)
    parametrize.register_parametrization(linear, "weight", Positive())
    linear.weight = torch.full((2, 2), math.e)
    assert torch.allclose(linear.parametrizations.weight.original, __)


def test_remove_parametrizations_can_keep_the_constrained_value():
    """remove_parametrizations(module, name, leave_parametrized=True) turns the current computed weight back into a plain Parameter and restores the original class.

    Hint: the weight is frozen at its symmetric value.
    """
    linear = symmetric_linear()
    parametrize.remove_parametrizations(linear, "weight", leave_parametrized=True)
    assert type(linear) is __
    assert linear.weight[2, 0].item() == __
