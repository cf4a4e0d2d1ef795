"""Registration: how nn.Module notices parameters, buffers and submodules."""

import pytest
import torch
from torch import nn

from kata import __, raises


class Scaler(nn.Module):
    """A module with one parameter, two buffers and one submodule."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(3))
        self.register_buffer("count", torch.zeros((), dtype=torch.long))
        self.register_buffer("cache", torch.zeros(3), persistent=False)
        self.inner = nn.Linear(3, 3)


def test_assigning_a_parameter_registers_it():
    """Assigning an nn.Parameter to a module attribute stores it in the module's _parameters dict, under the attribute's name.

    Hint: what does nn.Linear assign in its __init__?
    """
    linear = nn.Linear(2, 3)
    assert list(linear._parameters) == ["weight", "bias"]


def test_submodules_live_in_modules_not_parameters():
    """A module's own _parameters holds only the parameters it assigned itself; a submodule goes into _modules and keeps its own parameters.

    Hint: Scaler assigns one Parameter directly and one Linear.
    """
    m = Scaler()
    assert list(m._parameters) == ["scale"]
    assert list(m._modules) == ["inner"]


def test_register_buffer_stores_a_tensor_that_is_not_a_parameter():
    """register_buffer puts a tensor into _buffers: it moves with the module but the optimizer never sees it, because parameters() skips buffers.

    Hint: Scaler registers two buffers, persistent or not.
    """
    m = Scaler()
    assert list(m._buffers) == ["count", "cache"]
    assert len(list(m.parameters())) == 3


def test_non_persistent_buffer_is_left_out_of_state_dict():
    """A buffer registered with persistent=False is still a buffer, but state_dict() does not save it.

    Hint: the state_dict holds the parameters, then the persistent buffers, then the submodules' entries.
    """
    m = Scaler()
    assert list(m.state_dict()) == ["scale", "count", "inner.weight", "inner.bias"]


def test_plain_tensor_attribute_is_invisible_to_the_module():
    """Assigning a plain tensor (not a Parameter, not registered as a buffer) just sets a Python attribute: state_dict, parameters and buffers ignore it.

    Hint: the module below registers nothing.
    """

    class Plain(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.ones(2)

    m = Plain()
    assert len(m.state_dict()) == 0


def test_plain_list_hides_submodules():
    """Modules kept in a plain Python list are not registered: their parameters do not appear in parameters(), so an optimizer would never update them.

    Hint: a plain list is not a Module; nn.ModuleList is one.
    """

    class Hidden(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2), nn.Linear(2, 2)]

    class Visible(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])

    assert len(list(Hidden().parameters())) == 0
    assert len(list(Visible().parameters())) == 4


def test_register_parameter_wants_a_parameter():
    """register_parameter refuses a plain tensor with a TypeError: it only accepts an nn.Parameter or None.

    Hint: wrap the tensor in nn.Parameter to make it work.
    """
    m = nn.Module()
    with pytest.raises(Exception) as info:
        m.register_parameter("w", torch.zeros(2))
    assert type(info.value) is TypeError


def test_parameter_slot_can_hold_none():
    """register_parameter(name, None) reserves the name in _parameters, but named_parameters() skips entries that are None.

    Hint: this is how nn.Linear(bias=False) keeps a 'bias' attribute.
    """
    linear = nn.Linear(2, 2, bias=False)
    assert linear.bias is None
    assert "bias" in linear._parameters
    assert [name for name, _ in linear.named_parameters()] == ["weight"]


def test_register_buffer_refuses_a_taken_name():
    """register_buffer raises KeyError when the module already has an attribute of that name.

    Hint: 'scale' is taken by the parameter; the message says so in two words after its name.
    """
    m = Scaler()
    with raises(KeyError, match="already exists"):
        m.register_buffer("scale", torch.zeros(3))
