"""Stride tricks: expand's stride of zero, and as_strided for building views by hand."""

import pytest
import torch

from kata import __


def test_expand_gives_stride_zero():
    """expand makes a view in which the new or stretched dimension has stride 0, so every step along it lands on the same memory.

    Hint: moving to the next row does not move in memory at all.
    """
    t = torch.arange(3).expand(4, 3)
    assert t.stride() == __


def test_expanding_a_column_zeroes_the_column_stride():
    """Expanding a size-1 dimension gives that dimension stride 0 and leaves the other strides alone.

    Hint: a (3, 1) tensor has strides (1, 1); which dimension was stretched?
    """
    t = torch.zeros(3, 1).expand(3, 4)
    assert t.stride() == __


def test_an_expanded_tensor_uses_no_extra_memory():
    """An expanded view shares the storage of its base, whose size does not change however large the view looks.

    Hint: the storage still holds only the original 3 int64 elements.
    """
    t = torch.arange(3).expand(1000, 3)
    assert t.untyped_storage().nbytes() == __


def test_writing_in_place_into_an_expanded_tensor_is_refused():
    """In-place operations refuse a tensor in which several elements share one memory location, as in an expanded view.

    Hint: the message says what several elements of the tensor being written share.
    """
    t = torch.zeros(3).expand(2, 3)
    with pytest.raises(RuntimeError, match=__):
        t.add_(1)


def test_contiguous_materialises_an_expanded_tensor():
    """contiguous() on an expanded view copies every repeated element into new memory with ordinary row-major strides.

    Hint: the strides of a fresh tensor of shape (2, 3).
    """
    t = torch.zeros(3).expand(2, 3).contiguous()
    assert t.stride() == __


def test_as_strided_builds_a_view_from_sizes_and_strides():
    """x.as_strided(size, stride) makes a view over x's memory with exactly the sizes and strides you give, whether or not its elements overlap.

    Hint: stride 3 between rows and 1 between columns over the numbers 0 to 5 is a 2x3 matrix.
    """
    x = torch.arange(6)
    assert x.as_strided((2, 3), (3, 1)).tolist() == __


def test_as_strided_can_transpose():
    """Swapping the strides in as_strided reads the same memory column by column, which is what transpose does.

    Hint: moving along a row of the result now skips 3 elements.
    """
    x = torch.arange(6)
    assert x.as_strided((3, 2), (1, 3)).tolist() == __


def test_as_strided_builds_a_sliding_window():
    """With a row stride smaller than the row length, as_strided makes overlapping rows: each row is a window one element further along than the last.

    Hint: four windows of three over the numbers 0 to 5.
    """
    x = torch.arange(6)
    windows = x.as_strided((4, 3), (1, 1))
    assert windows.tolist() == __


def test_as_strided_windows_can_hop():
    """The row stride of a sliding window is the hop between windows: stride 2 starts each window two elements after the previous one.

    Hint: two windows of three over the numbers 0 to 5.
    """
    x = torch.arange(6)
    assert x.as_strided((2, 3), (2, 1)).tolist() == __


def test_as_strided_takes_a_storage_offset():
    """A third argument to as_strided sets the storage offset: the position in memory of the view's first element.

    Hint: start 3 elements in and take 2.
    """
    x = torch.arange(6)
    assert x.as_strided((2,), (1,), 3).tolist() == __


def test_as_strided_refuses_to_reach_past_the_storage():
    """as_strided does not mind overlapping elements, but it does check that the last element it could reach lies inside the storage; otherwise it raises a RuntimeError.

    Hint: the message uses the same words as an IndexError for an integer index past the end, and names the storage.
    """
    x = torch.arange(6)
    with pytest.raises(RuntimeError, match=__):
        x.as_strided((4, 3), (1, 1), 5)


def test_unfold_makes_the_same_windows():
    """t.unfold(dim, size, step) is the safe way to make sliding windows: it returns the same strided view that as_strided would.

    Hint: one step moves to the next window, and one step moves within a window.
    """
    x = torch.arange(6)
    windows = x.unfold(0, 3, 1)
    assert windows.stride() == __
