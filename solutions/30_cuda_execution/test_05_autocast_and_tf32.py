"""Autocast and TF32 on the GPU: which dtype each op runs in, and the float32 matmul precision settings."""

import os

import pytest
import torch

from kata import __, raises

pytestmark = pytest.mark.cuda

DEVICE = "cuda"

# Read once, at collection: TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 lets every float32 matmul use TF32.
TF32_OVERRIDE = os.environ.get("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "0") not in ("", "0")


def test_autocast_cuda_has_a_default_lower_precision_dtype():
    """torch.autocast("cuda") without a dtype runs matmuls in the 16-bit float dtype
    that every CUDA GPU supports, the GPU's default lower-precision dtype.

    Hint: not the CPU default.
    """
    a = torch.ones(4, 4, device=DEVICE)
    with torch.autocast("cuda"):
        product = a @ a
    assert product.dtype == torch.float16


def test_autocast_cuda_can_use_another_dtype():
    """Passing a dtype makes autocast cast matmul inputs to that dtype instead, on GPUs that
    support it.

    Hint: the requested dtype.
    """
    a = torch.ones(4, 4, device=DEVICE)
    with torch.autocast("cuda", dtype=torch.bfloat16):
        product = a @ a
    assert product.dtype == torch.bfloat16


def test_autocast_cuda_runs_softmax_in_full_precision():
    """softmax is on CUDA autocast's list of ops that run in full precision: even a float16 input is cast up and the
    result comes out in single precision.

    Hint: that list holds ops that lose accuracy in 16-bit floats.
    """
    a = torch.ones(4, 4, device=DEVICE)
    with torch.autocast("cuda"):
        half = a @ a
        probabilities = torch.softmax(half, dim=-1)
    assert half.dtype == torch.float16
    assert probabilities.dtype == torch.float32


def test_matmul_does_not_mix_dtypes_outside_autocast():
    """Outside autocast a matrix product does not promote: float16 times float32 raises an error
    saying what both operands must share, which is the chore autocast takes over.

    Hint: the message names what the two operands must share.
    """
    a = torch.ones(4, 4, device=DEVICE)
    with raises(RuntimeError, match="same dtype"):
        a.half() @ a


def test_binary_cross_entropy_is_banned_under_autocast():
    """binary_cross_entropy on probabilities is numerically unsafe in float16, so under CUDA
    autocast it raises an error saying why it is refused (use binary_cross_entropy_with_logits).

    Hint: three words of the message.
    """
    p = torch.full((4,), 0.5, device=DEVICE)
    target = torch.ones(4, device=DEVICE)
    with torch.autocast("cuda"):
        with raises(RuntimeError, match="unsafe to autocast"):
            torch.nn.functional.binary_cross_entropy(p, target)


@pytest.mark.skipif(TF32_OVERRIDE, reason="TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 is set: float32 matmuls may use TF32")
def test_float32_matmuls_keep_full_precision_by_default():
    """Since PyTorch 1.12, float32 matrix products on Ampere and newer GPUs do not use TF32 unless
    asked: torch.backends.cuda.matmul.allow_tf32 starts out unset, and
    torch.get_float32_matmul_precision(), which names the same setting, keeps full float32
    ("high" would allow TF32).

    Hint: torch.set_float32_matmul_precision's docstring names the three levels; pick the one that
    never trades accuracy for speed.
    """
    assert torch.backends.cuda.matmul.allow_tf32 == False
    assert torch.get_float32_matmul_precision() == "highest"


def test_tf32_for_cudnn_is_on_by_default():
    """cuDNN convolutions, unlike matmuls, are allowed to use TF32 by default:
    torch.backends.cudnn.allow_tf32 starts out set.

    Hint: the opposite of the matmul default.
    """
    assert torch.backends.cudnn.allow_tf32 == True
