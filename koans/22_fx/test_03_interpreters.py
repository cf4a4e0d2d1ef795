"""Interpreters: running a graph node by node, and passes that watch or change each step."""

import torch
import torch.fx as fx
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

    Hint: x is a 2x3 block of ones; x.t() @ x is 3x3, each entry 2.
    """
    gm = fx.symbolic_trace(gram_sum)
    out = fx.Interpreter(gm).run(torch.ones(2, 3))
    assert out.tolist() == __


def test_interpreter_subclass_sees_every_call():
    """An Interpreter subclass can override call_function and call_method; each is called with the node's target, so a recorder sees functions as objects and methods as names.

    Hint: .t() is a method, @ is operator.matmul, .sum is a method.
    """
    gm = fx.symbolic_trace(gram_sum)
    recorder = CallRecorder(gm)
    recorder.run(torch.ones(2, 3))
    assert recorder.calls[0] == __
    assert len(recorder.calls) == __


def test_interpreter_can_change_what_runs():
    """Overriding call_function lets an Interpreter run a different op than the graph names, without touching the graph.

    Hint: the result must be -x + 1, so relu has to be swapped for the op that negates.
    """

    class SwapRelu(fx.Interpreter):
        def call_function(self, target, args, kwargs):
            if target is torch.relu:
                target = __
            return super().call_function(target, args, kwargs)

    gm = fx.symbolic_trace(relu_plus_one)
    out = SwapRelu(gm).run(torch.tensor([1.0, -2.0]))
    assert out.tolist() == [0.0, 3.0]


def test_transformer_writes_a_new_graph_module():
    """fx.Transformer is an Interpreter that runs on Proxies, so overriding call_function produces a new GraphModule with the swapped op baked in.

    Hint: which op does relu_plus_one call? sigmoid(0) is 0.5.
    """

    class ReluToSigmoid(fx.Transformer):
        def call_function(self, target, args, kwargs):
            if target is __:
                target = torch.sigmoid
            return super().call_function(target, args, kwargs)

    gm = fx.symbolic_trace(relu_plus_one)
    new_gm = ReluToSigmoid(gm).transform()
    assert new_gm(torch.tensor([0.0])).tolist() == [1.5]


def test_shape_prop_records_output_shapes():
    """ShapeProp(gm).propagate(*args) runs the graph and stores each node's result metadata in node.meta["tensor_meta"].

    Hint: (3x2) @ (2x3).
    """
    gm = fx.symbolic_trace(gram_sum)
    ShapeProp(gm).propagate(torch.ones(2, 3))
    matmul = [node for node in gm.graph.nodes if node.op == "call_function"][0]
    assert matmul.meta["tensor_meta"].shape == __


def test_shape_prop_records_strides_and_dtype():
    """tensor_meta also holds dtype and stride; a transpose is a view, so its stride is the input's stride swapped.

    Hint: a contiguous 2x3 tensor has stride (3, 1).
    """
    gm = fx.symbolic_trace(gram_sum)
    ShapeProp(gm).propagate(torch.ones(2, 3, dtype=torch.float64))
    t_node = [node for node in gm.graph.nodes if node.target == "t"][0]
    assert t_node.meta["tensor_meta"].stride == __
    assert t_node.meta["tensor_meta"].dtype == __


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
    assert (gm.first_observer.min, gm.first_observer.max) == __
    assert (gm.second_observer.min, gm.second_observer.max) == __
