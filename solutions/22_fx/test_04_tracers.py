"""Tracers: what symbolic tracing can record, where it stops, and how to steer it."""

import pytest
import torch
import torch.fx as fx
from torch.fx.proxy import TraceError

from kata import __, raises


@fx.wrap
def flip_if_negative(x):
    if x.sum() < 0:
        return -x
    return x


class Inner(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(2, 2)

    def forward(self, x):
        return self.lin(x) * 2


class Outer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = Inner()

    def forward(self, x):
        return self.inner(x)


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.seq = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())

    def forward(self, x):
        return self.seq(x)


def test_user_modules_are_traced_through():
    """The default Tracer keeps a module defined inside torch.nn as one call_module leaf, except the container torch.nn.Sequential, which it traces into like a user-defined module; traced-through modules are inlined and their leaves get dotted targets.

    Hint: ask of each module whether it is torch.nn's own, and if so whether it is a container.
    """
    outer = fx.symbolic_trace(Outer())
    block = fx.symbolic_trace(Block())
    assert [node.target for node in outer.graph.nodes if node.op == "call_module"] == ["inner.lin"]
    assert [node.target for node in block.graph.nodes if node.op == "call_module"] == ["seq.0", "seq.1"]


def test_custom_tracer_keeps_chosen_modules_as_leaves():
    """A Tracer subclass decides by is_leaf_module(module, qualname) which modules become a single call_module node instead of being traced into.

    Hint: the graph must hold one call for the whole container, while other modules are traced as before.
    """

    class ContainerLeafTracer(fx.Tracer):
        def is_leaf_module(self, m, module_qualified_name):
            return isinstance(m, torch.nn.Sequential) or super().is_leaf_module(m, module_qualified_name)

    model = Block()
    graph = ContainerLeafTracer().trace(model)
    calls = [node.target for node in graph.nodes if node.op == "call_module"]
    assert calls == ["seq"]
    other = ContainerLeafTracer().trace(Outer())
    assert [node.target for node in other.nodes if node.op == "call_module"] == ["inner.lin"]


def test_branching_on_a_traced_tensor_raises_trace_error():
    """A Proxy has no value, so an `if` on a traced tensor cannot be decided and tracing raises TraceError, which subclasses one built-in exception so that code catching that built-in also catches tracing failures.

    Hint: the message names what a Proxy cannot be an input to (two words: `if` and `while` are examples); for the base class, look at torch/fx/proxy.py.
    """

    def f(x):
        if x.sum() > 0:
            return x
        return -x

    with raises(TraceError, match="control flow"):
        fx.symbolic_trace(f)
    assert TraceError.__mro__[1] is ValueError


def test_concrete_args_specialize_a_python_branch():
    """concrete_args fixes an argument to a constant while tracing, so a branch on it is decided once and only that branch is recorded; the argument stays a placeholder, and for a bool, None or other basic value (int, float, str, dtype...) the code asserts that the caller passes the traced value.

    Hint: which branch did the trace take? The assertion is a torch._assert, which raises what a failed `assert` raises.
    """

    def f(x, flag):
        return x + 1 if flag else x - 1

    gm = fx.symbolic_trace(f, concrete_args={"flag": True})
    assert gm(torch.tensor([5]), True).tolist() == [6]
    with pytest.raises(Exception) as info:
        gm(torch.tensor([5]), False)
    assert info.type is AssertionError


def test_other_concrete_args_are_baked_in_without_a_check():
    """For a concrete argument that is not a basic value (a function, a module, any other object) FX cannot write an equality check: it warns that it was not able to add an assertion, and the traced value is used whatever the caller passes later.

    Hint: the graph recorded a call of the function that was concrete at trace time.
    """

    def f(x, act):
        return act(x)

    with pytest.warns(UserWarning, match="not able to add assertion"):
        gm = fx.symbolic_trace(f, concrete_args={"act": torch.relu})
    assert gm(torch.tensor([-1.0, 2.0]), torch.neg).tolist() == [0.0, 2.0]


def test_len_of_a_proxy_is_refused():
    """Python's len() must return a real int, which a Proxy does not have, so symbolic tracing refuses len() with a RuntimeError; the message names the function to call at module scope so that len is recorded as a node instead.

    Hint: it is the decorator this file applies to flip_if_negative, called with the builtin's name as a string.
    """

    def f(x):
        return x.view(len(x), -1)

    with raises(RuntimeError, match=r"torch\.fx\.wrap\('len'\)"):
        fx.symbolic_trace(f)


def test_shape_access_is_recorded():
    """Reading x.shape[0] on a Proxy records getattr and getitem call_function nodes, so the size is looked up each time the module runs.

    Hint: symbolic_trace never saw a real tensor, so no size could have been frozen.
    """

    def f(x):
        return x.shape[0] * x

    gm = fx.symbolic_trace(f)
    assert gm(torch.tensor([1, 1, 1])).tolist() == [3, 3, 3]


def test_wrapped_function_becomes_one_call_node():
    """A module-level function decorated with torch.fx.wrap is recorded as one call_function node instead of being traced, so its Python control flow runs at call time, on real values.

    Hint: flip_if_negative's `if` is decided by the tensor the module is called with.
    """

    def f(x):
        return flip_if_negative(x) + 1

    gm = fx.symbolic_trace(f)
    assert [node.op for node in gm.graph.nodes].count("call_function") == 2
    assert gm(torch.tensor([-1.0, -2.0])).tolist() == [2.0, 3.0]
