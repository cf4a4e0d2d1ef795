"""pytest-benchmark: timing alternatives side by side with the benchmark fixture, while the koans check only facts.

Each benchmarked function runs once, and no timings table is printed, unless you ask for the
timings: `pytest koans/21_performance/test_04_benchmark_fixture.py --benchmark-enable`.
"""

import pytest
import torch

from kata import __, raises

# Few, short rounds: these koans compare speeds in pytest-benchmark's table, they do not assert them.
pytestmark = pytest.mark.benchmark(max_time=0.02, min_rounds=3, warmup=False)


@pytest.fixture(autouse=True)
def timings_only_when_asked(request):
    """Run each benchmarked function once, with no table at the end, unless --benchmark-enable is given."""
    if "benchmark" in request.fixturenames and not request.config.getoption("benchmark_enable", False):
        request.getfixturevalue("benchmark").disabled = True


def test_benchmark_returns_the_functions_result(benchmark):
    """The benchmark fixture calls the function you give it (with the arguments that follow) many
    times, and returns the result of a call.

    Hint: the fixture hands back what torch.sum returned.
    """
    x = torch.arange(16.0)
    result = benchmark(torch.sum, x)
    assert result.item() == __


@pytest.mark.benchmark(group="reduction")
def test_reducing_a_contiguous_tensor(benchmark):
    """Summing over dim 0 of a contiguous 8 x 8 tensor adds the rows, walking memory in the
    row-major order the tensor was laid out in.

    Hint: a stride counts the elements to the next index along its dimension; result[0] is the sum of column 0.
    """
    x = torch.arange(64.0).reshape(8, 8)
    result = benchmark(torch.sum, x, dim=0)
    assert x.stride() == __
    assert result[0].item() == __


@pytest.mark.benchmark(group="reduction")
def test_reducing_a_transposed_view(benchmark):
    """A transpose is a view that swaps the strides, so the same reduction walks memory with a
    stride; it is often slower but gives the column sums of the original.

    Hint: column 0 of the transpose is row 0 of x.
    """
    x = torch.arange(64.0).reshape(8, 8)
    xt = x.t()
    result = benchmark(torch.sum, xt, dim=0)
    assert xt.stride() == __
    assert result[0].item() == __


@pytest.mark.benchmark(group="inplace")
def test_in_place_op_returns_the_same_tensor(benchmark):
    """An in-place method such as mul_ modifies its tensor and returns that very tensor object,
    so no new storage is allocated on any round.

    Hint: identity, not equality.
    """
    x = torch.ones(1024)
    result = benchmark(x.mul_, 1.0)
    assert (result is x) == __


@pytest.mark.benchmark(group="inplace")
def test_out_of_place_op_allocates_new_storage(benchmark):
    """The out-of-place mul returns a new tensor with its own freshly allocated storage on every
    call, leaving x untouched.

    Hint: compare where the two tensors' data lives.
    """
    x = torch.ones(1024)
    result = benchmark(x.mul, 1.0)
    assert (result.data_ptr() == x.data_ptr()) == __


@pytest.mark.benchmark(group="grad_mode")
def test_inference_tensors_skip_version_counting(benchmark):
    """torch.inference_mode() goes further than no_grad: it also skips version counting and view
    tracking, so a tensor it creates has no version counter, and reading its _version raises a
    RuntimeError.

    Hint: the message says what inference tensors do not do with a version counter.
    """
    w = torch.ones(8, 8, requires_grad=True)

    def forward():
        with torch.inference_mode():
            return w @ w

    result = benchmark(forward)
    with raises(RuntimeError, match=__):
        result._version


@pytest.mark.benchmark(group="grad_mode")
def test_grad_mode_records_a_graph_on_every_call(benchmark):
    """With grad mode on and an input that requires grad, each call records a backward node, the
    work the inference-mode variant avoids; a 2-D matmul's node is named for the aten op that
    matmul calls for 2-D inputs.

    Hint: backward node names end in Backward0.
    """
    w = torch.ones(8, 8, requires_grad=True)
    result = benchmark(torch.matmul, w, w)
    assert type(result.grad_fn).__name__ == __


@pytest.mark.benchmark(group="threads")
def test_thread_count_does_not_change_the_result(benchmark):
    """torch.set_num_threads sets the intra-op thread pool size; an integer matrix product gives
    the same exact values with one thread as with several.

    Hint: each entry is the dot product of a row of x with a column of x.
    """
    x = torch.ones(8, 8, dtype=torch.int64)
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        result = benchmark(torch.mm, x, x)
        threads = torch.get_num_threads()
    finally:
        torch.set_num_threads(before)
    assert threads == 1
    assert result[0, 0].item() == __
