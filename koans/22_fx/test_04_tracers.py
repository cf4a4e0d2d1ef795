"""Tracers: what symbolic tracing can record, where it stops, and how to steer it."""

import pytest
import torch
import torch.fx as fx
from torch.fx.proxy import TraceError

from kata import __


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
    """The default Tracer keeps torch.nn's own modules as call_module leaves but traces into user-defined modules, inlining their code under dotted targets.

    Hint: Inner is yours, Linear is torch's.
    """
    gm = fx.symbolic_trace(Outer())
    calls = [node.target for node in gm.graph.nodes if node.op == "call_module"]
    assert calls == __


def test_custom_tracer_keeps_chosen_modules_as_leaves():
    """A Tracer subclass decides by is_leaf_module(module, qualname) which modules become a single call_module node instead of being traced into.

    Hint: the graph must hold one call to `seq`, not its two children, while other modules are traced as before.
    """

    class SequentialLeafTracer(fx.Tracer):
        def is_leaf_module(self, m, module_qualified_name):
            return isinstance(m, __) or super().is_leaf_module(m, module_qualified_name)

    model = Block()
    graph = SequentialLeafTracer().trace(model)
    calls = [node.target for node in graph.nodes if node.op == "call_module"]
    assert calls == ["seq"]
    other = SequentialLeafTracer().trace(Outer())
    assert [node.target for node in other.nodes if node.op == "call_module"] == ["inner.lin"]


def test_data_dependent_control_flow_cannot_be_traced():
    """A Proxy has no value, so an `if` on a traced tensor cannot be decided and tracing raises TraceError.

    Hint: an `if` or a `while` is an example of what the message names: two words for statements that choose what runs next.
    """

    def f(x):
        if x.sum() > 0:
            return x
        return -x

    with pytest.raises(TraceError, match=__):
        fx.symbolic_trace(f)


def test_trace_error_is_a_value_error():
    """TraceError derives directly from one built-in exception, so code catching that built-in also catches tracing failures.

    Hint: it is about a bad value, not a bad type.
    """
    assert TraceError.__bases__ == (__,)


def test_concrete_args_specialize_a_python_branch():
    """concrete_args fixes an argument to a constant while tracing, so a branch on it is decided once and only that branch is recorded.

    Hint: flag is True, so the x + 1 branch is recorded; the other branch is gone.
    """

    def f(x, flag):
        return x + 1 if flag else x - 1

    gm = fx.symbolic_trace(f, concrete_args={"flag": True})
    assert gm(torch.tensor([5]), True).tolist() == __


def test_concrete_args_are_guarded_by_an_assert():
    """The traced code checks that a specialized argument still has its traced value and fails with an assertion otherwise.

    Hint: torch._assert raises the same class as a failed `assert`.
    """

    def f(x, flag):
        return x + 1 if flag else x - 1

    gm = fx.symbolic_trace(f, concrete_args={"flag": True})
    with pytest.raises(Exception, match="specialized") as info:
        gm(torch.tensor([5]), False)
    assert info.type is __


def test_len_of_a_proxy_is_refused():
    """Calling Python's len() on a Proxy is refused with a RuntimeError that suggests torch.fx.wrap('len').

    Hint: the message names the builtin and says that symbolic tracing cannot handle it by default.
    """

    def f(x):
        return x.view(len(x), -1)

    with pytest.raises(RuntimeError, match=__):
        fx.symbolic_trace(f)


def test_shape_access_is_recorded():
    """Reading x.shape[0] on a Proxy records getattr and getitem call_function nodes, so the size is looked up when the module runs.

    Hint: the traced module is run with a 3-element tensor, not the one it was traced with.
    """

    def f(x):
        return x.shape[0] * x

    gm = fx.symbolic_trace(f)
    assert gm(torch.tensor([1, 1, 1])).tolist() == __


def test_wrapped_function_becomes_one_call_node():
    """A module-level function decorated with torch.fx.wrap is recorded as one call_function node instead of being traced, so its Python control flow runs at call time.

    Hint: the sum of [-1, -2] is negative.
    """

    def f(x):
        return flip_if_negative(x) + 1

    gm = fx.symbolic_trace(f)
    assert [node.op for node in gm.graph.nodes].count("call_function") == __
    assert gm(torch.tensor([-1.0, -2.0])).tolist() == __
