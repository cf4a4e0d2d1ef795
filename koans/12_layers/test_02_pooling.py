"""Pooling: max, average and adaptive pooling over small known grids."""

import torch
from torch import nn

from kata import __


def grid():
    """A 1x1x4x4 image holding 0 to 15 row by row."""
    return torch.arange(16.0).reshape(1, 1, 4, 4)


def test_max_pool_keeps_the_largest_of_each_window():
    """MaxPool2d slides a window over the image and keeps each window's maximum; the stride defaults to the kernel size, and a smaller stride makes the windows overlap.

    Hint: with stride 1 a 2x2 window starts at every position where it still fits.
    """
    assert nn.MaxPool2d(2, stride=1)(grid()).tolist() == __


def test_avg_pool_averages_each_window():
    """AvgPool2d(2) replaces each non-overlapping 2x2 block by the mean of its four values.

    Hint: write out the 4x4 grid and its four blocks.
    """
    assert nn.AvgPool2d(2)(grid()).tolist() == __


def test_avg_pool_counts_the_padding_by_default():
    """With padding, AvgPool2d divides by the whole window size by default (count_include_pad=True), so the zeros of the padding pull the averages down; count_include_pad=False divides by the real elements only.

    Hint: with padding 1, each 2x2 window here holds one real element.
    """
    x = torch.arange(4.0).reshape(1, 1, 2, 2)
    assert nn.AvgPool2d(2, padding=1)(x).tolist() == __
    assert nn.AvgPool2d(2, padding=1, count_include_pad=False)(x).tolist() == __


def test_pooling_floors_the_output_size_unless_ceil_mode():
    """Pooling uses the same floor in its output-size formula as convolution, so a leftover row or column is dropped; ceil_mode=True keeps a partial window instead.

    Hint: how many whole windows of 2 fit in 5?
    """
    x = torch.zeros(1, 1, 5, 5)
    assert nn.MaxPool2d(2)(x).shape == __
    assert nn.MaxPool2d(2, ceil_mode=True)(x).shape == __


def test_adaptive_pool_fixes_the_output_size():
    """Adaptive pooling takes the output size, not a kernel size, and chooses the windows to fit any input: AdaptiveAvgPool2d(1) is global average pooling, and (1, 2) splits the columns into two halves over all the rows.

    Hint: batch and channels pass through; the halves of the grid are its columns 0-1 and 2-3.
    """
    assert nn.AdaptiveAvgPool2d(1)(torch.zeros(2, 3, 7, 5)).shape == __
    assert nn.AdaptiveMaxPool2d((1, 2))(grid()).tolist() == __


def test_adaptive_windows_overlap_when_the_size_does_not_divide():
    """Adaptive window i over an input of length L and output of length n runs from floor(i * L / n) up to ceil((i + 1) * L / n), end excluded; when n does not divide L, neighbouring windows share elements.

    Hint: work out both windows over the three elements.
    """
    pool = nn.AdaptiveAvgPool1d(2)
    assert pool(torch.tensor([[[0.0, 1.0, 2.0]]])).tolist() == __
