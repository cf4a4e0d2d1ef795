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

    Hint: the loss is the plain sum of the outputs; then apply forward's derivative.
    """
    seen = []
    m = Triple()
    m.register_full_backward_hook(
        lambda mod, gin, gout: seen.append(([g.tolist() for g in gin], [g.tolist() for g in gout]))
    )
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    m(x).sum().backward()
    assert seen == [([[3.0, 3.0]], [[1.0, 1.0]])]


def test_full_backward_hook_can_replace_grad_input():
    """Returning a tuple from a full backward hook replaces grad_input, the gradient passed on to the module's inputs.

    Hint: x receives the hook's result, not the gradient the module computed.
    """
    m = Triple()
    m.register_full_backward_hook(lambda mod, gin, gout: (gin[0] / 2,))
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    m(x).sum().backward()
    assert x.grad.tolist() == [1.5, 1.5]


def test_backward_pre_hook_replaces_grad_output_before_the_hook_sees_it():
    """A full backward pre-hook is called as hook(module, grad_output) when the output gradient arrives, before the module's gradients are computed; returning a tuple replaces grad_output, and the backward hook that runs afterwards sees the replaced grad_output and the grad_input computed from it.

    Hint: the registration order is not the order of the calls; follow the gradient through the pre-hook first.
    """
    seen = []
    m = Triple()
    m.register_full_backward_hook(lambda mod, gin, gout: seen.append((gin[0].tolist(), gout[0].tolist())))
    m.register_full_backward_pre_hook(lambda mod, gout: (gout[0] * 10,))
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    m(x).sum().backward()
    assert seen == [([30.0, 30.0], [10.0, 10.0])]


def test_module_backward_hooks_wrap_the_module_in_identity_nodes():
    """Module backward hooks are built on node hooks: once one is registered, calling the module passes its inputs and its outputs through an identity autograd Function, BackwardHookFunction, whose nodes carry the hooks.

    Hint: read the output's graph from the top: wrapper, the module's own op, wrapper; a Function's node is named after the class plus "Backward".
    """
    m = Triple()
    m.register_full_backward_hook(lambda mod, gin, gout: None)
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    node = m(x).grad_fn
    chain = []
    while node is not None and node.next_functions:
        chain.append(node.name())
        node = node.next_functions[0][0]
    assert chain == ["BackwardHookFunctionBackward", "MulBackward0", "BackwardHookFunctionBackward"]


def test_grad_input_has_one_slot_per_positional_argument():
    """grad_input holds one entry per positional argument of forward (None for one that is not a tensor that requires grad); keyword arguments and the module's parameters are not part of it.

    Hint: look at how each argument was passed in the call.
    """

    class ScaleShift(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.ones(2))

        def forward(self, x, factor, shift=None):
            return x * self.w * factor + shift

    seen = []
    m = ScaleShift()
    m.register_full_backward_hook(lambda mod, gin, gout: seen.append([None if g is None else g.tolist() for g in gin]))
    x = torch.ones(2, requires_grad=True)
    shift = torch.zeros(2, requires_grad=True)
    m(x, 3.0, shift=shift).sum().backward()
    assert seen == [[[3.0, 3.0], None]]
