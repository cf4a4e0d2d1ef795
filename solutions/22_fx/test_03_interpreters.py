"""Interpreters: running a graph node by node, and passes that watch or change each step."""

import operator

import torch
import torch.fx as fx
from torch._subclasses.fake_tensor import FakeTensor, FakeTensorMode
from torch.fx.passes.fake_tensor_prop import FakeTensorProp
from torch.fx.passes.shape_prop import ShapeProp

from kata import __


def gram_sum(x):
    return (x.t() @ x).sum(0)


def relu_plus_one(x):
    return torch.relu(x) + 1


class CallRecorder(fx.Interpreter):
    """Runs the graph and remembers the target of every function and method call."""

    def __init__(self, gm):
        super().__init__(gm)
        self.calls = []

    def call_function(self, target, args, kwargs):
        self.calls.append(target)
        return super().call_function(target, args, kwargs)

    def call_method(self, target, args, kwargs):
        self.calls.append(target)
        return super().call_method(target, args, kwargs)


class MinMaxObserver(torch.nn.Module):
    """Passes its input through and records the smallest and largest value it saw."""

    def __init__(self):
        super().__init__()
        self.min = float("inf")
        self.max = float("-inf")

    def forward(self, x):
        self.min = min(self.min, x.min().item())
        self.max = max(self.max, x.max().item())
        return x


class TwoLayers(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.first = torch.nn.Identity()
        self.second = torch.nn.ReLU()

    def forward(self, x):
        return self.second(self.first(x) - 2)


def test_interpreter_runs_the_graph():
    """fx.Interpreter(gm).run(*args) executes the graph one node at a time and returns what gm(*args) would.

    Hint: work out x.t() @ x for a block of ones first, then the sum over dim 0.
    """
    gm = fx.symbolic_trace(gram_sum)
    out = fx.Interpreter(gm).run(torch.ones(2, 3))
    assert out.tolist() == [6.0, 6.0, 6.0]


def test_interpreter_subclass_sees_every_call():
    """An Interpreter subclass can override call_function and call_method; each is called with the node's target, so a recorder sees functions as objects and methods as names.

    Hint: which of gram_sum's three operations are methods, and which function does `@` stand for?
    """
    gm = fx.symbolic_trace(gram_sum)
    recorder = CallRecorder(gm)
    recorder.run(torch.ones(2, 3))
    assert recorder.calls == ["t", operator.matmul, "sum"]


def test_interpreter_can_change_what_runs():
    """Overriding call_function lets an Interpreter run a different op than the graph names, without touching the graph or the GraphModule's code.

    Hint: the interpreter runs neg where the graph says relu; gm itself still runs relu.
    """

    class SwapRelu(fx.Interpreter):
        def call_function(self, target, args, kwargs):
            if target is torch.relu:
                target = torch.neg
            return super().call_function(target, args, kwargs)

    gm = fx.symbolic_trace(relu_plus_one)
    x = torch.tensor([1.0, -2.0])
    assert SwapRelu(gm).run(x).tolist() == [0.0, 3.0]
    assert gm(x).tolist() == [2.0, 1.0]


def test_transformer_writes_a_new_graph_module():
    """fx.Transformer is an Interpreter that runs on Proxies, so overriding call_function records a new graph with the swapped op baked in; every call it does not change is copied as it was.

    Hint: relu_plus_one makes two function calls; `+` is one of them.
    """

    class ReluToSigmoid(fx.Transformer):
        def call_function(self, target, args, kwargs):
            if target is torch.relu:
                target = torch.sigmoid
            return super().call_function(target, args, kwargs)

    gm = fx.symbolic_trace(relu_plus_one)
    new_gm = ReluToSigmoid(gm).transform()
    targets = [node.target for node in new_gm.graph.nodes if node.op == "call_function"]
    assert targets == [torch.sigmoid, operator.add]


def test_shape_prop_records_shapes_and_strides():
    """ShapeProp(gm).propagate(*args) runs the graph on real tensors and stores each node's result metadata (shape, dtype, stride) in node.meta["tensor_meta"]; a transpose is a view, so its stride is its input's stride swapped.

    Hint: a matmul's result has the rows of its left operand and the columns of its right one; a contiguous tensor's last dimension has stride 1.
    """
    gm = fx.symbolic_trace(gram_sum)
    ShapeProp(gm).propagate(torch.ones(2, 3))
    nodes = {node.name: node for node in gm.graph.nodes}
    assert nodes["matmul"].meta["tensor_meta"].shape == (3, 3)
    assert nodes["t"].meta["tensor_meta"].stride == (1, 3)


def test_fake_tensor_prop_records_values_without_computing_them():
    """FakeTensorProp(gm, mode).propagate(*args) runs the graph on FakeTensors, which have a shape, dtype, stride and device but no data, and stores each node's FakeTensor in node.meta["val"], the key that Dynamo, export and AOTAutograd read; it needs no memory for the values, and it writes no "tensor_meta".

    Hint: the input has a million rows but only three columns; what is left of them after x.t() @ x?
    """
    mode = FakeTensorMode()
    with mode:
        x = torch.empty(1_000_000, 3)
    gm = fx.symbolic_trace(gram_sum)
    FakeTensorProp(gm, mode).propagate(x)
    matmul = [node for node in gm.graph.nodes if node.name == "matmul"][0]
    assert isinstance(matmul.meta["val"], FakeTensor)
    assert tuple(matmul.meta["val"].shape) == (3, 3)
    assert sorted(matmul.meta) == ["val"]


def test_observers_record_ranges_of_activations():
    """Quantization-style transforms add an observer submodule and insert a call_module node after each layer; running sample data (calibration) records the activation ranges.

    Hint: each observer sits after its layer: Identity passes x through, the ReLU outputs relu(x - 2).
    """
    gm = fx.symbolic_trace(TwoLayers())
    for node in list(gm.graph.nodes):
        if node.op == "call_module":
            name = node.target + "_observer"
            gm.add_submodule(name, MinMaxObserver())
            with gm.graph.inserting_after(node):
                observed = gm.graph.call_module(name, (node,))
            node.replace_all_uses_with(observed, delete_user_cb=lambda user: user is not observed)
    gm.recompile()
    gm(torch.tensor([1.0, 5.0]))
    assert (gm.first_observer.min, gm.first_observer.max) == (1.0, 5.0)
    assert (gm.second_observer.min, gm.second_observer.max) == (0.0, 3.0)
