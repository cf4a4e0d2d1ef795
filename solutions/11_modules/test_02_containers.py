"""Containers and traversal: Sequential, ModuleList, ModuleDict and the dotted names."""

from collections import OrderedDict

import pytest
import torch
from torch import nn

from kata import __


def make_net():
    """Linear, ReLU, then a nested Sequential of Linear and Tanh."""
    return nn.Sequential(
        nn.Linear(2, 3),
        nn.ReLU(),
        nn.Sequential(nn.Linear(3, 3), nn.Tanh()),
    )


def test_named_parameters_use_dotted_paths():
    """named_parameters() walks submodules recursively and names each parameter by the dotted path of attribute names; Sequential names its children '0', '1', ...

    Hint: only the Linear layers own parameters.
    """
    net = make_net()
    names = [name for name, _ in net.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.0.weight", "2.0.bias"]


def test_named_modules_starts_with_the_module_itself():
    """named_modules() yields the module itself first, under the empty name '', then every descendant depth first.

    Hint: depth first: a child's own children come before the next child.
    """
    net = make_net()
    names = [name for name, _ in net.named_modules()]
    assert names == ["", "0", "1", "2", "2.0", "2.1"]


def test_children_are_only_the_direct_submodules():
    """children() yields only the immediate submodules, while modules() recurses and includes the module it is called on.

    Hint: call each on the module it is called on, not on the whole net.
    """
    net = make_net()
    assert len(list(net.children())) == 3
    assert len(list(net[2].modules())) == 3


def test_recurse_false_keeps_only_own_parameters():
    """parameters(recurse=False) yields only the parameters a module assigned itself, not those of its submodules.

    Hint: go through modules() in order and ask which of them assigned parameters themselves.
    """
    net = make_net()
    assert [len(list(m.parameters(recurse=False))) for m in net.modules()] == [0, 2, 0, 0, 2, 0]


def test_sequential_with_ordered_dict_uses_your_names():
    """Building a Sequential from an OrderedDict names each child by its key, which becomes both an attribute and the prefix in state_dict; integer indexing still counts the children in order.

    Hint: the activation owns nothing to save.
    """
    net = nn.Sequential(OrderedDict(encoder=nn.Linear(2, 2), act=nn.ReLU()))
    assert list(net.state_dict()) == ["encoder.weight", "encoder.bias"]
    assert type(net[1]) is nn.ReLU


def test_sequential_slicing_returns_a_sequential():
    """Indexing a Sequential with an int returns that child; slicing it returns a new Sequential holding the selected children themselves.

    Hint: a slice of one child is still a container around it.
    """
    net = make_net()
    tail = net[1:]
    assert tail(torch.zeros(4, 3)).shape == (4, 3)
    assert type(net[2:][0]) is nn.Sequential
    assert type(net[2][0]) is nn.Linear


def test_module_list_has_no_forward():
    """ModuleList registers its modules but defines no forward of its own, so calling it reaches the placeholder every nn.Module starts with; you loop over the list yourself.

    Hint: see _forward_unimplemented in torch/nn/modules/module.py.
    """
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    with pytest.raises(Exception) as info:
        layers(torch.zeros(1, 2))
    assert info.type is NotImplementedError


def test_module_dict_keeps_insertion_order():
    """ModuleDict is an ordered dict of modules: iteration follows insertion, not sorted order; replacing an entry keeps its place and a new key goes last.

    Hint: follow the keys as a dict would.
    """
    heads = nn.ModuleDict({"b": nn.Linear(1, 1), "a": nn.Linear(1, 1)})
    heads["b"] = nn.Linear(1, 2)
    heads.update({"c": nn.Linear(1, 1)})
    assert list(heads) == ["b", "a", "c"]


def test_tied_weights_are_counted_once_but_saved_under_each_name():
    """parameters() removes duplicates: a tensor reachable under two names is yielded once, which is what weight tying relies on; state_dict keeps one entry per name.

    Hint: the two Linear layers share one weight and keep their own biases.
    """
    first, second = nn.Linear(2, 2), nn.Linear(2, 2)
    second.weight = first.weight
    net = nn.Sequential(first, second)
    assert len(list(net.parameters())) == 3
    assert len(net.state_dict()) == 4


def test_get_submodule_follows_a_dotted_path():
    """get_submodule and get_parameter take the same dotted paths that named_modules and named_parameters print.

    Hint: each dot steps one level down.
    """
    net = make_net()
    assert type(net.get_submodule("2.1")) is nn.Tanh
    assert net.get_parameter("2.0.bias").shape == (3,)
