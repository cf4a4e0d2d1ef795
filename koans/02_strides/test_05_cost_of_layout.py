"""The cost of layout: views are free, but making a non-contiguous tensor contiguous copies every element."""

import torch

from kata import __


def test_making_a_transposed_tensor_contiguous_copies_it(benchmark):
    """x.t() is free, a view with swapped strides, but .contiguous() on it must copy all 65536 elements into new row-major memory, and that copy is what the benchmark times.

    Hint: y[0, 1] is the transposed x[1, 0]; the copy has ordinary strides for a 256x256 matrix.
    """
    x = torch.arange(256 * 256, dtype=torch.float32).reshape(256, 256)
    y = benchmark(lambda: x.t().contiguous())
    assert y.stride() == __
    assert y[0, 1].item() == __
