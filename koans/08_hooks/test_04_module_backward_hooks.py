"""Module backward hooks: register_full_backward_pre_hook and register_full_backward_hook."""

import pytest
import torch
from torch import nn

from kata import __


class Triple(nn.Module):
    """Multiplies its input by 3."""

    def forward(self, x):
        return x * 3


def test_full_backward_hook_receives_grad_input_and_grad_output():
    """A full backward hook is called as hook(module, grad_input, grad_output): tuples of the gradients with respect to the module's inputs and its outputs.

    Hint: the loss is the sum of the outputs, and each output is 3 times its input.
    """
    seen = []
    m = Triple()
    m.register_full_backward_hook(
        lambda mod, gin, gout: seen.append(([g.tolist() for g in gin], [g.tolist() for g in gout]))
    )
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    m(x).sum().backward()
    assert seen == __


def test_full_backward_hook_can_replace_grad_input():
    """Returning a tuple from a full backward hook replaces grad_input, the gradient passed on to the module's inputs.

    Hint: the hook halves the gradient of 3 that x would have got.
    """
    m = Triple()
    m.register_full_backward_hook(lambda mod, gin, gout: (gin[0] / 2,))
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    m(x).sum().backward()
    assert x.grad.tolist() == __


def test_full_backward_pre_hook_can_replace_grad_output():
    """A full backward pre-hook is called as hook(module, grad_output) before the module's gradients are computed, and returning a tuple replaces grad_output.

    Hint: the module's backward then multiplies the replaced output gradient by 3.
    """
    m = Triple()
    m.register_full_backward_pre_hook(lambda mod, gout: (gout[0] * 10,))
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    m(x).sum().backward()
    assert x.grad.tolist() == __


def test_backward_pre_hook_runs_before_backward_hook():
    """The backward pre-hooks run when the output gradient arrives, and the backward hooks once the input gradient has been computed.

    Hint: the registration order here is not the order of the calls.
    """
    log = []
    m = Triple()
    m.register_full_backward_hook(lambda mod, gin, gout: log.append("hook"))
    m.register_full_backward_pre_hook(lambda mod, gout: log.append("pre"))
    x = torch.tensor([1.0], requires_grad=True)
    m(x).sum().backward()
    assert log == __


def test_grad_input_covers_the_inputs_not_the_parameters():
    """grad_input holds one entry per positional tensor input of forward; the gradients of the module's parameters are not part of it.

    Hint: nn.Linear has a weight and a bias, but forward takes a single input.
    """
    seen = []
    lin = nn.Linear(2, 1)
    lin.register_full_backward_hook(lambda mod, gin, gout: seen.append(len(gin)))
    x = torch.ones(2, requires_grad=True)
    lin(x).sum().backward()
    assert seen == __
