"""torch.compile backends: Dynamo captures FX graphs and hands each one to a backend function."""

import operator

import pytest
import torch

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
        self.inputs = []

    def __call__(self, gm, example_inputs):
        self.graphs.append(gm)
        self.inputs.append(example_inputs)
        return gm.forward


def sin_plus_cos(x):
    return torch.sin(x) + x.cos()


class TinyNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(2, 2)

    def forward(self, x):
        return self.lin(x).relu()


def test_compile_is_lazy():
    """torch.compile only wraps the function; Dynamo traces it at the first call, when real inputs exist.

    Hint: count before and after the call.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(sin_plus_cos, backend=recorder)
    before = len(recorder.graphs)
    compiled(torch.zeros(2))
    assert (before, len(recorder.graphs)) == __


def test_compiled_function_computes_the_same_values():
    """A backend that returns gm.forward runs the captured graph as is, so results equal eager ones.

    Hint: sin(0) + cos(0).
    """
    compiled = torch.compile(sin_plus_cos, backend=GraphRecorder())
    assert compiled(torch.zeros(2)).tolist() == __


def test_backend_receives_a_torch_level_fx_graph():
    """The graph a backend receives is an FX GraphModule at the level of torch functions and tensor methods, as written in the source.

    Hint: torch.sin is a function, .cos() a method, `+` an operator.
    """
    recorder = GraphRecorder()
    torch.compile(sin_plus_cos, backend=recorder)(torch.zeros(2))
    calls = [node.target for node in recorder.graphs[0].graph.nodes if node.op.startswith("call")]
    assert calls == [torch.sin, __, __]


def test_backend_gets_example_inputs():
    """Along with the graph, the backend gets example_inputs: the tensors of the call that triggered the compile.

    Hint: the function was called with a 2x3 tensor.
    """
    recorder = GraphRecorder()
    torch.compile(sin_plus_cos, backend=recorder)(torch.zeros(2, 3))
    assert recorder.inputs[0][0].shape == __


def test_module_parameters_become_graph_inputs():
    """When a module is compiled, Dynamo lifts its parameters into placeholders of the captured graph, ahead of the user input.

    Hint: Linear has a weight and a bias; forward has one argument.
    """
    recorder = GraphRecorder()
    torch.compile(TinyNet(), backend=recorder)(torch.ones(1, 2))
    placeholders = [node for node in recorder.graphs[0].graph.nodes if node.op == "placeholder"]
    assert len(placeholders) == __


def test_backend_result_is_what_runs():
    """Whatever callable the backend returns replaces the traced code, so a backend can rewrite the graph first.

    Hint: the compiled function must return 2 * 3.
    """

    def add_to_mul(gm, example_inputs):
        for node in gm.graph.nodes:
            if node.target is torch.add:
                node.target = __
        gm.recompile()
        return gm.forward

    def f(x, y):
        return torch.add(x, y)

    compiled = torch.compile(f, backend=add_to_mul)
    assert compiled(torch.tensor([2.0]), torch.tensor([3.0])).tolist() == [6.0]


def test_second_call_reuses_the_graph():
    """A call whose inputs pass the guards of an earlier compile reuses its code; the backend is not called again.

    Hint: same shape, same dtype, different values.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(sin_plus_cos, backend=recorder)
    compiled(torch.zeros(2))
    compiled(torch.ones(2))
    assert len(recorder.graphs) == __


def test_is_compiling_is_true_only_while_tracing():
    """torch.compiler.is_compiling() is True while Dynamo traces, so a branch on it is resolved at trace time and only the compiled path takes it.

    Hint: compare the compiled call with the eager call.
    """

    def f(x):
        if torch.compiler.is_compiling():
            return x + 100
        return x

    compiled = torch.compile(f, backend=GraphRecorder())
    assert compiled(torch.zeros(1)).tolist() == __
    assert f(torch.zeros(1)).tolist() == __


def test_reset_forgets_compiled_code():
    """torch.compiler.reset() clears Dynamo's caches, so the next call of a compiled function traces again.

    Hint: one compile before the reset, one after.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(sin_plus_cos, backend=recorder)
    compiled(torch.zeros(2))
    torch.compiler.reset()
    compiled(torch.zeros(2))
    assert len(recorder.graphs) == __
