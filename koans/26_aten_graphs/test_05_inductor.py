"""Inductor: the code torch.compile generates, and which ops it fuses into one kernel (needs a C++ compiler; each koan compiles for seconds the first time)."""

import os
import pathlib
import re

# Inductor caches compiled kernels and graphs on disk.  Put that cache in the
# checkout's pytest cache (ignored by git) before the first compile, so that a
# rerun of these koans loads the kernels instead of calling the C++ compiler
# again (about 20 s per cold compile on a small machine, well under 1 s warm).
os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(pathlib.Path(__file__).resolve().parents[2] / ".pytest_cache" / "inductor"))

import pytest  # noqa: E402
import torch  # noqa: E402
from torch._inductor.utils import run_and_get_code  # noqa: E402

from kata import __  # noqa: E402

pytestmark = pytest.mark.compiler


def generated(fn, *args):
    """Compile fn with Inductor, run it once, and return (result, the generated Python module's source)."""
    result, sources = run_and_get_code(torch.compile(fn), *args)
    return result, "\n".join(sources)


def kernels(code):
    """The distinct C++ kernels the generated module defines and calls."""
    return sorted(set(re.findall(r"\bcpp_fused_\w+", code)))


def test_a_chain_of_pointwise_ops_becomes_one_kernel():
    """Inductor groups ops that read and write element by element over the same range into one loop, so a chain of them costs one pass over memory; on CPU each group is a C++ function named cpp_fused_<ops>_<n>.

    Hint: every op here is pointwise over the same four elements.
    """
    out, code = generated(lambda x: (x * 2).sin().cos(), torch.zeros(4))
    assert len(kernels(code)) == __
    assert out.tolist() == __


def test_a_matmul_is_an_extern_call_that_splits_the_fusion():
    """A matrix product is not generated but handed to a library routine (extern_kernels.mm on CPU), and a fused kernel cannot span it, so the pointwise work before and after it lands in separate kernels.

    Hint: one kernel may run before the library call and one after it.
    """
    x, w = torch.zeros(2, 2), torch.eye(2)
    out, code = generated(lambda x, w: (x.sin() @ w).cos(), x, w)
    assert "extern_kernels.mm" in code
    assert len(kernels(code)) == __


def test_two_outputs_from_one_read_share_a_kernel():
    """Fusion is not only a chain: two pointwise results computed from the same input over the same range are written by one loop that reads the input once.

    Hint: both outputs come from one pass over x.
    """
    (s, c), code = generated(lambda x: (x.sin(), x.cos()), torch.zeros(3))
    assert len(kernels(code)) == __
    assert (s.tolist(), c.tolist()) == __
