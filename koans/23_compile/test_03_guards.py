"""Guards and recompilation: when compiled code is reused, and when Dynamo traces again."""

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
        self.inputs = []

    def __call__(self, gm, example_inputs):
        self.graphs.append(gm)
        self.inputs.append(example_inputs)
        return gm.forward


def double(x):
    return x * 2


def plus_or_minus(x, flag):
    return x + 1 if flag else x - 1


def test_new_dtype_recompiles():
    """Guards check each input tensor's dtype; a call with another dtype fails them and triggers a new compile.

    Hint: float32 first, then float64.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder)
    compiled(torch.ones(2))
    compiled(torch.ones(2, dtype=torch.float64))
    assert len(recorder.graphs) == __


def test_new_shape_recompiles_once_as_dynamic():
    """Shapes start out static; when a new size fails the guard, Dynamo recompiles with that dimension dynamic, and later sizes reuse the dynamic graph.

    Hint: sizes 2, 3, 4: the third call compiles nothing new.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder)
    for n in (2, 3, 4):
        compiled(torch.ones(n))
    assert len(recorder.graphs) == __


def test_dynamic_graph_takes_the_size_as_an_input():
    """A graph with a dynamic dimension receives the size as an extra torch.SymInt input ahead of the tensor.

    Hint: the second compile is the dynamic one.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder)
    compiled(torch.ones(2))
    compiled(torch.ones(3))
    assert type(recorder.inputs[1][0]) is __
    assert [type(arg) for arg in recorder.inputs[0]] == __


def test_dynamic_true_compiles_once_for_all_sizes():
    """torch.compile(..., dynamic=True) makes sizes symbolic from the first compile, so no size change recompiles.

    Hint: no guard fails for a new length.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder, dynamic=True)
    compiled(torch.ones(2))
    compiled(torch.ones(5))
    assert len(recorder.graphs) == __


def test_mark_dynamic_marks_one_dimension():
    """torch._dynamo.mark_dynamic(t, dim) tells Dynamo before the first compile that dimension dim of t will vary.

    Hint: mark the only dimension there is.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder)
    x = torch.ones(2)
    torch._dynamo.mark_dynamic(x, __)
    compiled(x)
    compiled(torch.ones(7))
    assert len(recorder.graphs) == 1


def test_python_bools_are_specialized():
    """A Python bool argument is baked into the graph as a constant and guarded; each value gets its own compile, and a repeat reuses it.

    Hint: True, False, True.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(plus_or_minus, backend=recorder)
    compiled(torch.zeros(1), True)
    compiled(torch.zeros(1), False)
    compiled(torch.zeros(1), True)
    assert len(recorder.graphs) == __


def test_python_ints_become_dynamic_after_a_change():
    """A Python int starts specialized like a shape; when it changes, Dynamo recompiles with it as a SymInt input, and further values reuse that graph.

    Hint: 2, then 3, then 4.
    """

    def scale(x, n):
        return x * n

    recorder = GraphRecorder()
    compiled = torch.compile(scale, backend=recorder)
    for n in (2, 3, 4):
        out = compiled(torch.ones(1), n)
    assert out.tolist() == __
    assert len(recorder.graphs) == __


def test_guards_watch_values_read_from_python_containers():
    """A constant that the function reads from a dict becomes part of the graph, and a guard on it triggers a recompile when it changes.

    Hint: the second call sees the new scale.
    """
    config = {"scale": 2}

    def scaled(x):
        return x * config["scale"]

    recorder = GraphRecorder()
    compiled = torch.compile(scaled, backend=recorder)
    compiled(torch.ones(1))
    config["scale"] = 3
    out = compiled(torch.ones(1))
    assert out.tolist() == __
    assert len(recorder.graphs) == __


def test_recompile_limit_falls_back_to_eager():
    """After recompile_limit compiles of one function, Dynamo stops compiling it and later new cases run eagerly, still giving correct results.

    Hint: the limit is 1, so the False case is never compiled.
    """
    recorder = GraphRecorder()
    with torch._dynamo.config.patch(recompile_limit=1):
        compiled = torch.compile(plus_or_minus, backend=recorder)
        compiled(torch.zeros(1), True)
        out = compiled(torch.zeros(1), False)
    assert out.tolist() == __
    assert len(recorder.graphs) == __
