"""Mixed precision in a training step: what comes out of a torch.autocast region on the CPU, what it does to the ops after it, and how GradScaler scales the loss."""

import pytest
import torch
import torch.nn as nn

from kata import __


@torch.autocast("cpu", dtype=torch.bfloat16)
def autocast_forward(a):
    return a @ a


def test_results_keep_their_dtype_after_the_region():
    """torch.autocast also works as a decorator. It does not convert results back when its region ends, and outside a region nothing casts: elementwise ops promote mixed float dtypes, while matmul does not promote at all and refuses operands of two dtypes.

    Hint: out came out of a matmul inside the decorated function; a is a plain float32 tensor.
    """
    a = torch.ones(2, 2)
    out = autocast_forward(a)
    assert torch.relu(out).dtype == __
    with pytest.raises(Exception) as info:
        out @ a
    assert info.type is __


def test_ops_off_the_lists_follow_type_promotion():
    """Ops on no autocast list run in the dtype their inputs promote to, and a lower-precision float combined with a wider one promotes to the wider.

    Hint: which of the two operands of + came out of an op on autocast's list?
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        s = a @ a + a
    assert s.dtype == __


def test_cpu_softmax_follows_its_input_dtype():
    """On the CPU, softmax is on neither of autocast's lists (CUDA's autocast puts it on the float32 list), so it keeps the dtype of its input.

    Hint: one input is a float32 tensor; the other came out of a matmul inside the block.
    """
    a = torch.ones(2, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        from_float = torch.softmax(a, dim=-1)
        from_matmul = torch.softmax(a @ a, dim=-1)
    assert (from_float.dtype, from_matmul.dtype) == __


def test_parameters_and_their_gradients_stay_float32():
    """Autocast casts copies of the weights for the ops on its lists; the parameters themselves are never converted, so the gradients accumulated into them have the parameters' dtype.

    Hint: .grad always matches its parameter's dtype.
    """
    lin = nn.Linear(2, 1)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = lin(torch.ones(3, 2))
    out.float().sum().backward()
    assert (out.dtype, lin.weight.grad.dtype) == __


def test_grad_scaler_unscales_before_the_step_and_skips_steps_with_inf():
    """GradScaler multiplies the loss by its scale so small gradients survive low precision; scaler.step() divides the gradients by the scale before the optimizer steps and skips the step if any gradient is inf or NaN; update() then halves the scale after a skipped step and doubles it after growth_interval good ones.

    Hint: the gradient of p * 3 is 3 before scaling; lr is 1.
    """
    p = nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.SGD([p], lr=1.0)
    scaler = torch.amp.GradScaler("cpu", init_scale=8.0, growth_interval=1)
    seen = []
    for factor in (3.0, float("inf")):
        opt.zero_grad()
        scaled = scaler.scale((p * factor).sum())
        scaled.backward()
        seen.append(p.grad.item())
        scaler.step(opt)
        scaler.update()
        seen += [p.item(), scaler.get_scale()]
    assert seen[:3] == __
    assert seen[4:] == __
