"""Autocast and TF32 on the GPU: which dtype each op runs in, and the float32 matmul precision settings."""

import pytest
import torch

from kata import __

pytestmark = pytest.mark.cuda

DEVICE = "cuda"


def test_autocast_cuda_defaults_to_float16():
    """torch.autocast("cuda") without a dtype runs matmuls in float16, the GPU's default
    lower-precision dtype.

    Hint: not the CPU default.
    """
    a = torch.ones(4, 4, device=DEVICE)
    with torch.autocast("cuda"):
        product = a @ a
    assert product.dtype == torch.float16


def test_autocast_cuda_can_use_bfloat16():
    """dtype=torch.bfloat16 makes autocast cast matmul inputs to bfloat16 instead, on GPUs that
    support it.

    Hint: the requested dtype.
    """
    a = torch.ones(4, 4, device=DEVICE)
    with torch.autocast("cuda", dtype=torch.bfloat16):
        product = a @ a
    assert product.dtype == torch.bfloat16


def test_autocast_cuda_runs_softmax_in_float32():
    """softmax is on the CUDA autocast float32 list: even a float16 input is cast up and the
    result comes out in float32.

    Hint: the float32 list holds ops that lose accuracy in float16.
    """
    a = torch.ones(4, 4, device=DEVICE)
    with torch.autocast("cuda"):
        half = a @ a
        probabilities = torch.softmax(half, dim=-1)
    assert half.dtype == torch.float16
    assert probabilities.dtype == torch.float32


def test_matmul_does_not_mix_dtypes_outside_autocast():
    """Outside autocast a matrix product does not promote: float16 times float32 raises an error
    saying both operands must have the same dtype, which is the chore autocast takes over.

    Hint: the message names what the two operands must share.
    """
    a = torch.ones(4, 4, device=DEVICE)
    with pytest.raises(RuntimeError, match="same dtype"):
        a.half() @ a


def test_binary_cross_entropy_is_banned_under_autocast():
    """binary_cross_entropy on probabilities is numerically unsafe in float16, so under CUDA
    autocast it raises an error calling it unsafe to autocast (use binary_cross_entropy_with_logits).

    Hint: three words of the message.
    """
    p = torch.full((4,), 0.5, device=DEVICE)
    target = torch.ones(4, device=DEVICE)
    with torch.autocast("cuda"):
        with pytest.raises(RuntimeError, match="unsafe to autocast"):
            torch.nn.functional.binary_cross_entropy(p, target)


def test_tf32_for_matmul_is_off_by_default():
    """Since PyTorch 1.12, float32 matrix products on Ampere and newer GPUs do not use TF32
    unless torch.backends.cuda.matmul.allow_tf32 is set.

    Hint: nothing in this koan set it.
    """
    assert torch.backends.cuda.matmul.allow_tf32 == False


def test_tf32_for_cudnn_is_on_by_default():
    """cuDNN convolutions, unlike matmuls, are allowed to use TF32 by default:
    torch.backends.cudnn.allow_tf32 starts out set.

    Hint: the opposite of the matmul default.
    """
    assert torch.backends.cudnn.allow_tf32 == True


def test_float32_matmul_precision_starts_at_highest():
    """torch.get_float32_matmul_precision() names the internal precision of float32 matmuls;
    "high" would allow TF32, and the default keeps full float32.

    Hint: of "highest", "high" and "medium", pick the one that never trades accuracy for speed.
    """
    assert torch.get_float32_matmul_precision() == "highest"
