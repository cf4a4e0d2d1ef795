"""TorchDispatchMode: watching the aten operators one Python call turns into."""

import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

from kata import __

aten = torch.ops.aten


class AtenLog(TorchDispatchMode):
    """Records every aten operator overload that reaches the dispatcher."""

    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.append(func)
        return func(*args, **(kwargs or {}))


def aten_ops(fn, *args):
    with AtenLog() as log:
        fn(*args)
    return log.ops


def test_linear_with_bias_is_transpose_then_addmm():
    """Below autograd, F.linear on 2-d input runs as a transpose of the weight followed by one fused multiply-add of bias + input @ weight.T.

    Hint: each logged func is an OpOverload, aten.<name>.<overload>, and an op's plain functional form is the overload `default`; the transpose is the one-letter op, the fused op joins add and mm.
    """
    x, w, b = torch.ones(2, 3), torch.ones(4, 3), torch.ones(4)
    assert aten_ops(F.linear, x, w, b) == [aten.t.default, aten.addmm.default]


def test_linear_without_bias_is_a_plain_matmul():
    """Without a bias there is nothing to add, so the matrix product is aten.mm.

    Hint: the transpose still comes first.
    """
    x, w = torch.ones(2, 3), torch.ones(4, 3)
    assert aten_ops(F.linear, x, w) == [aten.t.default, aten.mm.default]


def test_inplace_add_has_its_own_operator():
    """An in-place method is a separate aten operator whose name ends in an underscore; with a tensor-or-number other it uses the Tensor overload.

    Hint: aten.<name>.<overload>.
    """
    x = torch.ones(2)
    assert aten_ops(lambda: x.add_(1)) == [aten.add_.Tensor]


def test_python_number_becomes_a_tensor_argument():
    """x + 1 reaches the dispatcher as the Tensor overload of add: the Python number is wrapped into a 0-d tensor first.

    Hint: not the Scalar overload.
    """
    x = torch.ones(2)
    assert aten_ops(lambda: x + 1) == [aten.add.Tensor]


def test_reshape_views_when_it_can_and_copies_when_it_must():
    """reshape of a contiguous tensor is a view; of a non-contiguous one (such as a transpose) it clones and then views the copy.

    Hint: the second log starts with the transpose itself.
    """
    x = torch.ones(2, 3)
    assert aten_ops(lambda: x.reshape(6)) == [aten.view.default]
    assert aten_ops(lambda: x.t().reshape(6)) == [aten.t.default, aten.clone.default, aten._unsafe_view.default]


def test_item_dispatches_but_tolist_does_not():
    """.item() (and float(t), int(t)) reach the dispatcher as one aten operator that copies a single value out into a Python number, so a mode can see and intercept it; .tolist() and .numpy() read the tensor's memory directly, with no aten operator at all.

    Hint: the sum runs first in both; look for the operator whose name says it makes a local scalar from dense memory.
    """
    x = torch.ones(2)
    assert aten_ops(lambda: x.sum().item()) == [aten.sum.default, aten._local_scalar_dense.default]
    assert aten_ops(lambda: x.sum().tolist()) == [aten.sum.default]


def test_to_the_same_dtype_dispatches_nothing():
    """Tensor.to returns self when nothing would change, so no aten operator runs at all.

    Hint: a call that returns its input unchanged needs no kernel.
    """
    x = torch.ones(2)
    assert aten_ops(lambda: x.to(torch.float32)) == []


def test_dispatch_mode_swaps_the_overload_for_every_spelling():
    """A dispatch mode sees aten overloads, so swapping aten.add.Tensor catches torch.add, Tensor.add and `+` alike, but not the in-place aten.add_.Tensor.

    Hint: 5 + 2 becomes 5 - 2 except for the one in-place call.
    """

    class AddIsSub(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            if func is aten.add.Tensor:
                func = aten.sub.Tensor
            return func(*args, **(kwargs or {}))

    with AddIsSub():
        plus = torch.tensor([5]) + 2
        inplace = torch.tensor([5]).add_(2)
    assert plus.tolist() == [3]
    assert inplace.tolist() == [7]
