"""Autocast on the CPU: which ops run in bfloat16, which stay in float32, and what happens to gradients."""

import torch

from kata import __


def test_autocast_runs_matmul_in_bfloat16():
    """Inside torch.autocast("cpu", dtype=torch.bfloat16), matrix products are on the lower-precision
    list: float32 inputs are cast and the result comes out in the autocast dtype.

    Hint: the autocast dtype chosen above.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        product = a @ a
    assert product.dtype == torch.bfloat16


def test_autocast_cpu_default_dtype():
    """torch.autocast("cpu") without a dtype uses the CPU's default lower-precision dtype, the one
    that keeps float32's exponent range.

    Hint: not float16.
    """
    with torch.autocast("cpu"):
        dtype = torch.get_autocast_dtype("cpu")
    assert dtype == torch.bfloat16


def test_autocast_leaves_elementwise_ops_alone():
    """Ops not on any autocast list, such as addition, run in the dtype of their inputs, so
    float32 inputs give a float32 result even inside autocast.

    Hint: autocast casts only the ops it has a list entry for.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        total = a + a
    assert total.dtype == torch.float32


def test_autocast_runs_linear_in_bfloat16():
    """nn.Linear calls the linear op, which is on the CPU lower-precision list like mm, so the
    module's output is bfloat16 even though its weight is float32.

    Hint: autocast casts copies of the inputs, never the module's parameters.
    """
    layer = torch.nn.Linear(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = layer(torch.ones(3, 2))
    assert out.dtype == torch.bfloat16
    assert layer.weight.dtype == torch.float32


def test_autocast_runs_mse_loss_in_float32():
    """Losses such as mse_loss are on the CPU float32 list: inside autocast even bfloat16 inputs
    are cast up and the loss comes out in float32.

    Hint: the float32 list exists for numerically sensitive reductions.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        half = a @ a
        loss = torch.nn.functional.mse_loss(half, half)
    assert half.dtype == torch.bfloat16
    assert loss.dtype == torch.float32


def test_autocast_ignores_float64_inputs():
    """Autocast casts only float32 (and lower-precision) inputs; float64 tensors are left alone, so
    a float64 matmul stays float64.

    Hint: autocast never lowers a dtype it was not asked to handle.
    """
    a = torch.ones(2, 2, dtype=torch.float64)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        product = a @ a
    assert product.dtype == torch.float64


def test_nested_autocast_can_disable_it():
    """An inner torch.autocast("cpu", enabled=False) turns autocast off for its block, so ops
    there run in their inputs' dtype.

    Hint: inside the inner block autocast is off.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        with torch.autocast("cpu", enabled=False):
            product = a @ a
    assert product.dtype == torch.float32


def test_gradients_match_the_parameter_dtype():
    """Autocast's casts are recorded by autograd, so backward casts the gradient back: a float32
    parameter gets a float32 .grad even when its forward ran in bfloat16.

    Hint: the gradient of a parameter always has the parameter's dtype.
    """
    layer = torch.nn.Linear(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = layer(torch.ones(3, 2))
    out.float().sum().backward()
    assert layer.weight.grad.dtype == torch.float32


def test_autocast_is_off_again_after_the_block():
    """Leaving the with block restores the previous autocast state for that device.

    Hint: ask torch.is_autocast_enabled("cpu") after the block.
    """
    with torch.autocast("cpu", dtype=torch.bfloat16):
        inside = torch.is_autocast_enabled("cpu")
    outside = torch.is_autocast_enabled("cpu")
    assert (inside, outside) == (True, False)
