"""The cost of layout: views are free, but making a non-contiguous tensor contiguous copies every element."""

import torch
from torch.utils._python_dispatch import TorchDispatchMode

from kata import __


class AtenLog(TorchDispatchMode):
    """Records the name of every aten operator that runs inside the with block."""

    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.append(func.overloadpacket.__name__)
        return func(*args, **(kwargs or {}))


def test_making_a_transposed_tensor_contiguous_copies_it(benchmark):
    """x.t() is free, one operator that makes a view with swapped strides, but .contiguous() on it must copy all 65536 elements into new row-major memory (by cloning), and that copy is what the benchmark times; on a tensor that is already contiguous it runs no operator at all.

    Hint: list the aten operators each line runs, in order; a view op and a copy op.
    """
    x = torch.arange(256 * 256, dtype=torch.float32).reshape(256, 256)
    with AtenLog() as log:
        x.contiguous()
        x.t().contiguous()
    assert log.ops == __
    y = benchmark(lambda: x.t().contiguous())
    assert y[0, 1].item() == __
