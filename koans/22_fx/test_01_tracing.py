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


def test_graph_module_holds_the_original_submodules():
    """symbolic_trace returns a GraphModule, an nn.Module that holds the very submodules and parameters its graph uses: the same objects, not copies.

    Hint: is gm.lin the object that model.lin is?
    """
    model = AddBias()
    gm = fx.symbolic_trace(model)
    assert isinstance(gm, torch.nn.Module)
    assert [name for name, _ in gm.named_children()] == __
    assert (gm.lin is model.lin) is __


def test_traced_function_computes_the_same_values():
    """The generated forward does exactly what the traced Python did.

    Hint: (1 + 10) * 2 and (2 + 20) * 2.
    """
    gm = fx.symbolic_trace(add_then_double)
    out = gm(torch.tensor([1, 2]), torch.tensor([10, 20]))
    assert out.tolist() == __


def test_node_opcodes_of_a_function():
    """Each function argument becomes a `placeholder` node, each free function call a `call_function` node, and the return value one `output` node.

    Hint: two inputs, torch.add, the `*`, and the return.
    """
    gm = fx.symbolic_trace(add_then_double)
    ops = [node.op for node in gm.graph.nodes]
    assert ops == __


def test_operators_are_recorded_as_operator_functions():
    """A Python operator such as `*` is recorded as a call_function node whose target is the matching function of the `operator` module.

    Hint: Python's `*` on a Proxy is recorded as the function from the standard operator module that it stands for.
    """
    gm = fx.symbolic_trace(add_then_double)
    targets = [node.target for node in gm.graph.nodes if node.op == "call_function"]
    assert targets == [torch.add, __]


def test_node_opcodes_of_a_module():
    """Tracing a module records a submodule call as `call_module`, a parameter read as `get_attr`, and a tensor method as `call_method`.

    Hint: read forward line by line: lin, bias, +, relu, sum.
    """
    gm = fx.symbolic_trace(AddBias())
    ops = [node.op for node in gm.graph.nodes]
    assert ops == ["placeholder", __, __, "call_function", __, "call_method", "output"]


def test_call_module_and_call_method_targets_are_strings():
    """For call_module and get_attr nodes the target is the attribute path on the root module; for call_method it is the method's name.

    Hint: names, not objects.
    """
    gm = fx.symbolic_trace(AddBias())
    targets = [node.target for node in gm.graph.nodes if node.op in ("call_module", "get_attr", "call_method")]
    assert targets == __


def test_node_args_and_kwargs_hold_nodes_and_constants():
    """A node's args and kwargs hold the nodes it reads and any constants, exactly as they were passed.

    Hint: forward called `.sum(dim=1)`.
    """
    gm = fx.symbolic_trace(AddBias())
    sum_node = [node for node in gm.graph.nodes if node.target == "sum"][0]
    assert sum_node.args[0].target == __
    assert sum_node.kwargs == __


def test_node_users_are_the_nodes_that_read_it():
    """node.users maps each node that takes this node as an input; the output node has no users.

    Hint: x is read by one call only; the output node ends the graph.
    """
    gm = fx.symbolic_trace(AddBias())
    nodes = {node.name: node for node in gm.graph.nodes}
    assert [user.name for user in nodes["x"].users] == __
    assert len(nodes["output"].users) == __


def test_output_node_args_hold_the_returned_value():
    """The output node's single arg is the value the traced code returned.

    Hint: an identity function returns its input unchanged.
    """
    gm = fx.symbolic_trace(lambda x: x)
    output = list(gm.graph.nodes)[-1]
    assert output.args[0].op == __


def test_code_is_regenerated_python():
    """gm.code is the Python source of forward that FX generated from the graph; after each value's last use it sets the variable to None so memory is freed early.

    Hint: the relu line reads `add` for the last time.
    """
    gm = fx.symbolic_trace(AddBias())
    line = [line for line in gm.code.splitlines() if "relu()" in line][0]
    assert line.strip() == __


def test_printed_graph_names_avoid_builtins():
    """str(graph) prints one line per node and ends with `return <name>`; FX never names a node after a Python builtin, so it appends a suffix such as `_1`.

    Hint: the last call is `.sum(...)` and `sum` is a builtin.
    """
    gm = fx.symbolic_trace(AddBias())
    last_line = str(gm.graph).strip().splitlines()[-1]
    assert last_line.strip() == __
