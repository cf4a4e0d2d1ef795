"""Meta tensors and FakeTensors: running ops for their shapes, without any data."""

import pytest
import torch
from torch._subclasses.fake_tensor import (
    DataDependentOutputException,
    DynamicOutputShapeException,
    FakeTensor,
    FakeTensorMode,
)
from torch.fx.experimental.symbolic_shapes import ShapeEnv

from kata import __, raises


def test_meta_tensors_compute_shapes():
    """Ops on meta tensors run only the shape and dtype logic of each operator, so a product of any size costs nothing.

    Hint: a matrix product keeps the outer sizes of its operands.
    """
    a = torch.ones(2, 3, device="meta")
    b = torch.ones(3, 5, device="meta")
    assert (a @ b).shape == (2, 5)


def test_meta_tensors_have_no_values():
    """A meta tensor owns no memory, so copying its values out is not implemented for it.

    Hint: the exception is Python's built-in for a missing implementation, a subclass of RuntimeError.
    """
    t = torch.ones(2, 3, device="meta")
    with pytest.raises(Exception) as info:
        t.tolist()
    assert info.type is NotImplementedError


def test_meta_tensors_do_not_mix_with_real_ones():
    """A meta tensor and a CPU tensor cannot meet in one op, but the check that refuses them is the meta kernels' own: it compares each operand with the device the op was dispatched for (the first tensor's), a different check and message from the one two real devices such as cuda and cpu meet.

    Hint: the message names the stray operand's device and the device it expected; which of the two was expected here?
    """
    with raises(RuntimeError, match="not on the expected device meta"):
        torch.ones(2, device="meta") + torch.ones(2)


def test_meta_device_context_builds_empty_modules():
    """Inside `with torch.device("meta"):` factory calls, including those in a module's __init__, default to the meta device, so huge models can be built instantly.

    Hint: nn.Linear stores its weight as (out_features, in_features); the bias has one entry per output.
    """
    with torch.device("meta"):
        layer = torch.nn.Linear(1000, 10)
    assert layer.weight.is_meta
    assert (layer.weight.shape, layer.bias.shape) == ((10, 1000), (10,))


def test_meta_module_shapes_through_a_conv():
    """A module on the meta device accepts meta inputs and reports the output shape, here of a stride-2 3x3 convolution.

    Hint: count how many positions a 3-wide window can start at in 9 cells, stepping 2 at a time.
    """
    conv = torch.nn.Conv2d(3, 8, 3, stride=2, device="meta")
    out = conv(torch.empty(1, 3, 9, 9, device="meta"))
    assert out.shape == (1, 8, 4, 4)


def test_to_empty_materializes_a_meta_module():
    """module.to_empty(device=...) gives a meta module real, uninitialized storage on a device; the values must be initialized afterwards.

    Hint: after to_empty, fill the weight and read it back.
    """
    with torch.device("meta"):
        layer = torch.nn.Linear(2, 2)
    layer.to_empty(device=torch.ones(1).device)
    with torch.no_grad():
        layer.weight.fill_(3.0)
    assert layer.weight.device.type == "cpu"
    assert layer.weight.sum().item() == 12.0


def test_fake_tensor_pretends_to_be_on_a_device():
    """FakeTensorMode.from_tensor makes a FakeTensor: a real torch.Tensor subclass with the original's shape, dtype and device, but meta storage behind it.

    Hint: it reports the device of the tensor it was made from.
    """
    mode = FakeTensorMode()
    fake = mode.from_tensor(torch.arange(6.0).reshape(2, 3))
    assert isinstance(fake, FakeTensor)
    assert fake.device.type == "cpu"
    assert fake.shape == (2, 3)


def test_fake_mode_can_make_cuda_tensors_without_a_gpu():
    """Under FakeTensorMode factory calls return FakeTensors, and a fake device is only a label, so even a CUDA tensor can be created on a CPU-only machine.

    Hint: nothing is allocated, so nothing checks for a GPU.
    """
    with FakeTensorMode():
        t = torch.empty(3, device="cuda")
    assert t.device.type == "cuda"


def test_fake_tensor_ops_propagate_shapes():
    """Ops inside FakeTensorMode run on FakeTensors and return FakeTensors with the right shape.

    Hint: the product of a matrix with its own transpose is square.
    """
    mode = FakeTensorMode()
    fake = mode.from_tensor(torch.ones(2, 3))
    with mode:
        out = fake @ fake.t()
    assert type(out) is FakeTensor
    assert out.shape == (2, 2)


def test_without_a_shape_env_data_dependent_shapes_cannot_be_faked():
    """The number of results of nonzero depends on the values, which a FakeTensor does not have; a FakeTensorMode without a ShapeEnv has no way to name an unknown size, so it raises its own subclass of RuntimeError.

    Hint: the exception is named for an output shape that is dynamic.
    """
    mode = FakeTensorMode()
    fake = mode.from_tensor(torch.tensor([0, 1, 2]))
    with pytest.raises(RuntimeError) as info:
        with mode:
            fake.nonzero()
    assert info.type is DynamicOutputShapeException


def test_without_a_shape_env_item_of_a_fake_tensor_is_refused():
    """.item() needs the actual value; a FakeTensorMode without a ShapeEnv cannot stand in for it, so it raises an exception named for an output that depends on data.

    Hint: one of the two exceptions imported at the top, the one not about shapes.
    """
    mode = FakeTensorMode()
    fake = mode.from_tensor(torch.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError) as info:
        with mode:
            fake.sum().item()
    assert info.type is DataDependentOutputException


def test_a_shape_env_names_an_unknown_size():
    """With a ShapeEnv, FakeTensorMode gives a data-dependent size a fresh unbacked symbol (u0, u1, ...: "unbacked" because no real value stands behind it), so nonzero succeeds; this is how torch.compile and torch.export trace such ops.

    Hint: nonzero of a 1-d input returns one row per nonzero element and one column per input dimension.
    """
    mode = FakeTensorMode(shape_env=ShapeEnv())
    fake = mode.from_tensor(torch.tensor([0, 1, 2]))
    with mode:
        out = fake.nonzero()
    assert type(out.shape[0]) is torch.SymInt
    assert out.shape[1] == 1
    assert str(out.shape[0])[0] == "u"


def test_a_shape_env_turns_item_into_a_symbol():
    """With a ShapeEnv, .item() of an integer FakeTensor returns an unbacked SymInt instead of raising, which code can then use as a size; torch.compile's capture_scalar_outputs keeps .item() in the graph this way.

    Hint: the size built from the symbol is itself a symbol, not a number.
    """
    mode = FakeTensorMode(shape_env=ShapeEnv())
    fake = mode.from_tensor(torch.tensor([1, 2]))
    with mode:
        n = fake.sum().item()
        out = torch.empty(n, 3)
    assert type(n) is torch.SymInt
    assert type(out.shape[0]) is torch.SymInt
    assert out.shape[1] == 3
