"""Devices: which device a tensor lives on, what its index is, and what happens when devices are mixed."""

import pytest
import torch

from kata import __, raises

pytestmark = pytest.mark.cuda

DEVICE = "cuda"


def test_a_device_named_without_index_has_index_none():
    """torch.device("cuda") names the CUDA device type without choosing a GPU, so it carries no
    index; it means "the current CUDA device" when a tensor is created.

    Hint: no number was given.
    """
    assert torch.device("cuda").index == __


def test_a_tensor_device_always_has_an_index():
    """A tensor lives on one concrete GPU: created with device="cuda" it lands on the current
    device, which is GPU 0 unless changed.

    Hint: nothing here changed the current device.
    """
    x = torch.ones(2, device=DEVICE)
    assert x.device.index == __
    assert str(x.device) == __


def test_device_equality_compares_the_index_too():
    """Two torch.device objects are equal only when both type and index match, so "cuda" (index
    None) is not equal to "cuda:0".

    Hint: None is not 0.
    """
    assert (torch.device("cuda") == torch.device("cuda:0")) == __


def test_current_device_and_device_count():
    """torch.cuda.current_device() is the index new CUDA tensors go to by default, and
    torch.cuda.device_count() is how many GPUs this process can see.

    Hint: answer (current device, at least one GPU visible?).
    """
    assert (torch.cuda.current_device(), torch.cuda.device_count() >= 1) == __


def test_mixing_devices_raises():
    """An elementwise op on a CUDA tensor and a CPU tensor with dimensions is refused rather than
    copying the CPU operand over; PyTorch does copy implicitly in a few places (a 0-dim CPU tensor,
    next koan; a CPU index tensor used to index a CUDA tensor), but not for such an operand.

    Hint: the message says where it expected all tensors to be.
    """
    gpu = torch.ones(3, device=DEVICE)
    cpu = torch.ones(3)
    with raises(RuntimeError, match=__):
        gpu + cpu


def test_a_cpu_scalar_tensor_may_join_a_cuda_op():
    """One exception: a 0-dim CPU tensor is treated like a Python number and may take part in
    an op on CUDA tensors; the result is placed on the device of the operands with dimensions.

    Hint: which operand has dimensions? Name its device through that tensor.
    """
    gpu = torch.ones(3, device=DEVICE)
    result = gpu + torch.tensor(2.0)
    assert result.device == __
    assert result.tolist() == __


def test_to_the_same_device_returns_the_tensor_itself():
    """.to(device) returns the very same tensor when it is already there with the right dtype;
    only a real move makes a copy.

    Hint: answer (same object after .to("cuda"), same object after .to("cpu")).
    """
    x = torch.ones(2, device=DEVICE)
    assert (x.to("cuda") is x, x.to("cpu") is x) == __


def test_numpy_needs_a_cpu_tensor():
    """NumPy arrays live in host memory, so .numpy() on a CUDA tensor raises a TypeError telling
    you to copy the tensor with Tensor.cpu() first.

    Hint: the message says which conversion of a cuda:0 tensor it cannot do.
    """
    x = torch.ones(2, device=DEVICE)
    with raises(TypeError, match=__):
        x.numpy()


def test_legacy_type_string_names_the_device():
    """Tensor.type() with no argument returns the legacy type name, which for a GPU tensor names
    the torch submodule of its device type before the dtype's class name.

    Hint: the CPU one is "torch.FloatTensor".
    """
    x = torch.ones(2, device=DEVICE)
    assert x.type() == __
