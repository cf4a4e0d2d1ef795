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


def test_guards_check_dtype_and_requires_grad_but_not_values():
    """Guards check each input tensor's properties that the graph depends on, such as dtype, shape and requires_grad, never its values; a call that fails every cached version's guards triggers a new compile.

    Hint: for each call ask whether some earlier compile already covers its properties.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder)
    compiled(torch.ones(2))
    compiled(torch.zeros(2))
    compiled(torch.ones(2, dtype=torch.float64))
    compiled(torch.ones(2))
    compiled(torch.ones(2, requires_grad=True))
    assert len(recorder.graphs) == __


def test_new_shape_recompiles_once_as_dynamic():
    """Shapes start out static; when a new size fails the guard, Dynamo recompiles with that dimension dynamic ("automatic dynamic"), and later sizes reuse the dynamic graph, which on recent releases receives the size as an extra torch.SymInt input ahead of the tensor.

    Hint: the first compile saw one size only; what does the backend receive for the second compile?
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder)
    for n in (2, 3, 4):
        compiled(torch.ones(n))
    assert len(recorder.graphs) == __
    assert [type(arg) for arg in recorder.inputs[1]] == __


def test_sizes_0_and_1_are_specialized_even_when_dynamic():
    """A dynamic size is still specialized when it is 0 or 1: Dynamo assumes a symbolic size is at least 2 (so that broadcasting and contiguity can be decided), guards on that, and compiles a size of 0 or 1 on its own; this holds for dynamic=True too, which makes sizes symbolic from the first compile.

    Hint: for each call, ask whether it falls under the symbolic graph's guard or under a specialized graph already compiled.
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder, dynamic=True)
    counts = []
    for n in (5, 7, 1, 1, 0, 2):
        compiled(torch.ones(n))
        counts.append(len(recorder.graphs))
    assert counts == __


def test_error_on_recompile_turns_a_recompile_into_an_error():
    """torch._dynamo.config.error_on_recompile=True makes any recompile raise instead of compiling again, which finds the call that caused it (torch._logging.set_logs(recompiles=True) logs the failing guard instead).

    Hint: the class is in torch._dynamo.exc and named for the event it forbids.
    """
    compiled = torch.compile(double, backend=GraphRecorder(), dynamic=True)
    compiled(torch.ones(5))
    compiled(torch.ones(7))
    with torch._dynamo.config.patch(error_on_recompile=True):
        with pytest.raises(RuntimeError) as info:
            compiled(torch.ones(1))
    assert info.type is __


def test_mark_dynamic_marks_one_dimension():
    """torch._dynamo.mark_dynamic(t, dim) tells Dynamo before the first compile that dimension dim of t will vary; the other dimensions stay static until a change to them fails a guard.

    Hint: which dimension changes on each call, and is it the marked one?
    """
    recorder = GraphRecorder()
    compiled = torch.compile(double, backend=recorder)
    x = torch.ones(2, 3)
    torch._dynamo.mark_dynamic(x, 1)
    compiled(x)
    compiled(torch.ones(2, 5))
    after_second = len(recorder.graphs)
    compiled(torch.ones(4, 5))
    assert (after_second, len(recorder.graphs)) == __


def test_python_bools_are_specialized():
    """A Python bool argument is baked into the graph as a constant and guarded; each value gets its own compile, and a repeat reuses it.

    Hint: how many distinct values of flag are there?
    """
    recorder = GraphRecorder()
    compiled = torch.compile(plus_or_minus, backend=recorder)
    for flag in (True, False, True, False, True):
        compiled(torch.zeros(1), flag)
    assert len(recorder.graphs) == __


def test_python_ints_become_dynamic_after_a_change():
    """A Python int starts specialized like a shape; when it changes, Dynamo recompiles with it as a SymInt input, and further values reuse that graph.

    Hint: like a tensor size, an int gets one static compile and then one dynamic one.
    """

    def scale(x, n):
        return x * n

    recorder = GraphRecorder()
    compiled = torch.compile(scale, backend=recorder)
    for n in (2, 3, 4, 5):
        out = compiled(torch.ones(1), n)
    assert out.tolist() == [5.0]
    assert len(recorder.graphs) == __


def test_guards_watch_values_read_from_python_containers():
    """A constant that the function reads from a dict becomes part of the graph, and a guard on it triggers a recompile when it changes.

    Hint: the value is read when the call is traced, and the guard checks it on every call.
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
    """torch._dynamo.config.recompile_limit (formerly cache_size_limit, which remains an alias) caps the compiled versions kept per code object; once a function's code object has that many, new cases run eagerly, still giving correct results.

    Hint: the first call fills the one slot.
    """
    recorder = GraphRecorder()
    with torch._dynamo.config.patch(recompile_limit=1):
        compiled = torch.compile(plus_or_minus, backend=recorder)
        compiled(torch.zeros(1), True)
        out = compiled(torch.zeros(1), False)
    assert out.tolist() == __
    assert len(recorder.graphs) == __
