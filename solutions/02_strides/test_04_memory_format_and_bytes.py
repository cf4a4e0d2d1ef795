"""Bytes and memory formats: element sizes, storage sizes, and channels_last for images."""

import pytest
import torch

from kata import __


def test_element_size_depends_on_the_dtype():
    """element_size() is the number of bytes one element of the tensor's dtype occupies.

    Hint: a 64-bit float.
    """
    t = torch.zeros(3, dtype=torch.float64)
    assert t.element_size() == 8


def test_nbytes_is_numel_times_element_size():
    """t.nbytes is the number of bytes the tensor's own elements take: numel() times element_size().

    Hint: twelve float32 elements.
    """
    t = torch.zeros(3, 4)
    assert t.nbytes == 48


def test_a_slice_keeps_the_whole_storage_alive():
    """A view's storage is its base's whole block of memory, so untyped_storage().nbytes() counts every byte of the base, not just the view's.

    Hint: the view holds 4 float32 elements; the storage holds all 6.
    """
    x = torch.zeros(6)
    tail = x[2:]
    assert tail.nbytes == 16
    assert tail.untyped_storage().nbytes() == 24


def test_channels_last_keeps_the_shape_but_changes_the_strides():
    """t.to(memory_format=torch.channels_last) keeps an (N, C, H, W) tensor's shape but stores it as N, H, W, C, so the channel dimension gets stride 1.

    Hint: in memory, the C channels of one pixel come together, then the W pixels of a row, then the H rows.
    """
    t = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    assert t.shape == (2, 3, 4, 5)
    assert t.stride() == (60, 1, 15, 3)


def test_channels_last_is_contiguous_only_in_its_own_format():
    """is_contiguous() checks row-major order unless given a memory_format, so a channels_last tensor is contiguous only when asked about channels_last.

    Hint: two different questions, two different answers.
    """
    t = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    assert t.is_contiguous() == False
    assert t.is_contiguous(memory_format=torch.channels_last) == True


def test_channels_last_memory_is_nhwc():
    """A channels_last tensor's memory is in (N, H, W, C) order, so permuting its dimensions to that order gives a contiguous view.

    Hint: permute moves strides with sizes; (60, 1, 15, 3) taken in the order 0, 2, 3, 1.
    """
    t = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    nhwc = t.permute(0, 2, 3, 1)
    assert nhwc.is_contiguous() == True


def test_channels_last_does_not_change_what_indexing_returns():
    """A memory format changes where elements sit in memory, never which element an index names.

    Hint: both tensors hold 0 to 119 in the same logical positions; work out t[0, 1, 2, 3] from t's row-major strides.
    """
    t = torch.arange(120).reshape(2, 3, 4, 5)
    cl = t.to(memory_format=torch.channels_last)
    assert cl[0, 1, 2, 3].item() == 33


def test_elementwise_operations_keep_channels_last():
    """Elementwise operations give their result the memory format of their input, so channels_last survives arithmetic.

    Hint: ask in the channels_last format.
    """
    t = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    out = t + 1
    assert out.is_contiguous(memory_format=torch.channels_last) == True


def test_contiguous_turns_channels_last_back_into_row_major():
    """contiguous() with no argument means torch.contiguous_format, so it copies a channels_last tensor back into (N, C, H, W) order.

    Hint: the strides of a fresh tensor of shape (2, 3, 4, 5).
    """
    t = torch.zeros(2, 3, 4, 5).to(memory_format=torch.channels_last)
    assert t.contiguous().stride() == (60, 20, 5, 1)


def test_channels_last_needs_four_dimensions():
    """channels_last is defined only for 4-D (N, C, H, W) tensors; 5-D tensors use channels_last_3d, and other ranks raise a RuntimeError.

    Hint: the message names the number of dimensions channels_last needs.
    """
    t = torch.zeros(3, 4, 5)
    with pytest.raises(RuntimeError, match="required rank 4 tensor"):
        t.to(memory_format=torch.channels_last)
