"""Bytes and memory formats: element sizes, storage sizes, and channels_last for images."""

import pytest
import torch

from kata import __


def test_nbytes_is_numel_times_element_size():
    """element_size() is the number of bytes one element of the tensor's dtype occupies, and t.nbytes is the number of bytes the tensor's own elements take: numel() times element_size().

    Hint: how many bits does a float16 have?
    """
    t = torch.zeros(3, 4, dtype=torch.float16)
    assert [t.element_size(), t.nbytes] == [2, 24]


def test_a_slice_keeps_the_whole_storage_alive():
    """A view's storage is its base's whole block of memory, so untyped_storage().nbytes() counts every byte of the base, not just the view's.

    Hint: nbytes counts the view's elements; the storage counts the base's.
    """
    x = torch.zeros(6, dtype=torch.float64)
    tail = x[2:]
    assert [tail.nbytes, tail.untyped_storage().nbytes()] == [32, 48]


def test_channels_last_keeps_the_shape_but_changes_the_strides():
    """t.to(memory_format=torch.channels_last) keeps an (N, C, H, W) tensor's shape but stores it as N, H, W, C, so the channel dimension gets stride 1.

    Hint: in memory, the C channels of one pixel come together, then the W pixels of a row, then the H rows.
    """
    t = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    assert t.stride() == (60, 1, 15, 3)


def test_the_two_formats_can_both_hold():
    """is_contiguous() checks row-major order unless given a memory_format. For a (2, 3, 4, 5) tensor the two formats differ, so a tensor is contiguous in at most one of them; but when C == 1 (or H == W == 1) the same strides satisfy both, which is why torch.suggest_memory_format needs tie-break rules.

    Hint: with a single channel, does moving the channel dimension change the order of the elements?
    """
    cl = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    one_channel = torch.zeros(2, 1, 4, 4)
    answers = [
        (t.is_contiguous(), t.is_contiguous(memory_format=torch.channels_last)) for t in (cl, one_channel)
    ]
    assert answers == [(False, True), (True, True)]


def test_channels_last_memory_is_nhwc():
    """A channels_last tensor's memory is in (N, H, W, C) order, so permuting its dimensions to that order gives a view with row-major strides.

    Hint: permute moves each stride with its size.
    """
    t = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    assert t.permute(0, 2, 3, 1).stride() == (60, 15, 3, 1)


def test_channels_last_moves_elements_not_indices():
    """A memory format changes where elements sit in memory, never which element an index names.

    Hint: the value comes from the logical position in arange; the memory position from cl's strides.
    """
    t = torch.arange(120).reshape(2, 3, 4, 5)
    cl = t.to(memory_format=torch.channels_last)
    position = sum(i * s for i, s in zip((0, 1, 2, 3), cl.stride()))
    assert [cl[0, 1, 2, 3].item(), position] == [33, 40]


def test_elementwise_results_take_the_layout_of_the_first_operand():
    """An elementwise op (TensorIterator) picks its output's layout from its operands in order: one channels_last input keeps channels_last, and with mixed inputs the first operand's layout wins.

    Hint: look at which operand comes first in each sum.
    """
    cl = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    rm = torch.zeros(2, 3, 4, 5)
    outs = [cl + 1, cl + rm, rm + cl]
    assert [o.is_contiguous(memory_format=torch.channels_last) for o in outs] == [True, True, False]


def test_like_functions_preserve_channels_last_but_contiguous_does_not():
    """empty_like and clone default to preserve_format and keep channels_last, while contiguous() with no argument means torch.contiguous_format and copies back into (N, C, H, W) order.

    Hint: one keeps the strides of cl; the other gets a fresh tensor's strides.
    """
    cl = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    assert [torch.empty_like(cl).stride(), cl.contiguous().stride()] == [(60, 1, 15, 3), (60, 20, 5, 1)]


def test_five_dimensional_tensors_use_channels_last_3d():
    """channels_last is defined only for 4-D (N, C, H, W) tensors and raises on other ranks; (N, C, D, H, W) tensors use channels_last_3d, stored as N, D, H, W, C.

    Hint: build the strides from the memory order, channel innermost.
    """
    t = torch.zeros(1, 2, 3, 4, 5)
    with pytest.raises(RuntimeError):
        t.to(memory_format=torch.channels_last)
    assert t.to(memory_format=torch.channels_last_3d).stride() == (120, 1, 40, 10, 2)
