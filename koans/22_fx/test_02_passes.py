"""Graph passes: editing a traced graph node by node and regenerating its code."""

import itertools

import torch
import torch.fx as fx
from torch.fx import subgraph_rewriter
from torch.nn.utils.fusion import fuse_conv_bn_eval

from kata import __, raises


def add(x, y):
    return torch.add(x, y)


def plus_one(x):
    return x + 1


class ConvBN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3)
        self.bn = torch.nn.BatchNorm2d(2)

    def forward(self, x):
        return self.bn(self.conv(x)).relu()


def conv_bn_in_eval_mode():
    model = ConvBN().eval()
    model.bn.running_mean.fill_(0.5)
    model.bn.running_var.fill_(4.0)
    return model


def test_a_pass_swaps_a_call_target():
    """A pass can change what a node calls by assigning node.target; after gm.recompile() the module runs the new op.

    Hint: the last line says what the rewritten graph must compute from 2 and 3.
    """
    gm = fx.symbolic_trace(add)
    for node in gm.graph.nodes:
        if node.target is torch.add:
            node.target = __
    gm.graph.lint()
    gm.recompile()
    assert gm(torch.tensor([2.0]), torch.tensor([3.0])).tolist() == [6.0]


def test_editing_the_graph_does_not_change_the_code_until_recompile():
    """A GraphModule runs the Python code generated at its last recompile; editing gm.graph alone changes nothing that runs.

    Hint: the target was swapped but recompile() was never called.
    """
    gm = fx.symbolic_trace(add)
    for node in gm.graph.nodes:
        if node.target is torch.add:
            node.target = torch.mul
    assert gm(torch.tensor([2.0]), torch.tensor([3.0])).tolist() == __


def test_a_graph_can_be_built_by_hand():
    """fx.Graph offers placeholder, call_function and output to build a graph directly; GraphModule(root, graph) turns it into a runnable module.

    Hint: read the call_function node: which op, applied to which arguments.
    """
    graph = fx.Graph()
    a = graph.placeholder("a")
    b = graph.call_function(torch.sub, (a, 1))
    graph.output(b)
    gm = fx.GraphModule(torch.nn.Module(), graph)
    assert gm(torch.tensor([3, 5])).tolist() == __


def test_insert_a_node_after_another():
    """Inside `with graph.inserting_after(node):` new nodes go right after node; replace_all_uses_with then reroutes the old node's readers to the new one, and delete_user_cb keeps the new node itself reading the old one.

    Hint: which node should keep reading `add`, and which should not?
    """
    gm = fx.symbolic_trace(plus_one)
    add_node = [node for node in gm.graph.nodes if node.op == "call_function"][0]
    with gm.graph.inserting_after(add_node):
        neg = gm.graph.call_function(torch.neg, (add_node,))
    add_node.replace_all_uses_with(neg, delete_user_cb=lambda user: user is not __)
    gm.graph.lint()
    gm.recompile()
    assert gm(torch.tensor([1.0])).tolist() == [-2.0]


def test_rerouting_every_use_makes_a_node_read_itself():
    """replace_all_uses_with rewires every reader, including the new node that was built to read the old one; graph.lint() then finds an argument that breaks the topological order.

    Hint: lint raises a RuntimeError saying the argument was ... it has been defined; match those two words.
    """
    gm = fx.symbolic_trace(plus_one)
    add_node = [node for node in gm.graph.nodes if node.op == "call_function"][0]
    with gm.graph.inserting_after(add_node):
        neg = gm.graph.call_function(torch.neg, (add_node,))
    add_node.replace_all_uses_with(neg)
    assert neg.args[0] is neg
    with raises(RuntimeError, match=__):
        gm.graph.lint()


def test_erasing_a_node_that_is_still_used_raises():
    """graph.erase_node refuses a node that other nodes still read, and its message counts the node's users (node.users: each reading node once).

    Hint: ask for the count and the word after it, as in "had N ...".
    """

    def f(x):
        y = x + 1
        return y * y.relu() + y

    gm = fx.symbolic_trace(f)
    add_node = [node for node in gm.graph.nodes if node.op == "call_function"][0]
    with raises(RuntimeError, match=__):
        gm.graph.erase_node(add_node)


def test_erase_a_node_after_rerouting_its_users():
    """Once a node's users are rerouted it has none and erase_node removes it from the graph.

    Hint: return the input directly, drop the add: count what remains.
    """
    gm = fx.symbolic_trace(plus_one)
    x = [node for node in gm.graph.nodes if node.op == "placeholder"][0]
    add_node = [node for node in gm.graph.nodes if node.op == "call_function"][0]
    add_node.replace_all_uses_with(x)
    gm.graph.erase_node(add_node)
    gm.recompile()
    assert len(gm.graph.nodes) == __
    assert gm(torch.tensor([1.0])).tolist() == __


def test_eliminate_dead_code_removes_unused_nodes():
    """graph.eliminate_dead_code() deletes nodes whose results nobody reads, repeating until none is left, and returns whether it changed the graph.

    Hint: once `unused` and everything only it read are gone, is there anything left for a second call to remove?
    """

    def f(x):
        unused = (x * 2).relu()  # noqa: F841
        return x + 1

    gm = fx.symbolic_trace(f)
    gm.graph.eliminate_dead_code()
    changed_again = gm.graph.eliminate_dead_code()
    assert [node.op for node in gm.graph.nodes] == __
    assert changed_again is __


def test_eliminate_dead_code_is_not_sound_for_method_calls():
    """Dead code elimination only keeps side-effectful call_function nodes it knows about; a call_method node whose result is unused, even an in-place x.add_(1), counts as dead and is deleted.

    Hint: the traced function returns its input; what does the graph still do to it?
    """

    def f(x):
        x.add_(1)
        return x

    gm = fx.symbolic_trace(f)
    gm.graph.eliminate_dead_code()
    gm.recompile()
    assert gm(torch.tensor([1.0])).tolist() == __


def test_replace_pattern_rewrites_matching_subgraphs():
    """subgraph_rewriter.replace_pattern(gm, pattern, replacement) traces both functions, finds the non-overlapping places where the graph runs the pattern's ops, and splices in the replacement; it returns the list of matches.

    Hint: every torch.add in f becomes a torch.mul of the same two inputs.
    """

    def f(x, y):
        return torch.add(x, y).relu() - torch.add(y, y - x)

    def pattern(a, b):
        return torch.add(a, b)

    def replacement(a, b):
        return torch.mul(a, b)

    gm = fx.symbolic_trace(f)
    matches = subgraph_rewriter.replace_pattern(gm, pattern, replacement)
    assert len(matches) == __
    assert gm(torch.tensor([2.0]), torch.tensor([3.0])).tolist() == __


def test_fold_batchnorm_into_the_conv_with_a_pass():
    """A conv-bn fusion pass swaps the conv submodule for fuse_conv_bn_eval(conv, bn), reroutes the batchnorm's users to the conv node and erases the batchnorm node; the eval-mode result is unchanged.

    Hint: which node now produces the value that the batchnorm's readers used to get?
    """
    model = conv_bn_in_eval_mode()
    gm = fx.symbolic_trace(model)
    for node in list(gm.graph.nodes):
        if node.op == "call_module" and isinstance(gm.get_submodule(node.target), torch.nn.BatchNorm2d):
            conv_node = node.args[0]
            fused_conv = fuse_conv_bn_eval(gm.get_submodule(conv_node.target), gm.get_submodule(node.target))
            setattr(gm, conv_node.target, fused_conv)
            node.replace_all_uses_with(__)
            gm.graph.erase_node(node)
    gm.recompile()
    assert [node.op for node in gm.graph.nodes] == ["placeholder", "call_module", "call_method", "output"]
    x = torch.arange(25.0).reshape(1, 1, 5, 5) / 25
    assert torch.allclose(gm(x), model(x), atol=1e-5)


def test_fused_conv_bias_absorbs_the_batchnorm():
    """In eval mode batchnorm is the affine map (y - mean) / sqrt(var + eps) * weight + bias, so fuse_conv_bn_eval scales the conv's weight and gives the new conv the bias (conv_bias - mean) / sqrt(var + eps) * weight + bias, even when the conv had none.

    Hint: a fresh BatchNorm2d has weight 1 and bias 0; eps is too small to matter at three decimals.
    """
    conv = torch.nn.Conv2d(1, 2, 3, bias=False).eval()
    bn = torch.nn.BatchNorm2d(2).eval()
    bn.running_mean.fill_(0.5)
    bn.running_var.fill_(4.0)
    fused_conv = fuse_conv_bn_eval(conv, bn)
    x = torch.arange(25.0).reshape(1, 1, 5, 5) / 25
    assert torch.allclose(fused_conv(x), bn(conv(x)), atol=1e-5)
    assert [round(b, 3) for b in fused_conv.bias.tolist()] == __


def test_conv_bn_fusion_needs_eval_mode():
    """Folding batchnorm into a conv is only valid with frozen running statistics, so fuse_conv_bn_eval refuses unless neither module is training; it checks with Python's own statement for invariants, not with a torch error.

    Hint: try the four mode pairs in your head; which statement raises what when its condition is false?
    """
    fused_modes = []
    for conv_training, bn_training in itertools.product([True, False], repeat=2):
        model = ConvBN()
        model.conv.train(conv_training)
        model.bn.train(bn_training)
        try:
            fuse_conv_bn_eval(model.conv, model.bn)
            fused_modes.append((conv_training, bn_training))
        except Exception as error:
            failure = type(error)
    assert fused_modes == __
    assert failure is __
