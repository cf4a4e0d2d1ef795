"""Linear and convolution layers: the arithmetic of weights and output sizes."""

import pytest
import torch
from torch import nn

from kata import __, raises


def test_linear_weight_is_out_by_in():
    """nn.Linear(in_features, out_features) stores its weight as (out_features, in_features) and its bias as (out_features,).

    Hint: the weight is laid out the way PyTorch multiplies it, transposed.
    """
    linear = nn.Linear(4, 3)
    assert linear.weight.shape == (3, 4)
    assert linear.bias.shape == (3,)


def test_linear_computes_x_times_weight_transposed_plus_bias():
    """nn.Linear computes x @ weight.T + bias, so each output is the dot product of x with one row of the weight, plus that row's bias.

    Hint: row 0 of the weight picks x's first element, row 1 sums both.
    """
    linear = nn.Linear(2, 2)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[1.0, 0.0], [1.0, 1.0]]))
        linear.bias.copy_(torch.tensor([10.0, 20.0]))
    x = torch.tensor([[3.0, 4.0]])
    assert linear(x).tolist() == [[13.0, 27.0]]


def test_linear_acts_on_the_last_dimension_only():
    """nn.Linear accepts any number of leading dimensions and transforms only the last one.

    Hint: the batch dimensions pass through unchanged.
    """
    linear = nn.Linear(4, 3)
    assert linear(torch.zeros(5, 2, 4)).shape == (5, 2, 3)


def test_conv2d_weight_shape():
    """A Conv2d weight has shape (out_channels, in_channels // groups, kernel_height, kernel_width).

    Hint: one 3x3 filter over all input channels for each output channel.
    """
    conv = nn.Conv2d(3, 8, kernel_size=3)
    assert conv.weight.shape == (8, 3, 3, 3)


def test_conv_output_size_formula():
    """Each spatial output size is floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1.

    Hint: size 7, padding 1, kernel 3, stride 2, dilation 1; the channels come from the layer.
    """
    conv = nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1)
    assert conv(torch.zeros(1, 3, 7, 7)).shape == (1, 8, 4, 4)


def test_dilation_widens_the_kernel():
    """Dilation spaces the kernel taps apart: a kernel of size k with dilation d covers d * (k - 1) + 1 inputs, so without padding the output shrinks by that span minus one.

    Hint: a dilated 3-tap kernel with dilation 2 spans 5 inputs.
    """
    conv = nn.Conv1d(4, 4, kernel_size=3, dilation=2)
    assert conv(torch.zeros(1, 4, 10)).shape == (1, 4, 6)


def test_padding_same_keeps_the_size():
    """padding='same' pads so that a stride-1 convolution's output has the same spatial size as its input.

    Hint: only the channel count changes.
    """
    conv = nn.Conv2d(3, 4, kernel_size=3, padding="same")
    assert conv(torch.zeros(1, 3, 5, 5)).shape == (1, 4, 5, 5)


def test_depthwise_conv_has_one_input_channel_per_filter():
    """With groups equal to in_channels (a depthwise convolution) each filter sees a single input channel, so the weight's second dimension is 1.

    Hint: in_channels // groups.
    """
    conv = nn.Conv2d(6, 12, kernel_size=3, groups=6)
    assert conv.weight.shape == (12, 1, 3, 3)


def test_groups_must_divide_the_channels():
    """Conv layers check at construction that in_channels and out_channels are both divisible by groups, raising ValueError otherwise.

    Hint: the message says what must be divisible by what.
    """
    with raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 4, kernel_size=3, groups=2)
