"""Mixed precision in a training step: what comes out of a torch.autocast region on the CPU, and what it does to the ops after it."""

import torch

from kata import __


@torch.autocast("cpu", dtype=torch.bfloat16)
def autocast_forward(a):
    return a @ a


def test_autocast_can_decorate_a_forward():
    """torch.autocast also works as a decorator, turning autocast on for every call of the function.

    Hint: a matmul under bfloat16 autocast, on float32 inputs.
    """
    out = autocast_forward(torch.ones(2, 2))
    assert out.dtype == torch.bfloat16


def test_results_stay_bfloat16_after_the_block():
    """Autocast does not convert results back when its block ends: a bfloat16 output stays bfloat16, and later ops see bfloat16 inputs.

    Hint: outside the block, relu simply follows its input's dtype.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = a @ a
    assert torch.relu(out).dtype == torch.bfloat16


def test_mixing_autocast_output_with_float32_promotes():
    """Ops on no autocast list run in the dtype their inputs promote to, and bfloat16 combined with float32 promotes to float32.

    Hint: a @ a is bfloat16, a is float32.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        s = a @ a + a
    assert s.dtype == torch.float32


def test_cpu_softmax_follows_its_input_dtype():
    """On the CPU, softmax is on neither of autocast's lists (CUDA's autocast puts it on the float32 list), so it keeps the dtype of its input: float32 stays float32, bfloat16 stays bfloat16.

    Hint: a is float32; a @ a is bfloat16.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        from_float = torch.softmax(a, dim=-1)
        from_bf16 = torch.softmax(a @ a, dim=-1)
    assert from_float.dtype == torch.float32
    assert from_bf16.dtype == torch.bfloat16
