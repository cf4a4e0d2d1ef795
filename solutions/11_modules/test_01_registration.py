"""Registration: how nn.Module notices parameters, buffers and submodules."""

import pytest
import torch
from torch import nn

from kata import __


class Scaler(nn.Module):
    """A module with one parameter, two buffers and one submodule."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(3))
        self.register_buffer("count", torch.zeros((), dtype=torch.long))
        self.register_buffer("cache", torch.zeros(3), persistent=False)
        self.inner = nn.Linear(3, 3)


def test_assigning_a_parameter_registers_it():
    """Assigning an nn.Parameter to a module attribute stores it in the module's _parameters dict under the attribute's name; assigning a new Parameter to a name already there replaces the entry in place, as a dict does.

    Hint: a dict keeps a key where it was first inserted.
    """

    class Two(nn.Module):
        def __init__(self):
            super().__init__()
            self.second = nn.Parameter(torch.zeros(1))
            self.first = nn.Parameter(torch.zeros(1))
            self.second = nn.Parameter(torch.ones(2))

    assert list(Two()._parameters) == ["second", "first"]


def test_submodules_live_in_modules_not_parameters():
    """A module's own _parameters holds only the parameters it assigned itself; a submodule goes into _modules and keeps its own parameters.

    Hint: _parameters does not recurse.
    """
    m = Scaler()
    assert list(m._parameters) == ["scale"]
    assert list(m._modules) == ["inner"]


def test_register_buffer_stores_a_tensor_that_is_not_a_parameter():
    """register_buffer puts a tensor into _buffers, persistent or not: it moves with the module but the optimizer never sees it, because parameters() skips buffers.

    Hint: parameters() recurses into submodules.
    """
    m = Scaler()
    assert list(m._buffers) == ["count", "cache"]
    assert len(list(m.parameters())) == 3


def test_non_persistent_buffer_is_left_out_of_state_dict():
    """A buffer registered with persistent=False is still a buffer, but state_dict() does not save it.

    Hint: state_dict lists the module's own parameters, then its own saved buffers, then each submodule's entries under the submodule's name and a dot.
    """
    m = Scaler()
    assert list(m.state_dict()) == ["scale", "count", "inner.weight", "inner.bias"]


def test_plain_tensor_attribute_is_invisible_to_the_module():
    """Assigning a plain tensor (not a Parameter, not registered as a buffer) just sets a Python attribute: state_dict, parameters, buffers and the conversions such as double() all pass it by.

    Hint: only one of the two tensors below is registered.
    """

    class Plain(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.ones(2)
            self.shift = nn.Parameter(torch.zeros(2))

    m = Plain().double()
    assert list(m.state_dict()) == ["shift"]
    assert m.weight.dtype == torch.float32
    assert m.shift.dtype == torch.float64


def test_plain_list_hides_submodules():
    """Modules kept in a plain Python list are not registered: their parameters do not appear in parameters(), so an optimizer would never update them. nn.ModuleList registers each entry.

    Hint: count weights and biases of the registered modules, and the modules' own parameters.
    """

    class Hidden(nn.Module):
        def __init__(self):
            super().__init__()
            self.gain = nn.Parameter(torch.ones(2))
            self.layers = [nn.Linear(2, 2), nn.Linear(2, 2)]

    class Visible(nn.Module):
        def __init__(self):
            super().__init__()
            self.gain = nn.Parameter(torch.ones(2))
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])

    assert len(list(Hidden().parameters())) == 1
    assert len(list(Visible().parameters())) == 5


def test_a_parameter_name_refuses_a_plain_tensor():
    """Once a name holds a parameter, Module.__setattr__ guards it: only an nn.Parameter or None may be assigned to it, and anything else is refused rather than quietly stored as a plain attribute.

    Hint: the check is on the kind of object assigned; see __setattr__ in torch/nn/modules/module.py.
    """
    linear = nn.Linear(2, 2)
    with pytest.raises(Exception) as info:
        linear.weight = torch.zeros(2, 2)
    assert info.type is TypeError


def test_parameter_slot_can_hold_none():
    """register_parameter(name, None) reserves the name in _parameters, so the attribute reads as None, but the iterators (named_parameters, parameters, state_dict) skip entries that are None.

    Hint: this is how nn.Linear(bias=False) still has a bias attribute.
    """
    linear = nn.Linear(2, 2, bias=False)
    assert list(linear._parameters) == ["weight", "bias"]
    assert list(linear.state_dict()) == ["weight"]


def test_register_buffer_refuses_a_name_already_in_use():
    """register_buffer raises KeyError for a name the module already uses for anything other than a buffer (a parameter, a submodule, any attribute); registering an existing buffer's name again replaces that buffer.

    Hint: every nn.Module has a few attributes of its own from nn.Module.__init__.
    """
    m = Scaler()
    accepted = []
    for name in ["count", "scale", "training", "extra"]:
        try:
            m.register_buffer(name, torch.zeros(1))
            accepted.append(name)
        except KeyError:
            pass
    assert accepted == ["count", "extra"]
