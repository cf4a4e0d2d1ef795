"""Graph breaks: code Dynamo cannot put in a graph splits it, and fullgraph=True forbids that."""

import operator

import pytest
import torch
import torch._dynamo

from kata import __


@pytest.fixture(autouse=True)
def fresh_dynamo():
    """Every koan starts and ends with an empty compile cache, so order does not matter."""
    torch.compiler.reset()
    yield
    torch.compiler.reset()


class GraphRecorder:
    """A backend: keeps every GraphModule Dynamo hands it and runs it unchanged."""

    def __init__(self):
        self.graphs = []

    def __call__(self, gm, example_inputs):
        self.graphs.append(gm)
        return gm.forward


def calls_of(gm):
    return [node.target for node in gm.graph.nodes if node.op.startswith("call")]


def sin_print_cos(x):
    y = x.sin()
    print("between the graphs")
    return y.cos()


def item_plus_one(x):
    return x.sum().item() + 1


def branch_on_sum(x):
    if x.sum() > 0:
        return x + 1
    return x - 1


@torch.compiler.disable
def eager_helper(x):
    return x - 1


def two_prints(x):
    x = x + 1
    print("first")
    x = x * 2
    print("second")
    return x - 1


def test_print_breaks_the_graph():
    """print is a side effect Dynamo does not put in a graph: it compiles what comes before, runs print in Python, and compiles the rest separately.

    Hint: which ops of sin_print_cos come after the print?
    """
    recorder = GraphRecorder()
    torch.compile(sin_print_cos, backend=recorder)(torch.zeros(2))
    assert len(recorder.graphs) == __
    assert calls_of(recorder.graphs[1]) == __


def test_capture_scalar_outputs_decides_whether_item_breaks_the_graph():
    """With capture_scalar_outputs off (the default), .item() ends the graph: the graph returns the tensor and Python takes the number from there. With torch._dynamo.config.capture_scalar_outputs=True, .item() becomes a graph node producing a symbolic number, and the graph goes on past it.

    Hint: for each setting, which of sum, item and the + 1 can the graph hold?
    """
    first_calls = []
    for capture in (False, True):
        torch.compiler.reset()
        recorder = GraphRecorder()
        with torch._dynamo.config.patch(capture_scalar_outputs=capture):
            out = torch.compile(item_plus_one, backend=recorder)(torch.ones(2))
        assert out == 3.0
        first_calls.append(calls_of(recorder.graphs[0])[:3])
    assert first_calls == __


def test_data_dependent_branch_breaks_the_graph():
    """An `if` on a tensor's value cannot be decided while tracing, so the graph ends at the condition; the code after it is compiled on its own the first time a call takes that branch.

    Hint: the first call compiles the condition and one branch; does the second call find the other branch compiled?
    """
    recorder = GraphRecorder()
    compiled = torch.compile(branch_on_sum, backend=recorder)
    compiled(torch.ones(2))
    after_first = len(recorder.graphs)
    compiled(-torch.ones(2))
    assert (after_first, len(recorder.graphs)) == __


def test_explicit_breaks_and_disabled_functions_split_the_graph():
    """torch._dynamo.graph_break() splits the graph on purpose at that line; a function decorated with torch.compiler.disable is never traced, so calling it from compiled code breaks the graph around the call. Either way the result is the eager one.

    Hint: list the traced stretches of f between the break points; each non-empty one is a graph.
    """

    def f(x):
        x = x + 1
        torch._dynamo.graph_break()
        x = eager_helper(x * 2)
        return x * 3

    recorder = GraphRecorder()
    out = torch.compile(f, backend=recorder)(torch.zeros(1))
    assert out.tolist() == __
    assert len(recorder.graphs) == __


def test_fullgraph_turns_a_break_into_an_error():
    """With fullgraph=True a graph break is an error: whatever the reason for the break, Dynamo raises the same exception class from torch._dynamo.exc (its message wording changes between releases, so code should not depend on it).

    Hint: the class is named for what Dynamo found; it is a RuntimeError subclass.
    """
    errors = []
    for fn in (sin_print_cos, branch_on_sum):
        torch.compiler.reset()
        with pytest.raises(RuntimeError) as info:
            torch.compile(fn, backend=GraphRecorder(), fullgraph=True)(torch.ones(2))
        errors.append(info.type)
    assert errors == [__, __]


def test_fullgraph_captures_item():
    """Recent releases turn scalar capture on under fullgraph=True (older 2.x releases raised Unsupported here instead), so .item() becomes part of the single graph instead of an error.

    Hint: does anything in item_plus_one still force a break?
    """
    recorder = GraphRecorder()
    out = torch.compile(item_plus_one, backend=recorder, fullgraph=True)(torch.ones(2))
    assert out == 3.0
    assert len(recorder.graphs) == __
    assert "item" in calls_of(recorder.graphs[0])


def test_explain_counts_graphs_and_breaks():
    """torch._dynamo.explain(fn)(*args) traces fn without running a backend and reports how many graphs it made, how many breaks, and one break_reasons entry per break, each naming what caused it.

    Hint: each print separates the code before it from the code after it.
    """
    explanation = torch._dynamo.explain(two_prints)(torch.zeros(2))
    assert (explanation.graph_count, explanation.graph_break_count) == __
    assert all("print" in str(entry.reason) for entry in explanation.break_reasons)
