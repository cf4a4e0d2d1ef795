"""Choosing scale and zero point: observers, fake quantization with its straight-through gradient, and dynamic quantization.

The eager workflow functions of torch.ao.quantization (quantize_dynamic, prepare, convert) are deprecated in favour of
torchao (a DeprecationWarning in PyTorch 2.13); observers and torch.fake_quantize_per_tensor_affine are the arithmetic
underneath and carry no warning. The quantize_dynamic koans are skipped where the function is gone.
"""

import pytest
import torch
import torch.nn as nn
from torch.ao.quantization import FakeQuantize, MinMaxObserver

from kata import __

pytestmark = [
    pytest.mark.filterwarnings("ignore:torch.ao.quantization is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*quantized tensor creation functions:UserWarning"),
]


def quantize_dynamic(model, *args, **kwargs):
    """torch.ao.quantization.quantize_dynamic, or a skip where this torch no longer has it."""
    fn = getattr(torch.ao.quantization, "quantize_dynamic", None)
    if fn is None:
        pytest.skip("torch.ao.quantization.quantize_dynamic was removed from this torch (use torchao)")
    return fn(model, *args, **kwargs)


def test_minmax_observer_tracks_the_running_range():
    """A MinMaxObserver passes its input through and remembers the smallest and largest values seen over all calls; calculate_qparams then spreads that range over the dtype's integers: scale = (max - min) / (qmax - qmin), zero_point = qmin - round(min / scale).

    Hint: quint8 has 255 steps; the range is the union of both batches.
    """
    obs = MinMaxObserver(dtype=torch.quint8)
    obs(torch.tensor([-1.0, 0.0, 0.5]))
    obs(torch.tensor([1.55, 0.2]))
    scale, zero_point = obs.calculate_qparams()
    assert round(scale.item(), 4) == __
    assert zero_point.item() == __


def test_the_observed_range_always_contains_zero():
    """The observer widens the range to include 0.0 (min is taken with 0, max with 0), so that zero, as in padding and ReLU outputs, is exactly representable as the zero point.

    Hint: the data are all positive, so the range starts at 0.
    """
    obs = MinMaxObserver(dtype=torch.quint8)
    obs(torch.tensor([1.0, 5.1]))
    scale, zero_point = obs.calculate_qparams()
    assert round(scale.item(), 4) == __
    assert zero_point.item() == __


def test_symmetric_qparams_fix_the_zero_point():
    """per_tensor_symmetric uses the range [-m, m] with m the largest magnitude, scale = m / ((qmax - qmin) / 2), and a fixed zero point: 0 for qint8, the middle of the range for quint8.

    Hint: qmax - qmin is 255 for both dtypes; the zero point is the stored integer that stands for 0.0, and 255 has no exact middle.
    """
    x = torch.tensor([-3.825, 0.0, 1.0])
    signed = MinMaxObserver(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric)
    unsigned = MinMaxObserver(dtype=torch.quint8, qscheme=torch.per_tensor_symmetric)
    signed(x)
    unsigned(x)
    assert round(signed.calculate_qparams()[0].item(), 4) == __
    assert [signed.calculate_qparams()[1].item(), unsigned.calculate_qparams()[1].item()] == __


def test_fake_quantize_rounds_but_stays_float():
    """fake_quantize_per_tensor_affine(x, scale, zero_point, qmin, qmax) quantizes and dequantizes in one step: the values snap to the grid and are clamped, but the result is an ordinary float tensor, so training can see the quantization error.

    Hint: ties go to even, and the grid of quint8 with scale 0.5 and zero point 0 ends at 127.5.
    """
    x = torch.tensor([0.25, 0.75, 0.6, -1.0, 300.0])
    y = torch.fake_quantize_per_tensor_affine(x, 0.5, 0, 0, 255)
    assert y.tolist() == __
    assert y.dtype == __


def test_fake_quantize_has_a_straight_through_gradient():
    """round has zero gradient almost everywhere, so fake quantization passes the gradient straight through (as if it were the identity) for inputs inside the range, and gives 0 for inputs that were clamped.

    Hint: which inputs landed outside [qmin, qmax] * scale?
    """
    x = torch.tensor([0.25, 0.75, 0.6, -1.0, 300.0], requires_grad=True)
    torch.fake_quantize_per_tensor_affine(x, 0.5, 0, 0, 255).sum().backward()
    assert x.grad.tolist() == __


def test_fake_quantize_module_observes_then_fake_quantizes():
    """The FakeQuantize module used in quantization-aware training runs its observer on each input, recomputes scale and zero point from it, and fake-quantizes with them.

    Hint: its default observer, a moving-average min/max for quint8, starts from the first batch's min and max; 1.237 falls between two grid points.
    """
    fq = FakeQuantize()
    y = fq(torch.tensor([-1.0, 1.237, 1.55]))
    assert fq.zero_point.item() == __
    assert [round(v, 4) for v in y.tolist()] == __


def test_quantize_dynamic_swaps_only_the_listed_module_types():
    """quantize_dynamic(model) returns a copy in which each module of a supported type (Linear, LSTM, GRU, ...) is replaced by a dynamically quantized one, whose weights are quantized ahead of time and activations at run time; other modules are left alone.

    Hint: only two of the three layers have weights.
    """
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    qmodel = quantize_dynamic(model)
    swapped = [isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in qmodel]
    assert swapped == __
    assert type(model[0]) is __


def test_dynamic_linear_keeps_quantized_weights_and_float_io():
    """A dynamically quantized Linear stores its weight as a quantized tensor (weight() unpacks it), but takes and returns float tensors: the quantization of activations happens inside forward.

    Hint: quantize_dynamic's default dtype is the signed 8-bit quantized one; forward hands back what it was given.
    """
    qmodel = quantize_dynamic(nn.Sequential(nn.Linear(2, 2)))
    out = qmodel(torch.ones(1, 2))
    assert qmodel[0].weight().dtype == __
    assert out.dtype == __
