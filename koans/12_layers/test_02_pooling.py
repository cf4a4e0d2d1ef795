"""Pooling: max, average and adaptive pooling over small known grids."""

import torch
from torch import nn

from kata import __


def grid():
    """A 1x1x4x4 image holding 0 to 15 row by row."""
    return torch.arange(16.0).reshape(1, 1, 4, 4)


def test_max_pool_keeps_the_largest_of_each_window():
    """MaxPool2d(2) slides a 2x2 window with stride 2 (stride defaults to the kernel size) and keeps each window's maximum.

    Hint: in this grid the largest value of a 2x2 block is its bottom-right corner.
    """
    assert nn.MaxPool2d(2)(grid()).tolist() == __


def test_avg_pool_averages_each_window():
    """AvgPool2d(2) replaces each non-overlapping 2x2 block by the mean of its four values.

    Hint: the top-left block holds 0, 1, 4 and 5.
    """
    assert nn.AvgPool2d(2)(grid()).tolist() == __


def test_pooling_floors_the_output_size_unless_ceil_mode():
    """Pooling uses the same floor in its output-size formula as convolution, so a leftover row or column is dropped; ceil_mode=True keeps a partial window instead.

    Hint: 5 rows in windows of 2.
    """
    x = torch.zeros(1, 1, 5, 5)
    assert nn.MaxPool2d(2)(x).shape == __
    assert nn.MaxPool2d(2, ceil_mode=True)(x).shape == __


def test_adaptive_pool_fixes_the_output_size():
    """AdaptiveAvgPool2d takes the output size, not a kernel size, and chooses the windows to fit any input; AdaptiveAvgPool2d(1) is global average pooling.

    Hint: batch and channels pass through.
    """
    pool = nn.AdaptiveAvgPool2d(1)
    assert pool(torch.zeros(2, 3, 7, 5)).shape == __


def test_adaptive_pool_to_a_column():
    """AdaptiveAvgPool2d((2, 1)) splits the rows into two halves and averages each half over all the columns.

    Hint: the top half holds 0 to 7.
    """
    pool = nn.AdaptiveAvgPool2d((2, 1))
    assert pool(grid()).tolist() == __
