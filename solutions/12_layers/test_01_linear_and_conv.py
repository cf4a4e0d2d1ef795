"""Linear and convolution layers: the arithmetic of weights and output sizes."""

import pytest
import torch
from torch import nn

from kata import __, raises


def test_linear_weight_is_stored_the_way_it_is_multiplied():
    """nn.Linear(in_features, out_features) computes x @ weight.T + bias and stores its weight in exactly that layout, with one bias per output.

    Hint: weight.T must turn an in_features row into an out_features row.
    """
    linear = nn.Linear(4, 3)
    assert linear.weight.shape == (3, 4)
    assert linear.bias.shape == (3,)


def test_linear_computes_x_times_weight_transposed_plus_bias():
    """nn.Linear computes x @ weight.T + bias for every row of the batch at once, the same bias added to each row.

    Hint: output column j is the dot product with weight row j.
    """
    linear = nn.Linear(2, 2)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[1.0, 0.0], [1.0, 1.0]]))
        linear.bias.copy_(torch.tensor([10.0, 20.0]))
    x = torch.tensor([[3.0, 4.0], [1.0, 0.0]])
    assert linear(x).tolist() == [[13.0, 27.0], [11.0, 21.0]]


def test_linear_acts_on_the_last_dimension_only():
    """nn.Linear accepts any number of leading dimensions and transforms only the last one: it folds the leading dimensions into one batch of rows, multiplies, and unfolds them again. A wrong last size is reported for that folded matrix.

    Hint: the error writes each operand as rows x columns, the folded input first.
    """
    linear = nn.Linear(4, 3)
    assert linear(torch.zeros(5, 2, 4)).shape == (5, 2, 3)
    with raises(RuntimeError, match=r"\(10x3 and 4x3\)"):
        linear(torch.zeros(5, 2, 3))


def test_conv2d_weight_shape():
    """A Conv2d weight has shape (out_channels, in_channels // groups, kernel_height, kernel_width): one filter per output channel, spanning the input channels of its group.

    Hint: an int kernel_size is square; a tuple gives height then width.
    """
    conv = nn.Conv2d(3, 8, kernel_size=(1, 5))
    assert conv.weight.shape == (8, 3, 1, 5)


def test_conv_output_size_formula():
    """Each spatial output size is floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1.

    Hint: apply it to the height and the width separately; the floor matters for one of them.
    """
    conv = nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1)
    assert conv(torch.zeros(1, 3, 7, 10)).shape == (1, 8, 4, 5)


def test_dilation_widens_the_kernel():
    """Dilation spaces the kernel taps apart: a kernel of size k with dilation d covers d * (k - 1) + 1 inputs, so without padding the output shrinks by that span minus one.

    Hint: count the inputs between the first tap and the last.
    """
    conv = nn.Conv1d(4, 4, kernel_size=3, dilation=2)
    assert conv(torch.zeros(1, 4, 10)).shape == (1, 4, 6)


def test_padding_same_keeps_the_size_at_stride_one_only():
    """padding='same' pads so that a stride-1 convolution's output has its input's spatial size, whatever the kernel and dilation. A strided convolution could not keep the size, and the constructor refuses the combination outright.

    Hint: the refusal is about an argument's value.
    """
    conv = nn.Conv2d(3, 4, kernel_size=3, dilation=2, padding="same")
    assert conv(torch.zeros(1, 3, 5, 5)).shape == (1, 4, 5, 5)
    with pytest.raises(Exception) as info:
        nn.Conv2d(3, 4, kernel_size=3, stride=2, padding="same")
    assert info.type is ValueError


def test_groups_split_the_input_channels_among_the_filters():
    """groups splits the input channels and the filters into that many groups, each filter seeing only its group's input channels; groups equal to in_channels is a depthwise convolution.

    Hint: in_channels // groups.
    """
    assert nn.Conv2d(6, 12, kernel_size=3, groups=3).weight.shape == (12, 2, 3, 3)
    assert nn.Conv2d(6, 12, kernel_size=3, groups=6).weight.shape == (12, 1, 3, 3)


def test_groups_must_divide_the_channels():
    """Conv layers check at construction that in_channels, then out_channels, are divisible by groups, and raise a ValueError naming the first one that is not ("<name> must be divisible by groups").

    Hint: check 4 and 6 against 4 in that order.
    """
    with raises(ValueError, match="out_channels must be divisible by groups"):
        nn.Conv2d(4, 6, kernel_size=3, groups=4)


def test_conv_transpose_runs_the_size_formula_backwards():
    """ConvTranspose2d maps sizes the way the matching Conv2d maps them back: out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1. Its weight puts the input channels first, (in_channels, out_channels // groups, kH, kW), because it is the gradient of a convolution.

    Hint: a stride-2 convolution floors, so two input sizes give the same output; output_padding picks the larger.
    """
    up = nn.ConvTranspose2d(2, 5, kernel_size=3, stride=2, padding=1)
    up_padded = nn.ConvTranspose2d(2, 5, kernel_size=3, stride=2, padding=1, output_padding=1)
    x = torch.zeros(1, 2, 4, 4)
    assert up.weight.shape == (2, 5, 3, 3)
    assert up(x).shape == (1, 5, 7, 7)
    assert up_padded(x).shape == (1, 5, 8, 8)


def test_bilinear_multiplies_two_inputs_through_one_matrix_per_output():
    """nn.Bilinear(in1, in2, out) computes, for each output k, x1 @ weight[k] @ x2 + bias[k], with weight of shape (out, in1, in2).

    Hint: multiply x1 into the matrix first, then dot the result with x2.
    """
    bilinear = nn.Bilinear(2, 2, 1)
    with torch.no_grad():
        bilinear.weight.copy_(torch.tensor([[[1.0, 2.0], [0.0, 1.0]]]))
        bilinear.bias.zero_()
    out = bilinear(torch.tensor([[1.0, 1.0]]), torch.tensor([[3.0, 4.0]]))
    assert out.tolist() == [[15.0]]
