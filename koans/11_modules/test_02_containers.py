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

    Hint: ReLU and Tanh own no parameters.
    """
    net = make_net()
    names = [name for name, _ in net.named_parameters()]
    assert names == __


def test_named_modules_starts_with_the_module_itself():
    """named_modules() yields the module itself first, under the empty name '', then every descendant depth first.

    Hint: six modules in all, counting the outer Sequential.
    """
    net = make_net()
    names = [name for name, _ in net.named_modules()]
    assert names == __


def test_children_are_only_the_direct_submodules():
    """children() yields only the immediate submodules, while modules() recurses and includes the module itself.

    Hint: the nested Sequential counts as one child.
    """
    net = make_net()
    assert len(list(net.children())) == __
    assert len(list(net.modules())) == __


def test_recurse_false_keeps_only_own_parameters():
    """named_parameters(recurse=False) yields only the parameters the module assigned itself, not those of its submodules.

    Hint: a Sequential assigns no parameters of its own.
    """
    net = make_net()
    assert list(net.named_parameters(recurse=False)) == __


def test_sequential_with_ordered_dict_uses_your_names():
    """Building a Sequential from an OrderedDict names each child by its key, which becomes both an attribute and the prefix in state_dict.

    Hint: the keys replace '0' and '1'.
    """
    net = nn.Sequential(OrderedDict(encoder=nn.Linear(2, 2), act=nn.ReLU()))
    assert list(net.state_dict()) == __
    assert type(net.encoder) is __


def test_sequential_slicing_returns_a_sequential():
    """Indexing a Sequential with an int returns that child; slicing it returns a new Sequential of the selected children.

    Hint: the slice keeps the first two layers.
    """
    net = make_net()
    head = net[0:2]
    assert type(head) is __
    assert head(torch.zeros(4, 2)).shape == __


def test_module_list_has_no_forward():
    """ModuleList registers its modules but has no forward of its own: calling it raises NotImplementedError, and you loop over it yourself.

    Hint: which exception does an unimplemented method raise?
    """
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    with pytest.raises(Exception) as info:
        layers(torch.zeros(1, 2))
    assert type(info.value) is __


def test_module_dict_keeps_insertion_order():
    """ModuleDict is an ordered dict of modules: iteration and state_dict keys follow the order in which the entries were inserted, not sorted order.

    Hint: 'b' went in first.
    """
    heads = nn.ModuleDict({"b": nn.Linear(1, 1), "a": nn.Linear(1, 1)})
    assert list(heads.state_dict()) == __


def test_shared_module_parameters_are_counted_once():
    """parameters() removes duplicates: a module reused twice in a Sequential contributes its parameters once, which is what weight tying relies on.

    Hint: one Linear, used twice.
    """
    shared = nn.Linear(2, 2)
    net = nn.Sequential(shared, shared)
    assert len(list(net.parameters())) == __


def test_get_submodule_follows_a_dotted_path():
    """get_submodule takes the same dotted path that named_modules prints and returns that descendant.

    Hint: child '2' is a Sequential; take its child '1'.
    """
    net = make_net()
    assert type(net.get_submodule("2.1")) is __
