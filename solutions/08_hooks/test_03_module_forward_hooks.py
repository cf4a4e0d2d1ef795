"""Module forward pre-hooks and forward hooks: reading and replacing inputs and outputs."""

import pytest
import torch
from torch import nn

from kata import __


class Triple(nn.Module):
    """Multiplies its input by 3 (and by an optional scale) and notes each call in an optional log."""

    def __init__(self, log=None):
        super().__init__()
        self.log = log

    def forward(self, x, scale=1):
        if self.log is not None:
            self.log.append("forward")
        return x * 3 * scale


def test_forward_pre_hook_receives_only_the_positional_inputs():
    """A forward pre-hook is called as hook(module, args) before forward, where args is the tuple of positional arguments; keyword arguments reach it only when it is registered with with_kwargs=True.

    Hint: count the positional arguments of each call.
    """
    seen = []
    m = Triple()
    m.register_forward_pre_hook(lambda mod, args: seen.append(len(args)))
    x = torch.tensor([1.0])
    m(x, scale=2)
    m(x, 2)
    assert seen == [1, 2]


def test_forward_pre_hook_can_replace_the_input():
    """If a forward pre-hook returns something other than None, forward receives that instead; a single value that is not a tuple is wrapped in one.

    Hint: the hook's result is what forward computes with.
    """
    m = Triple()
    m.register_forward_pre_hook(lambda mod, args: args[0] + 1)
    out = m(torch.tensor([1.0, 2.0]))
    assert out.tolist() == [6.0, 9.0]


def test_forward_hook_sees_the_inputs_forward_got():
    """A forward hook is called as hook(module, args, output) after forward has returned, and args are the inputs forward actually received, after any pre-hook replaced them.

    Hint: follow the input through the pre-hook, then through forward.
    """
    seen = []
    m = Triple()
    m.register_forward_pre_hook(lambda mod, args: args[0] + 1)
    m.register_forward_hook(lambda mod, args, out: seen.append((args[0].tolist(), out.tolist())))
    m(torch.tensor([1.0, 2.0]))
    assert seen == [([2.0, 3.0], [6.0, 9.0])]


def test_forward_hook_can_replace_the_output():
    """A forward hook that returns a value replaces the module's output with it; this one must make the module's output negative.

    Hint: write the hook's body from the output it receives.
    """
    m = Triple()
    m.register_forward_hook(lambda mod, args, out: -out)
    assert m(torch.tensor([1.0, 2.0])).tolist() == [-3.0, -6.0]


def test_hooks_run_around_forward_in_registration_order_unless_prepended():
    """Calling a module runs its forward pre-hooks, then forward, then its forward hooks; hooks of one kind run in registration order, except that prepend=True puts a hook before those already registered.

    Hint: sort the three registrations by kind first, then by order within a kind.
    """
    log = []
    m = Triple(log)
    m.register_forward_hook(lambda mod, args, out: log.append("a"))
    m.register_forward_pre_hook(lambda mod, args: log.append("pre"))
    m.register_forward_hook(lambda mod, args, out: log.append("b"), prepend=True)
    m(torch.tensor([1.0]))
    assert log == ["pre", "forward", "b", "a"]


def test_forward_hooks_capture_activations_of_submodules():
    """Forward hooks on submodules fire as each submodule runs, which is the usual way to capture intermediate activations of a model.

    Hint: the named children of a Sequential are "0", "1", ...; each child's input is the previous child's output.
    """
    model = nn.Sequential(Triple(), Triple())
    acts = {}
    for name, child in model.named_children():
        child.register_forward_hook(lambda mod, args, out, name=name: acts.update({name: out.tolist()}))
    model(torch.tensor([1.0]))
    assert acts == {"0": [3.0], "1": [9.0]}
