"""make_fx: tracing a function at the aten level, below the Python API that symbolic_trace records."""

import torch
import torch.nn.functional as F
from torch.fx.experimental.proxy_tensor import make_fx

from kata import __, raises

aten = torch.ops.aten


def call_targets(gm):
    return [node.target for node in gm.graph.nodes if node.op == "call_function"]


def test_symbolic_trace_records_the_python_calls():
    """torch.fx.symbolic_trace feeds Proxy objects through the Python code, so each node is one Python-level call as written: a torch function is a call_function node, a Tensor method a call_method node, whatever either does underneath.

    Hint: one node per argument, one per call in the body (in order), one for the return.
    """

    def project(x, w):
        return F.linear(x, w).relu()

    gm = torch.fx.symbolic_trace(project)
    assert [node.op for node in gm.graph.nodes] == ["placeholder", "placeholder", "call_function", "call_method", "output"]
    assert call_targets(gm) == [F.linear]


def test_make_fx_records_the_aten_ops_that_run():
    """make_fx runs the function on tensors that record every aten overload reaching __torch_dispatch__, so a call that decomposes above autograd shows up as the ops it decomposes into; for F.linear on 3-d input those include reshapes around the matrix product.

    Hint: a matrix product wants 2-d operands, so the batch dimensions are folded away first (and restored at the end); the weight is transposed in between, and the bias is fused into the product.
    """

    def project(x, w, b):
        return F.linear(x, w, b)

    gm = make_fx(project)(torch.ones(2, 5, 3), torch.ones(4, 3), torch.ones(4))
    # The last op restores the batch dimensions (a view; which view op varies by release).
    assert call_targets(gm)[:3] == [aten.view.default, aten.t.default, aten.addmm.default]


def test_a_factory_call_is_frozen_by_symbolic_trace():
    """symbolic_trace sees only Proxies; a factory call with no Proxy argument runs once while tracing and its result is stored on the module as a constant, read by a node of its own kind.

    Hint: the stored constant is an attribute of the GraphModule, and one node fetches it before the add uses it.
    """

    def noisy(x):
        return x + torch.rand(3)

    gm = torch.fx.symbolic_trace(noisy)
    assert [node.op for node in gm.graph.nodes] == ["placeholder", "get_attr", "call_function", "output"]


def test_a_factory_call_is_a_node_under_make_fx():
    """make_fx intercepts every aten call, factory functions included, so the same factory call becomes an operator node and runs again each time the graph runs.

    Hint: the factory is an aten op whose name matches the Python function, with the plain overload.
    """

    def noisy(x):
        return x + torch.rand(3)

    gm = make_fx(noisy)(torch.ones(3))
    assert call_targets(gm) == [aten.rand.default, aten.add.Tensor]


def test_real_tracing_bakes_sizes_into_the_graph():
    """With the default tracing_mode="real" every size is a plain int while tracing, so a size the code reads becomes a constant argument of the node that used it.

    Hint: the node's args are what the factory received during tracing.
    """

    def add_ones(x):
        return x + torch.ones(x.shape[0])

    gm = make_fx(add_ones)(torch.ones(3))
    ones = next(node for node in gm.graph.nodes if node.target is aten.ones.default)
    assert ones.args == ([3],)
    with raises(RuntimeError, match=r"must match the size of tensor b \(3\)"):
        gm(torch.ones(5))


def test_symbolic_tracing_keeps_sizes_as_nodes():
    """With tracing_mode="symbolic" sizes are SymInts, so reading x.shape[0] records an operator of its own that the factory's argument then refers to.

    Hint: the op that reads one size of a tensor is aten.sym_size, and its overload takes the dimension as an int.
    """

    def add_ones(x):
        return x + torch.ones(x.shape[0])

    gm = make_fx(add_ones, tracing_mode="symbolic")(torch.ones(3))
    assert call_targets(gm)[0] == aten.sym_size.int
    assert gm(torch.ones(5)).tolist() == [2.0, 2.0, 2.0, 2.0, 2.0]


def test_every_node_carries_its_output_as_a_fake_tensor():
    """make_fx stores each node's result in node.meta["val"], a data-less stand-in with the output's shape, dtype and device (made by a fake mode, like the ones in chapter 25); compilers read shapes from it.

    Hint: the node is the transpose of the (4, 3) weight.
    """

    def project(x, w):
        return F.linear(x, w)

    gm = make_fx(project, tracing_mode="fake")(torch.ones(2, 3), torch.ones(4, 3))
    val = next(node for node in gm.graph.nodes if node.target is aten.t.default).meta["val"]
    assert type(val).__name__ == "FakeTensor"
    assert val.shape == (3, 4)


def test_symbolic_vals_hold_symints_that_relate_the_sizes():
    """Under tracing_mode="symbolic" each input size is a fresh symbol, and every output size is an expression in those symbols; sizes the code forces equal share one symbol.

    Hint: x @ w.t() forces x's columns to equal w's columns; count the distinct symbols among all four input sizes.
    """

    def project(x, w):
        return x @ w.t()

    gm = make_fx(project, tracing_mode="symbolic")(torch.ones(2, 3), torch.ones(4, 3))
    sizes = [s for node in gm.graph.nodes if node.op == "placeholder" for s in node.meta["val"].shape]
    assert type(sizes[0]) is torch.SymInt
    assert len({str(s) for s in sizes}) == 3


def test_tracing_refuses_to_branch_on_a_value():
    """A traced graph is straight-line code, so Python control flow that needs a tensor's value cannot be recorded; even real tracing refuses instead of freezing one branch, naming the aten op that would copy the value out.

    Hint: the op that turns a one-element tensor into a Python number.
    """

    def clipped(x):
        if x.sum() > 0:
            return x - 1
        return x

    with raises(RuntimeError, match="_local_scalar_dense"):
        make_fx(clipped)(torch.ones(2))
