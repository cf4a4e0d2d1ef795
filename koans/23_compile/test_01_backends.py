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


def two_waves(x):
    return torch.sin(x) + x.cos()


class TinyNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 2)

    def forward(self, x):
        return self.lin(x).relu()


def test_compile_traces_at_the_first_call_and_caches_the_result():
    """torch.compile only wraps the function; Dynamo traces it when a call finds no cached code whose guards the inputs pass (the first call, and any call after torch.compiler.reset() has cleared the caches); a call that passes the guards reuses the cached code.

    Hint: for each step ask whether a usable compiled version exists at that moment.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(two_waves, backend=recorder)
    counts = [len(recorder.graphs)]
    compiled(torch.zeros(2))
    counts.append(len(recorder.graphs))
    compiled(torch.ones(2))
    counts.append(len(recorder.graphs))
    torch.compiler.reset()
    compiled(torch.zeros(2))
    counts.append(len(recorder.graphs))
    assert counts == __


def test_backend_receives_a_torch_level_fx_graph():
    """The graph a backend receives is an FX GraphModule at the level of torch functions, tensor methods and Python operators, each recorded in the form the source used.

    Hint: look at how the traced function spells each of its three operations.
    """
    recorder = GraphRecorder()
    torch.compile(two_waves, backend=recorder)(torch.zeros(2))
    calls = [node.target for node in recorder.graphs[0].graph.nodes if node.op.startswith("call")]
    assert calls == [torch.sin, __, __]


def test_module_parameters_become_graph_inputs():
    """Along with the graph a backend gets example_inputs, one real value per placeholder. Dynamo inlines an nn.Module's forward and lifts its parameters into placeholders ahead of the user's inputs (in recent releases, where the config inline_inbuilt_nn_modules is always on; older releases read parameters with get_attr nodes instead).

    Hint: nn.Linear(in_features, out_features) stores its weight as (out_features, in_features).
    """
    recorder = GraphRecorder()
    torch.compile(TinyNet(), backend=recorder)(torch.ones(1, 3))
    assert [tuple(t.shape) for t in recorder.inputs[0]] == __


def test_backend_result_is_what_runs():
    """Whatever callable the backend returns replaces the traced code, so a backend can rewrite the graph first; the original Python function is untouched.

    Hint: one call runs the rewritten graph, the other the Python function.
    """

    def add_to_mul(gm, example_inputs):
        for node in gm.graph.nodes:
            if node.target is torch.add:
                node.target = torch.mul
        gm.recompile()
        return gm.forward

    def f(x, y):
        return torch.add(x, y)

    compiled = torch.compile(f, backend=add_to_mul)
    x, y = torch.tensor([2.0]), torch.tensor([3.0])
    assert (compiled(x, y).item(), f(x, y).item()) == __


def test_is_compiling_is_true_only_while_tracing():
    """torch.compiler.is_compiling() is True only while Dynamo traces, so a branch on it is decided at trace time; code that Dynamo does not trace, such as a function under torch.compiler.disable, runs at call time and sees False even when compiled code calls it.

    Hint: decide each of the two branches separately: is that line traced or run eagerly?
    """

    @torch.compiler.disable
    def eager_part(x):
        return x + (100 if torch.compiler.is_compiling() else 0)

    def f(x):
        return eager_part(x) + (10 if torch.compiler.is_compiling() else 0)

    compiled = torch.compile(f, backend=GraphRecorder())
    assert compiled(torch.zeros(1)).tolist() == __
    assert f(torch.zeros(1)).tolist() == __
