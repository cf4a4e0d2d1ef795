"""Module forward pre-hooks and forward hooks: reading and replacing inputs and outputs."""

import pytest
import torch
from torch import nn

from kata import __


class Triple(nn.Module):
    """Multiplies its input by 3 and notes each call in an optional log."""

    def __init__(self, log=None):
        super().__init__()
        self.log = log

    def forward(self, x):
        if self.log is not None:
            self.log.append("forward")
        return x * 3


def test_forward_pre_hook_receives_the_positional_inputs_as_a_tuple():
    """A forward pre-hook is called as hook(module, args) before forward, where args is the tuple of positional arguments.

    Hint: the module was called with one positional argument.
    """
    seen = []
    m = Triple()
    m.register_forward_pre_hook(lambda mod, args: seen.append((type(args).__name__, len(args))))
    m(torch.tensor([1.0]))
    assert seen == __


def test_forward_pre_hook_can_replace_the_input():
    """If a forward pre-hook returns something other than None, forward receives that instead; a single value that is not a tuple is wrapped in one.

    Hint: the hook adds 1 before the module triples.
    """
    m = Triple()
    m.register_forward_pre_hook(lambda mod, args: args[0] + 1)
    out = m(torch.tensor([1.0, 2.0]))
    assert out.tolist() == __


def test_forward_hook_sees_inputs_and_output():
    """A forward hook is called as hook(module, args, output) after forward has returned.

    Hint: record what the module computed from 1 and 2.
    """
    seen = []
    m = Triple()
    m.register_forward_hook(lambda mod, args, out: seen.append((args[0].tolist(), out.tolist())))
    m(torch.tensor([1.0, 2.0]))
    assert seen == __


def test_forward_hook_can_replace_the_output():
    """A forward hook that returns a value replaces the module's output with it; this one must make the module's output negative.

    Hint: write the hook's body from the output it receives.
    """
    m = Triple()
    m.register_forward_hook(lambda mod, args, out: __)
    assert m(torch.tensor([1.0, 2.0])).tolist() == [-3.0, -6.0]


def test_pre_hook_forward_and_forward_hook_run_in_order():
    """Calling a module runs its forward pre-hooks, then forward, then its forward hooks.

    Hint: all three write into the same log.
    """
    log = []
    m = Triple(log)
    m.register_forward_hook(lambda mod, args, out: log.append("hook"))
    m.register_forward_pre_hook(lambda mod, args: log.append("pre"))
    m(torch.tensor([1.0]))
    assert log == __


def test_prepend_puts_a_hook_first():
    """Forward hooks run in registration order, unless one is registered with prepend=True, which puts it before those already registered.

    Hint: the hook registered second asked to go first.
    """
    log = []
    m = Triple()
    m.register_forward_hook(lambda mod, args, out: log.append("first"))
    m.register_forward_hook(lambda mod, args, out: log.append("second"), prepend=True)
    m(torch.tensor([1.0]))
    assert log == __


def test_forward_hooks_capture_activations_of_submodules():
    """Forward hooks on submodules fire as each submodule runs, which is the usual way to capture intermediate activations of a model.

    Hint: the named children of a Sequential are "0", "1", ...; each Triple triples its input.
    """
    model = nn.Sequential(Triple(), Triple())
    acts = {}
    for name, child in model.named_children():
        child.register_forward_hook(lambda mod, args, out, name=name: acts.update({name: out.tolist()}))
    model(torch.tensor([1.0]))
    assert acts == __
