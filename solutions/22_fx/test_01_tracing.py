"""Symbolic tracing: torch.fx records a function or a module as a Graph of Nodes."""

import operator

import torch
import torch.fx as fx

from kata import __


class AddBias(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 2)
        self.bias = torch.nn.Parameter(torch.ones(2))

    def forward(self, x):
        y = self.lin(x) + self.bias
        return y.relu().sum(dim=1)


def add_then_double(x, y):
    return torch.add(x, y) * 2


def relu_square_plus(x):
    y = x.relu()
    return y * y + y


def test_graph_module_shares_the_original_submodules():
    """symbolic_trace returns a GraphModule, an nn.Module that holds only the submodules its graph calls, and holds the very objects, not copies: changing the original model's weights changes what the GraphModule computes.

    Hint: work through forward with the weights as they are when gm runs, not when it was traced.
    """
    model = AddBias()
    gm = fx.symbolic_trace(model)
    with torch.no_grad():
        model.lin.weight.zero_()
        model.lin.bias.fill_(1.0)
    assert [name for name, _ in gm.named_children()] == ["lin"]
    assert gm(torch.ones(1, 3)).tolist() == [4.0]


def test_node_opcodes_of_a_function():
    """Each function argument becomes a `placeholder` node, each call of a free function a `call_function` node, and the return value one `output` node; a Python operator such as `*` is recorded as a call_function whose target is the matching function of the `operator` module.

    Hint: one node per argument, one per call or operator, one for the return.
    """
    gm = fx.symbolic_trace(add_then_double)
    ops = [node.op for node in gm.graph.nodes]
    targets = [node.target for node in gm.graph.nodes if node.op == "call_function"]
    assert ops == ["placeholder", "placeholder", "call_function", "call_function", "output"]
    assert targets == [torch.add, operator.mul]


def test_factory_calls_run_once_at_trace_time():
    """A call whose arguments are all ordinary Python values runs while tracing, not when the module runs: its tensor result is frozen into the GraphModule as a constant read by a `get_attr` node, and any Python side effect happened once, during the trace (so torch.randn inside a traced function gives the same numbers on every call).

    Hint: count the calls of the Python function, and ask which value of the counter the frozen tensor was filled with.
    """
    calls = []

    def shift_by_call_count(x):
        calls.append(1)
        return x + torch.full((2,), float(len(calls)))

    gm = fx.symbolic_trace(shift_by_call_count)
    gm(torch.zeros(2))
    out = gm(torch.zeros(2))
    assert [node.op for node in gm.graph.nodes] == ["placeholder", "get_attr", "call_function", "output"]
    assert out.tolist() == [1.0, 1.0]
    assert len(calls) == 1


def test_module_nodes_name_their_targets_by_string():
    """Tracing a module records a submodule call as `call_module`, a parameter read as `get_attr`, and a tensor method as `call_method`; for these three the target is a string: the attribute path on the root module, or the method's name.

    Hint: read forward in the order Python evaluates it, and write names, not objects.
    """
    gm = fx.symbolic_trace(AddBias())
    targets = [node.target for node in gm.graph.nodes if node.op in ("call_module", "get_attr", "call_method")]
    assert targets == ["lin", "bias", "relu", "sum"]


def test_node_args_and_kwargs_hold_nodes_and_constants():
    """A node's args and kwargs hold the nodes it reads and any constants, exactly as they were passed: positional arguments in args, keyword arguments in kwargs.

    Hint: for a method call, the object the method is called on is the first positional argument.
    """
    gm = fx.symbolic_trace(AddBias())
    sum_node = [node for node in gm.graph.nodes if node.target == "sum"][0]
    assert sum_node.args[0].target == "relu"
    assert sum_node.kwargs == {"dim": 1}


def test_node_users_are_the_distinct_nodes_that_read_it():
    """node.users is a dict keyed by each node that reads this node, so a node that reads the same input twice counts once.

    Hint: find every node whose arguments mention y's node, then drop repeats.
    """
    gm = fx.symbolic_trace(relu_square_plus)
    nodes = {node.name: node for node in gm.graph.nodes}
    assert [user.name for user in nodes["x"].users] == ["relu"]
    assert len(nodes["relu"].users) == 2


def test_output_node_holds_the_returned_structure():
    """The output node has a single arg, the value the traced code returned, with any tuples, lists and dicts kept as they were and a node in place of each traced value.

    Hint: the lambda returns one tuple; a method call's node has the method's name as its target.
    """
    gm = fx.symbolic_trace(lambda x: (x.relu(), {"average": x.mean(), "peak": x.amax()}))
    output = list(gm.graph.nodes)[-1]
    assert len(output.args) == 1
    assert [node.target for node in output.args[0][1].values()] == ["mean", "amax"]


def test_generated_code_frees_each_value_after_its_last_use():
    """gm.code is the Python source of forward that FX generated from the graph; on the line of a value's last use it also sets that value's variable to None, so its memory can be freed early.

    Hint: y is read by two nodes; which of them runs later?
    """
    gm = fx.symbolic_trace(relu_square_plus)
    freeing_relu = [line.split("=")[0].strip() for line in gm.code.splitlines() if "relu = None" in line]
    assert freeing_relu == ["add"]


def test_node_names_come_from_targets_and_avoid_clashes():
    """A node is named after what it calls; FX never reuses a name and never shadows a Python builtin, so a clash gets a suffix `_1`, `_2`, ... in order.

    Hint: `sum` is a builtin.
    """
    gm = fx.symbolic_trace(lambda x: (x + 1 + 1).sum())
    assert [node.name for node in gm.graph.nodes] == ["x", "add", "add_1", "sum_1", "output"]
