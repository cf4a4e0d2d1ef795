"""torch.export: one whole-graph capture into an ExportedProgram of aten operators."""

import functools

import pytest
import torch
from torch.export import ExportedProgram, export
from torch.export.graph_signature import InputKind

from kata import __

aten = torch.ops.aten


class ScaledNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 2)
        self.register_buffer("scale", torch.tensor(2.0))

    def forward(self, x):
        return self.lin(x).relu() * self.scale


@functools.cache
def exported_net():
    """One export shared by the koans that only read it."""
    model = ScaledNet()
    with torch.no_grad():
        model.lin.weight.copy_(torch.tensor([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0]]))
        model.lin.bias.copy_(torch.tensor([0.5, 0.5]))
    return export(model, (torch.ones(4, 3),))


def test_export_returns_an_exported_program():
    """torch.export.export(module, example_args) traces the whole forward once and returns an ExportedProgram; ep.module() turns it back into a callable module that computes what the original did.

    Hint: apply the weights that exported_net sets to the row by hand: the linear layer, relu, then the buffer.
    """
    ep = exported_net()
    assert isinstance(ep, ExportedProgram)
    out = ep.module()(torch.tensor([[1.0, 2.0, 3.0]] * 4))
    assert out[0].tolist() == [3.0, 0.0]


def test_exported_graph_holds_aten_operators():
    """The graph of an ExportedProgram calls aten operator overloads, not torch functions or modules; nn.Linear stays one aten.linear call.

    Hint: the graph follows forward op by op; a module call becomes the aten op it runs.
    """
    ep = exported_net()
    calls = [node.target for node in ep.graph.nodes if node.op == "call_function"]
    assert calls == [aten.linear.default, aten.relu.default, aten.mul.Tensor]


def test_factory_calls_are_recorded_as_operators():
    """Unlike torch.fx.symbolic_trace, which runs a call without traced inputs once and freezes its result as a constant, export traces at the aten level and records a factory call such as torch.ones as an operator of the graph, run each time the program runs.

    Hint: one node for the factory, one for the addition.
    """

    class AddOnes(torch.nn.Module):
        def forward(self, x):
            return x + torch.ones(2)

    ep = export(AddOnes(), (torch.zeros(2),))
    calls = [node.target for node in ep.graph.nodes if node.op == "call_function"]
    assert calls == [aten.ones.default, aten.add.Tensor]


def test_parameters_and_buffers_become_inputs():
    """Export lifts parameters and buffers out of the module: they become placeholders before the user inputs, in the order the module registered them, named p_ or b_ followed by their state_dict key with dots turned into underscores.

    Hint: the Linear's parameters were registered before the buffer.
    """
    ep = exported_net()
    placeholders = [node.name for node in ep.graph.nodes if node.op == "placeholder"]
    assert placeholders == ["p_lin_weight", "p_lin_bias", "b_scale", "x"]


def test_input_specs_say_what_each_input_is():
    """ep.graph_signature.input_specs gives each placeholder a kind (PARAMETER, BUFFER, USER_INPUT, ...) and, for lifted state, the state_dict key it comes from as its target; a user input has no target, and graph_signature.user_inputs lists the user inputs by placeholder name.

    Hint: the kinds follow the placeholders of the previous koan; a missing value in Python is None.
    """
    signature = exported_net().graph_signature
    specs = signature.input_specs
    assert [spec.kind for spec in specs] == [InputKind.PARAMETER, InputKind.PARAMETER, InputKind.BUFFER, InputKind.USER_INPUT]
    assert [spec.target for spec in specs] == ["lin.weight", "lin.bias", "scale", None]
    assert signature.user_inputs == ("x",)


def test_state_dict_holds_the_modules_own_tensors():
    """The lifted values live in ep.state_dict under their original keys, and they are the original module's tensors themselves, not copies: changing the module's buffer in place changes what the exported program computes.

    Hint: compute forward for a row of ones with the weights exported_net sets, then with the new buffer.
    """
    model = ScaledNet()
    with torch.no_grad():
        model.lin.weight.copy_(torch.tensor([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0]]))
        model.lin.bias.copy_(torch.tensor([0.5, 0.5]))
    ep = export(model, (torch.ones(4, 3),))
    with torch.no_grad():
        model.scale.fill_(10.0)
    assert ep.state_dict["scale"] is model.scale
    assert ep.module()(torch.ones(4, 3))[0].tolist() == [15.0, 0.0]


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_run_decompositions_lowers_to_core_aten():
    """ep.run_decompositions() returns a new program whose graph uses the smaller core aten operator set; linear becomes a permute of the weight and an addmm.

    Hint: the same fused multiply-add that F.linear dispatches to in eager mode.
    """
    lowered = exported_net().run_decompositions()
    calls = [node.target for node in lowered.graph.nodes if node.op == "call_function"]
    assert calls == [aten.permute.default, aten.addmm.default, aten.relu.default, aten.mul.Tensor]


def test_shapes_are_static_by_default():
    """Without dynamic_shapes every size is fixed to the example's, and the exported module checks its inputs, raising when a size differs.

    Hint: the failed check is reported the way a failed `assert` statement is.
    """
    module = exported_net().module()
    with pytest.raises(Exception) as info:
        module(torch.ones(5, 3))
    assert info.type is AssertionError


def test_branch_on_a_static_shape_is_resolved_at_export():
    """A Python `if` on a static size is decided during export, and only the taken branch is recorded.

    Hint: compare the example's size with the condition.
    """

    class ShapeBranch(torch.nn.Module):
        def forward(self, x):
            if x.shape[0] > 2:
                return x + 1
            return x - 1

    ep = export(ShapeBranch(), (torch.ones(3),))
    calls = [node.target for node in ep.graph.nodes if node.op == "call_function"]
    assert calls == [aten.add.Tensor]
