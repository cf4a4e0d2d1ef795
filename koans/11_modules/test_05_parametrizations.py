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
    """The unconstrained tensor that training updates is stored as module.parametrizations.weight.original. At registration it receives the weight's value, passed through right_inverse if the parametrization has one.

    Hint: Symmetric defines forward only.
    """
    linear = symmetric_linear()
    assert linear.parametrizations.weight.original[2, 0].item() == __


def test_parametrization_renames_the_state_dict_key():
    """Parametrizing a weight changes the module's state_dict: the stored tensor now lives in the submodule parametrizations, so its key is the dotted path to original.

    Hint: a module's own entries come before its submodules' entries.
    """
    linear = symmetric_linear()
    assert list(linear.state_dict()) == __


def test_the_class_stays_swapped_while_anything_is_parametrized():
    """The first register_parametrization on a module swaps its class for a generated subclass named "Parametrized" + the class name, so isinstance checks still pass; the plain class comes back only when the last parametrization of the module is removed.

    Hint: two tensors were parametrized, one was set free.
    """
    linear = symmetric_linear()
    parametrize.register_parametrization(linear, "bias", Positive())
    parametrize.remove_parametrizations(linear, "weight")
    assert type(linear).__name__ == __
    assert isinstance(linear, nn.Linear)


def test_assigning_uses_right_inverse():
    """Assigning to a parametrized weight stores right_inverse(value) as the original, so that reading the weight back gives the assigned value.

    Hint: undo Positive's forward.
    """
    linear = nn.Linear(2, 2)
    parametrize.register_parametrization(linear, "weight", Positive())
    linear.weight = torch.full((2, 2), math.e)
    assert torch.allclose(linear.parametrizations.weight.original, __)


def test_remove_parametrizations_chooses_which_value_to_keep():
    """remove_parametrizations turns the weight back into a plain Parameter. With leave_parametrized=True (the default) it keeps the value the weight reads as; with False it keeps the stored original.

    Hint: read [2, 0] of the weight and of the original before removal.
    """
    constrained = symmetric_linear()
    parametrize.remove_parametrizations(constrained, "weight", leave_parametrized=True)
    unconstrained = symmetric_linear()
    parametrize.remove_parametrizations(unconstrained, "weight", leave_parametrized=False)
    assert type(constrained) is nn.Linear
    assert constrained.weight[2, 0].item() == __
    assert unconstrained.weight[2, 0].item() == __
