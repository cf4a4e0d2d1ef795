"""AOTAutograd: the forward and backward aten graphs that torch.compile hands to a compiler."""

import torch
from functorch.compile import make_boxed_func, min_cut_rematerialization_partition
from torch._dynamo.backends.common import aot_autograd

from kata import __

aten = torch.ops.aten


class GraphCatcher:
    """A torch.compile backend that keeps every forward and backward graph AOTAutograd gives it, and runs them as they are."""

    def __init__(self, **options):
        self.forward, self.backward = [], []
        self.backend = aot_autograd(
            fw_compiler=self.keep(self.forward), bw_compiler=self.keep(self.backward), **options)

    @staticmethod
    def keep(graphs):
        def compiler(gm, example_inputs):
            graphs.append(gm)
            return make_boxed_func(gm.forward)

        return compiler


def outputs(gm):
    return list(gm.graph.output_node().args[0])


def placeholders(gm):
    return [node.name for node in gm.graph.nodes if node.op == "placeholder"]


def call_targets(gm):
    return [node.target for node in gm.graph.nodes if node.op == "call_function"]


def test_the_backend_gets_one_functional_forward_graph():
    """AOTAutograd traces the Dynamo graph with make_fx and functionalization, then splits the joint forward-and-backward graph in two; the fw_compiler receives the forward half as aten ops.

    Hint: one aten op per Python call here, in order.
    """
    catcher = GraphCatcher()
    torch.compile(lambda x: x.sin().cos(), backend=catcher.backend)(torch.ones(3, requires_grad=True))
    assert call_targets(catcher.forward[0]) == [aten.sin.default, aten.cos.default]


def test_the_forward_graph_also_returns_what_backward_needs():
    """The forward graph returns the user's outputs followed by the tensors the backward graph needs, the ones each op's derivative formula reads; the backward graph takes those first, then one incoming gradient (a tangent) per output.

    Hint: d/dx cos(sin(x)) = -sin(sin(x)) * cos(x): which forward values does that read?
    """
    catcher = GraphCatcher()
    out = torch.compile(lambda x: x.sin().cos(), backend=catcher.backend)(torch.ones(3, requires_grad=True))
    out.sum().backward()
    assert len(outputs(catcher.forward[0])) == 3
    assert len([name for name in placeholders(catcher.backward[0]) if not name.startswith("tangents")]) == 2


def test_what_is_saved_depends_on_the_derivative():
    """exp's derivative is its own output and a product with a constant has a constant derivative, so the two functions hand different numbers of tensors from forward to backward.

    Hint: count the saved tensors of each, in the order of the list.
    """
    saved = []
    for fn in (lambda x: x.exp(), lambda x: x * 3):
        catcher = GraphCatcher()
        torch.compile(fn, backend=catcher.backend)(torch.ones(3, requires_grad=True)).sum().backward()
        saved.append(len(outputs(catcher.forward[0])) - 1)
    assert saved == [1, 0]


def test_the_min_cut_partitioner_recomputes_cheap_ops():
    """The partitioner decides what crosses from forward to backward. The default one saves what the derivative formulas read; min_cut_rematerialization_partition (the one Inductor uses) saves as little memory as it can and recomputes cheap pointwise ops in the backward graph from what it did save.

    Hint: sin(x) is cheap to recompute from x, and x must be kept anyway; count the sin ops the backward graph now runs.
    """
    catcher = GraphCatcher(partition_fn=min_cut_rematerialization_partition)
    out = torch.compile(lambda x: x.sin().cos(), backend=catcher.backend)(torch.ones(3, requires_grad=True))
    out.sum().backward()
    assert len(outputs(catcher.forward[0])) - 1 == 1
    assert call_targets(catcher.backward[0]).count(aten.sin.default) == 2


def test_one_tangent_per_output():
    """The backward graph receives one tangent, the gradient flowing in, for each forward output that requires grad.

    Hint: the function returns two tensors.
    """
    catcher = GraphCatcher()
    s, c = torch.compile(lambda x: (x.sin(), x.cos()), backend=catcher.backend)(torch.ones(3, requires_grad=True))
    (s + c).sum().backward()
    assert len([name for name in placeholders(catcher.backward[0]) if name.startswith("tangents")]) == 2


def test_the_whole_compiled_region_is_one_autograd_node():
    """Eager autograd records one node per op, but AOTAutograd wraps the compiled forward in a single autograd.Function whose backward runs the compiled backward graph; the output's grad_fn is that Function's backward node.

    Hint: the class is named after a compiled function and its backward.
    """
    catcher = GraphCatcher()
    out = torch.compile(lambda x: x.sin().cos(), backend=catcher.backend)(torch.ones(3, requires_grad=True))
    assert out.grad_fn.name() == "CompiledFunctionBackward"


def test_without_grad_there_is_no_backward_graph():
    """When no input requires grad, AOTAutograd skips the joint graph and hands only an inference graph to the forward compiler.

    Hint: count the graphs each compiler received.
    """
    catcher = GraphCatcher()
    torch.compile(lambda x: x.sin().cos(), backend=catcher.backend)(torch.ones(3))
    assert (len(catcher.forward), len(catcher.backward)) == (1, 0)


def test_an_input_mutation_leaves_the_graph():
    """The graph a backend receives is functional: an input mutation becomes an out-of-place op whose result is returned as an extra output, first, and AOTAutograd's runtime wrapper copies it into the input.

    Hint: no op in the graph writes to anything; the graph returns the new value of t, then t * 2.
    """

    def bump(t):
        t.add_(1)
        return t * 2

    catcher = GraphCatcher()
    t = torch.ones(3)
    out = torch.compile(bump, backend=catcher.backend)(t)
    assert call_targets(catcher.forward[0]) == [aten.add.Tensor, aten.mul.Tensor]
    assert len(outputs(catcher.forward[0])) == 2
    assert (t.tolist(), out.tolist()) == ([2.0, 2.0, 2.0], [4.0, 4.0, 4.0])


def test_dynamic_shapes_still_specialise_zero_and_one():
    """With dynamic=True the first graph treats sizes as symbols, but sizes 0 and 1 are always specialised (broadcasting and empty tensors behave differently there), so each of them compiles a graph of its own, once.

    Hint: write down how many graphs exist after each call.
    """
    graphs = []

    def counting_backend(gm, example_inputs):
        graphs.append(gm)
        return gm.forward

    double = torch.compile(lambda x: x * 2, backend=counting_backend, dynamic=True)
    counts = []
    for size in (5, 7, 1, 9, 1):
        double(torch.ones(size))
        counts.append(len(graphs))
    assert counts == [1, 1, 2, 2, 2]
