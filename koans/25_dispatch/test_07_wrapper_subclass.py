"""Wrapper tensor subclasses: a tensor that holds another tensor and handles every aten op itself, the design behind FakeTensor and DTensor."""

import torch
from torch._subclasses.fake_tensor import FakeTensor, FakeTensorMode
from torch.utils._pytree import tree_map

from kata import __, raises

aten = torch.ops.aten


class LoggingTensor(torch.Tensor):
    """Wraps a real tensor `elem`, logs each aten op that reaches it, runs the op on the unwrapped tensors and wraps the results again."""

    @staticmethod
    def __new__(cls, elem, requires_grad=False):
        # A wrapper has the metadata it is given here, and no data of its own.
        t = torch.Tensor._make_wrapper_subclass(
            cls, elem.shape, dtype=elem.dtype, device=elem.device, requires_grad=requires_grad)
        t.elem = elem
        return t

    log = []

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        cls.log.append(func)
        unwrap = lambda a: a.elem if isinstance(a, LoggingTensor) else a  # noqa: E731
        out = func(*tree_map(unwrap, args), **tree_map(unwrap, kwargs or {}))
        return tree_map(lambda a: LoggingTensor(a) if isinstance(a, torch.Tensor) else a, out)


class ShardedTensor(torch.Tensor):
    """Claims the shape of the whole tensor while holding one shard of it, as DTensor does on each rank."""

    @staticmethod
    def __new__(cls, shard, num_shards):
        t = torch.Tensor._make_wrapper_subclass(
            cls, (shard.shape[0] * num_shards, *shard.shape[1:]), dtype=shard.dtype, device=shard.device)
        t.shard = shard
        return t

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        raise NotImplementedError(f"ShardedTensor has no rule for {func}")


def test_the_wrapper_sees_every_aten_op():
    """Because the wrapper carries the Python key, each aten op on it calls __torch_dispatch__ with the op's overload; the wrapper decides what really runs.

    Hint: one overload per arithmetic operator, in order; a Python number is wrapped as a tensor operand.
    """
    LoggingTensor.log.clear()
    t = LoggingTensor(torch.tensor([1.0, 2.0]))
    (t - 1) * 3
    assert LoggingTensor.log == __


def test_results_are_wrapped_again():
    """__torch_dispatch__ returns whatever it likes; this one rewraps every tensor result, so computing with a LoggingTensor keeps producing LoggingTensors, and the real values live inside.

    Hint: the inner tensor did the arithmetic.
    """
    t = LoggingTensor(torch.tensor([1.0, 2.0]))
    out = (t - 1) * 3
    assert type(out) is __
    assert out.elem.tolist() == __


def test_item_dispatches_but_tolist_does_not():
    """.item() is an aten op (_local_scalar_dense) and so reaches __torch_dispatch__; .tolist() and .numpy() read the tensor's memory directly without any aten op, so a subclass cannot intercept them and torch refuses them for subclasses.

    Hint: the message says .tolist() is not supported for a kind of tensor.
    """
    t = LoggingTensor(torch.tensor([1.0, 2.0]))
    LoggingTensor.log.clear()
    assert t.sum().item() == __
    assert LoggingTensor.log == [aten.sum.default, __]
    with raises(RuntimeError, match=__):
        t.tolist()


def test_autograd_runs_above_the_wrapper():
    """Autograd sits above the Python key: a wrapper created with requires_grad records backward nodes as usual, and the backward pass runs aten ops too, on wrapped gradients, so the gradient is a wrapper as well.

    Hint: d(x * x)/dx = 2x, computed inside the wrapper.
    """
    x = LoggingTensor(torch.tensor([1.0, 2.0]), requires_grad=True)
    (x * x).sum().backward()
    assert type(x.grad) is __
    assert x.grad.elem.tolist() == __


def test_the_forward_log_holds_no_autograd_op():
    """Autograd runs above the Python key and records its nodes without calling any aten op, so the forward pass logs only the computation; the gradient's ops arrive at backward time.

    Hint: count the ops logged by the forward pass alone.
    """
    x = LoggingTensor(torch.tensor([1.0, 2.0]), requires_grad=True)
    LoggingTensor.log.clear()
    loss = (x * x).sum()
    forward_ops = len(LoggingTensor.log)
    loss.backward()
    assert forward_ops == __
    assert len(LoggingTensor.log) > forward_ops


def test_a_wrapper_reports_whatever_metadata_it_was_given():
    """_make_wrapper_subclass takes the wrapper's shape, dtype and device as arguments; they need not match the inner tensor, which is how DTensor reports the global shape on every rank while each rank holds a shard.

    Hint: the wrapper claims four shards' worth of rows.
    """
    t = ShardedTensor(torch.ones(2, 3), num_shards=4)
    assert (t.shape, t.shard.shape) == __


def test_fake_tensor_is_a_wrapper_too():
    """FakeTensor is the same design: a torch.Tensor subclass whose __torch_dispatch__ runs every op on a meta tensor it holds, while reporting the device of the real tensor it stands for.

    Hint: the device it reports, then the device of the memory behind it.
    """
    fake = FakeTensorMode().from_tensor(torch.ones(2, 3))
    assert isinstance(fake, FakeTensor)
    assert (fake.device.type, fake.untyped_storage().device.type) == __
