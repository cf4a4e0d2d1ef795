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
    """A state_dict holds parameters and persistent buffers alike; BatchNorm keeps its running statistics and a count of the batches it has seen as buffers next to its affine weight and bias.

    Hint: parameters first, then buffers, each in the order __init__ registers them; the names are BatchNorm's attribute names.
    """
    bn = nn.BatchNorm1d(4)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]


def test_state_dict_tensors_share_memory_with_the_parameters():
    """state_dict() returns detached tensors that share storage with the parameters: it is a view of the module's current tensors, not a copy. An in-place change to a parameter shows through it; replacing the parameter object does not.

    Hint: follow which storage sd["weight"] points at after each of the two changes.
    """
    linear = fixed_linear(1.0)
    sd = linear.state_dict()
    with torch.no_grad():
        linear.weight.fill_(5.0)
    linear.weight = nn.Parameter(torch.zeros(2, 2))
    assert sd["weight"].sum().item() == 20.0


def test_load_state_dict_copies_values_into_the_existing_parameters():
    """load_state_dict copies the saved values into the module's existing parameters in place; the Parameter objects stay the same.

    Hint: the values come from the source; the weight has four elements.
    """
    target = fixed_linear(0.0)
    weight_before = target.weight
    target.load_state_dict(fixed_linear(3.0).state_dict())
    assert target.weight is weight_before
    assert target.weight.sum().item() == 12.0


def test_strict_loading_rejects_mismatched_keys():
    """By default load_state_dict is strict: it raises a RuntimeError that lists, each under its own heading, the keys the module expects and the checkpoint lacks ("Missing key(s) in state_dict: ...") and the keys of the checkpoint the module does not know.

    Hint: the keys of a module inside a Sequential begin with its index; decide which heading they fall under here and write that line's start up to the first key.
    """
    bare = nn.Linear(2, 2)
    with raises(RuntimeError, match=r'Unexpected key\(s\) in state_dict: "0\.weight"'):
        bare.load_state_dict(nn.Sequential(fixed_linear(1.0)).state_dict())


def test_non_strict_loading_reports_missing_and_unexpected_keys():
    """With strict=False, load_state_dict loads what matches and returns a named tuple of missing_keys (the module wanted them) and unexpected_keys (the checkpoint had them).

    Hint: here the checkpoint is the bare one.
    """
    wrapped = nn.Sequential(nn.Linear(2, 2))
    result = wrapped.load_state_dict(fixed_linear(1.0).state_dict(), strict=False)
    assert result.missing_keys == ["0.weight", "0.bias"]
    assert result.unexpected_keys == ["weight", "bias"]


def test_strict_false_does_not_forgive_shape_mismatches():
    """strict=False only forgives missing and unexpected keys; a key both sides have whose tensor has another shape still raises a RuntimeError, which names each such key ("size mismatch for <key>").

    Hint: a Linear's weight has shape (out_features, in_features), its bias (out_features,).
    """
    linear = nn.Linear(2, 2)
    with raises(RuntimeError, match="size mismatch for weight"):
        linear.load_state_dict(nn.Linear(3, 2).state_dict(), strict=False)


def test_renaming_keys_fixes_a_prefix_mismatch():
    """A state_dict is an ordinary ordered dict whose keys are dotted attribute paths from the module it was called on, so a checkpoint of a model nested inside others loads into the bare model once that leading path is stripped from every key.

    Hint: write the path from wrapper down to the Linear.
    """
    wrapper = nn.Module()
    wrapper.net = nn.Sequential(fixed_linear(2.0))
    sd = wrapper.state_dict()
    renamed = {key.removeprefix("net.0."): value for key, value in sd.items()}
    bare = fixed_linear(0.0)
    bare.load_state_dict(renamed)
    assert bare.bias.tolist() == [2.0, 2.0]
