"""Graph breaks: code Dynamo cannot put in a graph splits it, and fullgraph=True forbids that."""

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


def test_print_breaks_the_graph():
    """print is a side effect Dynamo does not put in a graph: it compiles what comes before, runs print in Python, and compiles the rest separately.

    Hint: one graph before the print, one after.
    """
    recorder = GraphRecorder()
    torch.compile(sin_print_cos, backend=recorder)(torch.zeros(2))
    assert len(recorder.graphs) == 2
    assert calls_of(recorder.graphs[1]) == ["cos"]


def test_item_breaks_the_graph_by_default():
    """With capture_scalar_outputs off (the default), .item() ends the graph: the graph returns the tensor and Python takes it from there.

    Hint: the last op in the graph is the one before .item().
    """
    recorder = GraphRecorder()
    out = torch.compile(item_plus_one, backend=recorder)(torch.ones(2))
    assert out == 3.0
    assert len(recorder.graphs) == 1
    assert calls_of(recorder.graphs[0]) == ["sum"]


def test_capture_scalar_outputs_keeps_item_in_the_graph():
    """torch._dynamo.config.capture_scalar_outputs=True lets .item() become a graph node producing a symbolic number.

    Hint: the graph now calls .item() itself.
    """
    recorder = GraphRecorder()
    with torch._dynamo.config.patch(capture_scalar_outputs=True):
        torch.compile(item_plus_one, backend=recorder)(torch.ones(2))
    assert calls_of(recorder.graphs[0])[:2] == ["sum", "item"]


def test_data_dependent_branch_breaks_the_graph():
    """An `if` on a tensor's value cannot be decided while tracing, so the graph ends at the condition and each branch taken later is compiled on its own.

    Hint: the condition's graph, then the branch taken for positive input, then the other branch.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(branch_on_sum, backend=recorder)
    compiled(torch.ones(2))
    after_first = len(recorder.graphs)
    compiled(-torch.ones(2))
    assert (after_first, len(recorder.graphs)) == (2, 3)


def test_explicit_graph_break():
    """torch._dynamo.graph_break() splits the graph on purpose at that line.

    Hint: the computation still has to be right: (0 + 1) * 2.
    """

    def f(x):
        x = x + 1
        torch._dynamo.graph_break()
        return x * 2

    recorder = GraphRecorder()
    out = torch.compile(f, backend=recorder)(torch.zeros(1))
    assert out.tolist() == [2.0]
    assert len(recorder.graphs) == 2


def test_disabled_function_runs_eagerly():
    """A function decorated with torch.compiler.disable is never traced; calling it from compiled code breaks the graph around the call.

    Hint: x + 1 is traced, eager_helper is not, * 2 is traced.
    """

    def f(x):
        return eager_helper(x + 1) * 2

    recorder = GraphRecorder()
    out = torch.compile(f, backend=recorder)(torch.zeros(1))
    assert out.tolist() == [0.0]
    assert len(recorder.graphs) == 2


def test_fullgraph_turns_a_break_into_an_error():
    """With fullgraph=True a graph break is an error; Dynamo raises its Unsupported exception from torch._dynamo.exc and names the reason.

    Hint: print is neither a torch op nor a Python function Dynamo can inline; the message names what kind of callable it is.
    """
    compiled = torch.compile(sin_print_cos, backend=GraphRecorder(), fullgraph=True)
    with pytest.raises(Exception, match="builtin operator") as info:
        compiled(torch.zeros(2))
    assert info.type is torch._dynamo.exc.Unsupported


def test_fullgraph_rejects_data_dependent_branching():
    """Under fullgraph=True, an `if` on a tensor's value is reported as data-dependent branching.

    Hint: quote the docstring's two-word name for it, with the hyphen and capital letter of a heading.
    """
    compiled = torch.compile(branch_on_sum, backend=GraphRecorder(), fullgraph=True)
    with pytest.raises(torch._dynamo.exc.Unsupported, match="Data-dependent branching"):
        compiled(torch.ones(2))


def test_fullgraph_captures_item():
    """fullgraph=True turns scalar capture on, so .item() becomes part of the single graph instead of an error.

    Hint: one graph, and it calls .item().
    """
    recorder = GraphRecorder()
    out = torch.compile(item_plus_one, backend=recorder, fullgraph=True)(torch.ones(2))
    assert out == 3.0
    assert len(recorder.graphs) == 1
    assert "item" in calls_of(recorder.graphs[0])


def test_explain_counts_graphs_and_breaks():
    """torch._dynamo.explain(fn)(*args) traces fn and reports how many graphs it made, how many breaks, and why.

    Hint: a break always separates two graphs.
    """
    explanation = torch._dynamo.explain(sin_print_cos)(torch.zeros(2))
    assert explanation.graph_count == 2
    assert explanation.graph_break_count == 1
    assert "print" in str(explanation.break_reasons[0].reason)
