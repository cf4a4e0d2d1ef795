"""A C++ operator: compiled with cpp_extension.load_inline, registered with TORCH_LIBRARY, given a fake kernel and autograd from Python (needs a C++ compiler and ninja; the first koan compiles for about a minute, once per checkout)."""

import functools
import pathlib

import pytest
import torch
from torch._subclasses.fake_tensor import FakeTensorMode, UnsupportedOperatorException
from torch.utils.cpp_extension import is_ninja_available, load_inline

from kata import __, raises

pytestmark = [pytest.mark.compiler, pytest.mark.skipif(not is_ninja_available(), reason="cpp_extension needs ninja")]

CPP_SOURCE = r"""
#include <ATen/ATen.h>
#include <torch/library.h>

// out[i] = x[i] * k, for a float32 tensor on the CPU.
at::Tensor scale_cpu(const at::Tensor& x, double k) {
  at::Tensor xc = x.contiguous();
  at::Tensor out = at::empty_like(xc);
  const float* in = xc.data_ptr<float>();
  float* o = out.data_ptr<float>();
  for (int64_t i = 0; i < xc.numel(); ++i) {
    o[i] = in[i] * static_cast<float>(k);
  }
  return out;
}

// The schemas: what the dispatcher knows about each operator.
TORCH_LIBRARY(kata_cpp, m) {
  m.def("scale(Tensor x, float k) -> Tensor");
  m.def("scale_eager_only(Tensor x, float k) -> Tensor");
}

// The kernels, for the CPU dispatch key only.
TORCH_LIBRARY_IMPL(kata_cpp, CPU, m) {
  m.impl("scale", &scale_cpu);
  m.impl("scale_eager_only", &scale_cpu);
}
"""


@functools.cache
def cpp_ops():
    """Build (or load the cached build of) the extension, then add scale's fake kernel and autograd formula from Python."""
    # The build lives in the checkout's pytest cache (ignored by git): load_inline
    # recompiles only when the source changes, so a rerun loads the library in
    # milliseconds instead of compiling for a minute.  One folder per torch version:
    # a library built against one release must not be loaded by another.
    build = pathlib.Path(__file__).resolve().parents[2] / ".pytest_cache" / "cpp_extensions" / f"kata_cpp-torch{torch.__version__}"
    build.mkdir(parents=True, exist_ok=True)
    if not hasattr(torch.ops.kata_cpp, "scale"):
        load_inline(name="kata_cpp", cpp_sources=CPP_SOURCE, is_python_module=False, build_directory=str(build))
    if not torch._C._dispatch_has_kernel_for_dispatch_key("kata_cpp::scale", "Meta"):
        torch.library.register_fake("kata_cpp::scale", lambda x, k: torch.empty_like(x))

        def setup_context(ctx, inputs, output):
            ctx.k = inputs[1]

        torch.library.register_autograd(
            "kata_cpp::scale", lambda ctx, grad: (grad * ctx.k, None), setup_context=setup_context)
    return torch.ops.kata_cpp


def kernel_keys(name):
    """The dispatch keys, among a few, for which operator `name` has a kernel of its own."""
    return [key for key in ("CPU", "Meta", "CompositeImplicitAutograd")
            if torch._C._dispatch_has_kernel_for_dispatch_key(name, key)]


def test_a_cpp_op_is_called_like_any_other():
    """TORCH_LIBRARY(ns, m) defines operators in the dispatcher when the shared library is loaded, so they are reachable as torch.ops.ns.name with no Python binding code; a schema's float is a C++ double.

    Hint: the kernel multiplies each element by k.
    """
    ops = cpp_ops()
    assert ops.scale(torch.tensor([1.0, 2.0]), 0.5).tolist() == [0.5, 1.0]


def test_the_schema_checks_arguments_before_the_kernel_runs():
    """The dispatcher converts Python arguments to the schema's types before calling any kernel, so a wrong argument type is refused with the argument's name and its declared type, whatever the kernel would have done.

    Hint: the message says which type argument k expected.
    """
    ops = cpp_ops()
    with raises(RuntimeError, match="Expected a value of type 'float' for argument 'k'"):
        ops.scale(torch.ones(2), "three")


def test_the_kernel_checks_what_the_schema_cannot():
    """A schema says Tensor, not which dtype; the kernel's data_ptr<float>() checks the dtype at run time, naming the expected and the found scalar type in c10's spelling.

    Hint: c10 names each dtype after its C type, capitalised: float32 is a C float, int64 a C long.
    """
    ops = cpp_ops()
    with raises(RuntimeError, match="expected scalar type Float but found Long"):
        ops.scale(torch.ones(2, dtype=torch.int64), 2.0)


def test_register_fake_adds_a_meta_kernel():
    """TORCH_LIBRARY_IMPL(ns, CPU, m) registers kernels for the CPU key only; torch.library.register_fake on such an op adds a kernel for the Meta key, which meta tensors and FakeTensorMode then use.

    Hint: only scale was given a fake kernel from Python.
    """
    cpp_ops()
    assert kernel_keys("kata_cpp::scale_eager_only") == ["CPU"]
    assert kernel_keys("kata_cpp::scale") == ["CPU", "Meta"]


def test_without_a_fake_kernel_fake_mode_gives_up():
    """A C++ kernel cannot run on FakeTensors, and FakeTensorMode has no Meta kernel or decomposition for an op nobody gave one, so it raises its own exception for an operator it does not support.

    Hint: one of the exceptions imported at the top of this lesson.
    """
    ops = cpp_ops()
    with FakeTensorMode():
        fake_out = ops.scale(torch.ones(4, 5), 2.0)
        with pytest.raises(Exception) as info:
            ops.scale_eager_only(torch.ones(4, 5), 2.0)
    assert fake_out.shape == (4, 5)
    assert info.type is UnsupportedOperatorException


def test_a_python_formula_differentiates_a_cpp_kernel():
    """torch.library.register_autograd works for any operator, wherever its kernels come from: the C++ kernel computes the forward, the Python formula the backward.

    Hint: the derivative of k * x with respect to x.
    """
    ops = cpp_ops()
    x = torch.ones(2, requires_grad=True)
    ops.scale(x, 4.0).sum().backward()
    assert x.grad.tolist() == [4.0, 4.0]


def test_compile_traces_the_cpp_op_through_its_fake_kernel():
    """With a fake kernel, torch.compile can trace a C++ op into its graph as one opaque node, and the compiled code calls the C++ kernel at run time.

    Hint: count the call nodes: the op and the addition after it.
    """
    ops = cpp_ops()
    graphs = []

    def keep(gm, example_inputs):
        graphs.append(gm)
        return gm.forward

    out = torch.compile(lambda x: ops.scale(x, 3.0) + 1, backend=keep, fullgraph=True)(torch.ones(2))
    assert len([node for node in graphs[0].graph.nodes if node.op == "call_function"]) == 2
    assert out.tolist() == [4.0, 4.0]
