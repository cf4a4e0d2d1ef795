"""Autocast on the CPU: which ops run in bfloat16, which stay in float32, and what happens to gradients."""

import torch

from kata import __


def test_autocast_casts_only_the_ops_on_its_lists():
    """Inside torch.autocast("cpu", dtype=...), ops on the lower-precision list (matmul, linear, convolutions) cast float32 inputs to the autocast dtype; ops on the float32 list (numerically sensitive ones such as mse_loss) cast their inputs up to float32; every other op, such as addition, runs in the dtype its inputs promote to; and float64 inputs are never cast.

    Hint: for each op, find its list first, then its inputs' dtypes.
    """
    a = torch.ones(2, 2)
    d = torch.ones(2, 2, dtype=torch.float64)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        product = a @ a
        dtypes = [
            product.dtype,
            (a + a).dtype,
            (product + a).dtype,
            torch.nn.functional.mse_loss(product, product).dtype,
            (d @ d).dtype,
        ]
    assert dtypes == [torch.bfloat16, torch.float32, torch.float32, torch.float32, torch.float64]


def test_autocast_state_is_scoped_to_its_block():
    """torch.autocast("cpu") without a dtype uses the CPU's default lower-precision dtype, the 16-bit one that keeps float32's exponent range; an inner torch.autocast("cpu", enabled=False) turns autocast off for its block, and leaving a block restores the previous state.

    Hint: inside the inner block autocast is off; after the outer one it is as before.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu"):
        dtype = torch.get_autocast_dtype("cpu")
        with torch.autocast("cpu", enabled=False):
            inner = (a @ a).dtype
    after = torch.is_autocast_enabled("cpu")
    assert (dtype, inner, after) == (torch.bfloat16, torch.float32, False)


def test_autocast_never_casts_parameters_or_their_gradients():
    """Autocast casts copies of an op's inputs, never a module's parameters, and autograd records those casts, so backward casts each gradient back: a float32 parameter keeps its dtype and gets a gradient of its dtype even when its forward ran in lower precision.

    Hint: nn.Linear calls linear, which is on the lower-precision list.
    """
    layer = torch.nn.Linear(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = layer(torch.ones(3, 2))
    out.float().sum().backward()
    assert (out.dtype, layer.weight.dtype, layer.weight.grad.dtype) == (torch.bfloat16, torch.float32, torch.float32)
