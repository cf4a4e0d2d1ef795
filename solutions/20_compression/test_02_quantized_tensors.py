"""Quantized tensors: affine integers, a scale and a zero point; rounding, clamping and per-channel scales.

torch.quantize_per_tensor and the quint8/qint8 dtypes are deprecated since PyTorch 2.13 (a UserWarning,
pytorch/pytorch#184982) in favour of plain integer tensors with the scale and zero point kept alongside;
the affine arithmetic taught here is the same either way, and the last koan does it with plain dtypes.
"""

import pytest
import torch

from kata import __

pytestmark = pytest.mark.filterwarnings("ignore:.*quantized tensor creation functions:UserWarning")


def test_quantize_stores_rounded_integers():
    """quantize_per_tensor(x, scale, zero_point, dtype) stores q = round(x / scale) + zero_point; int_repr() shows those stored integers.

    Hint: divide by the scale, round, then shift by the zero point.
    """
    q = torch.quantize_per_tensor(torch.tensor([-1.0, 0.0, 1.2, 3.0]), scale=0.5, zero_point=2, dtype=torch.quint8)
    assert q.int_repr().tolist() == [0, 2, 4, 8]


def test_int_repr_has_the_underlying_integer_dtype():
    """A quantized dtype wraps a plain integer dtype of the same width and signedness; int_repr() returns a tensor of that plain dtype.

    Hint: the q stands for quantized; the rest of each name says signed or unsigned, and how many bits.
    """
    x = torch.tensor([1.0, 2.0])
    assert torch.quantize_per_tensor(x, 0.5, 0, torch.quint8).int_repr().dtype == torch.uint8
    assert torch.quantize_per_tensor(x, 0.5, 0, torch.qint8).int_repr().dtype == torch.int8


def test_dequantize_returns_the_nearest_grid_point():
    """dequantize() computes (q - zero_point) * scale: the point of the grid of step scale nearest to the input, so the rounding error is at most scale / 2.

    Hint: the grid here is 0, 0.5, 1.0, 1.5, ...
    """
    x = torch.tensor([0.3, 0.7, 1.1, 1.4])
    q = torch.quantize_per_tensor(x, 0.5, 0, torch.quint8)
    assert q.dequantize().tolist() == [0.5, 0.5, 1.0, 1.5]


def test_ties_round_half_to_even():
    """The rounding is nearbyint, round half to even (like Python's round), not round half up: an input exactly between two grid points goes to the even integer.

    Hint: x / scale is 0.5, 1.5, 2.5 and -0.5 here.
    """
    q = torch.quantize_per_tensor(torch.tensor([0.25, 0.75, 1.25, -0.25]), 0.5, 0, torch.qint8)
    assert q.int_repr().tolist() == [0, 2, 2, 0]


def test_out_of_range_values_are_clamped():
    """After rounding, q is clamped to the dtype's range (quint8: 0 to 255, qint8: -128 to 127), so inputs far outside the range all dequantize to its ends.

    Hint: with scale 0.5 and zero point 2, the ends of the quint8 range dequantize to (0 - 2) * 0.5 and (255 - 2) * 0.5.
    """
    q = torch.quantize_per_tensor(torch.tensor([-3.0, -1.2, 200.0]), 0.5, 2, torch.quint8)
    assert q.dequantize().tolist() == [-1.0, -1.0, 126.5]


def test_one_scale_for_all_rows_loses_the_small_row():
    """A per-tensor scale must cover the largest value, so a row of small values rounds to the few grid points near zero.

    Hint: the scale 1.0 is fitted to the large row.
    """
    w = torch.tensor([[0.4, 0.2], [100.0, -50.0]])
    q = torch.quantize_per_tensor(w, 1.0, 0, torch.qint8)
    assert q.int_repr().tolist() == [[0, 0], [100, -50]]


def test_per_channel_gives_each_slice_its_own_scale():
    """quantize_per_channel(x, scales, zero_points, axis, dtype) quantizes each slice along axis with its own scale and zero point.

    Hint: row i is divided by scales[i].
    """
    w = torch.tensor([[0.4, 0.2], [100.0, -50.0]])
    q = torch.quantize_per_channel(w, torch.tensor([0.1, 1.0]), torch.tensor([0, 0]), 0, torch.qint8)
    assert q.int_repr().tolist() == [[4, 2], [100, -50]]


def test_quantized_tensors_have_their_own_dispatch_key():
    """A quantized tensor dispatches to the QuantizedCPU backend, where most operators have no kernel: compute on dequantize() or with the dedicated quantized ops.

    Hint: the exception the dispatcher raises when an operator has no kernel for a backend.
    """
    q = torch.quantize_per_tensor(torch.tensor([1.0, 2.0]), 0.5, 0, torch.quint8)
    with pytest.raises(Exception) as info:
        torch.exp(q)
    assert info.type is NotImplementedError


def test_the_same_arithmetic_with_plain_integer_dtypes():
    """Without quantized dtypes, quantization is plain arithmetic on an integer tensor: q = clamp(round(x / scale) + zero_point, qmin, qmax) stored as uint8 or int8, with scale and zero point kept by your own code.

    Hint: qmin and qmax are a 4-bit range here, and 0.75 / 0.5 is a tie.
    """
    x = torch.tensor([-1.0, 0.75, 1.2, 9.0])
    scale, zero_point = 0.5, 2
    q = torch.clamp(torch.round(x / scale) + zero_point, 0, 15).to(torch.uint8)
    assert q.tolist() == [0, 4, 4, 15]
    assert ((q.float() - zero_point) * scale).tolist() == [-1.0, 1.0, 1.0, 6.5]
