"""state_dict and load_state_dict: saving, loading, strictness and key surgery."""

import pytest
import torch
from torch import nn

from kata import __, raises


def fixed_linear(value):
    """A Linear(2, 2) whose weight and bias are all `value`."""
    linear = nn.Linear(2, 2)
    nn.init.constant_(linear.weight, value)
    nn.init.constant_(linear.bias, value)
    return linear


def test_state_dict_includes_buffers():
    """A state_dict holds parameters and persistent buffers alike; BatchNorm saves its running statistics and a batch counter next to weight and bias.

    Hint: five entries: two parameters and three buffers.
    """
    bn = nn.BatchNorm1d(4)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]


def test_state_dict_tensors_are_detached_but_share_memory():
    """state_dict() returns detached tensors that share storage with the parameters: they need no grad, yet an in-place change to the module shows through them.

    Hint: a detached tensor does not require grad.
    """
    linear = fixed_linear(1.0)
    sd = linear.state_dict()
    with torch.no_grad():
        linear.weight.fill_(5.0)
    assert sd["weight"].requires_grad == False
    assert sd["weight"][0, 0].item() == 5.0


def test_load_state_dict_copies_values_into_the_existing_parameters():
    """load_state_dict copies the saved values into the module's existing parameters in place; the Parameter objects stay the same.

    Hint: the target was built with 0.0, the source with 3.0.
    """
    target = fixed_linear(0.0)
    weight_before = target.weight
    target.load_state_dict(fixed_linear(3.0).state_dict())
    assert target.weight is weight_before
    assert target.weight.sum().item() == 12.0


def test_strict_loading_rejects_mismatched_keys():
    """By default load_state_dict is strict: keys missing from the checkpoint or unknown to the module raise a RuntimeError listing them.

    Hint: the message lists two kinds of problem keys; the module's own keys are the first kind.
    """
    wrapped = nn.Sequential(nn.Linear(2, 2))
    with raises(RuntimeError, match="Missing key"):
        wrapped.load_state_dict(fixed_linear(1.0).state_dict())


def test_non_strict_loading_reports_missing_and_unexpected_keys():
    """With strict=False, load_state_dict loads what matches and returns a named tuple of missing_keys (the module wanted them) and unexpected_keys (the checkpoint had them).

    Hint: the Sequential wraps the Linear as child '0'.
    """
    wrapped = nn.Sequential(nn.Linear(2, 2))
    result = wrapped.load_state_dict(fixed_linear(1.0).state_dict(), strict=False)
    assert result.missing_keys == ["0.weight", "0.bias"]
    assert result.unexpected_keys == ["weight", "bias"]


def test_strict_false_does_not_forgive_shape_mismatches():
    """strict=False only forgives missing and unexpected keys; a matching key whose tensor has the wrong shape still raises a RuntimeError.

    Hint: the checkpoint's weight is (3, 2), the model's (2, 2); the message names that in two words.
    """
    linear = nn.Linear(2, 2)
    bad = {"weight": torch.zeros(3, 2), "bias": torch.zeros(2)}
    with raises(RuntimeError, match="size mismatch"):
        linear.load_state_dict(bad, strict=False)


def test_renaming_keys_fixes_a_prefix_mismatch():
    """A state_dict is an ordinary ordered dict, so a checkpoint saved from a wrapped model loads into the bare one after stripping the prefix from its keys.

    Hint: the wrapper's keys begin with the attribute name it stored the model under, then a dot.
    """
    wrapper = nn.Module()
    wrapper.module = fixed_linear(2.0)
    sd = wrapper.state_dict()
    renamed = {key.removeprefix("module."): value for key, value in sd.items()}
    bare = fixed_linear(0.0)
    bare.load_state_dict(renamed)
    assert bare.bias.tolist() == [2.0, 2.0]
