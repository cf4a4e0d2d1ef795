"""Stride tricks: expand's stride of zero, the view ops that only rewrite strides, and as_strided for building views by hand."""

import pytest
import torch

from kata import __, raises


def test_expand_gives_stride_zero():
    """expand makes a view in which every new or stretched dimension (one of size 1) has stride 0, so every step along it lands on the same memory; the other strides stay as they were.

    Hint: the new leading dimension and the stretched last one; the middle one keeps its stride.
    """
    t = torch.zeros(3, 1).expand(2, 3, 4)
    assert t.stride() == (0, 1, 0)


def test_an_expanded_tensor_uses_no_extra_memory():
    """An expanded view shares the storage of its base, whose size does not change however large the view looks; contiguous() materialises it into new memory with ordinary row-major strides.

    Hint: bytes are elements times element_size(); which elements does each storage really hold?
    """
    t = torch.arange(3, dtype=torch.float32).expand(1000, 3)
    assert t.untyped_storage().nbytes() == 12
    c = t[:2].contiguous()
    assert [c.stride(), c.untyped_storage().nbytes()] == [(3, 1), 24]


def test_writing_in_place_into_an_expanded_tensor_is_refused():
    """In-place operations refuse a tensor in which several elements share one memory location, as in an expanded view: the result would depend on the order of the writes.

    Hint: the message says what several elements of the written-to tensor have in common.
    """
    t = torch.zeros(3).expand(2, 3)
    with raises(RuntimeError, match="single memory location"):
        t.add_(1)


def test_view_ops_only_rewrite_sizes_strides_and_offset():
    """unsqueeze, narrow, movedim and friends never touch the data: each computes new sizes, strides and a storage offset. unsqueeze(d) inserts a size-1 dimension whose stride is the one that would step over dimension d; narrow(d, start, n) moves the offset by start times stride(d); movedim moves a stride with its size.

    Hint: start from the fresh strides of each tensor and apply one rule at a time.
    """
    t = torch.zeros(3, 4)
    assert t.unsqueeze(1).stride() == (4, 4, 1)
    assert [t.narrow(1, 1, 2).stride(), t.narrow(1, 1, 2).storage_offset()] == [(4, 1), 1]
    assert torch.zeros(2, 3, 4).movedim(0, -1).stride() == (4, 1, 12)


def test_diagonal_steps_one_row_and_one_column_at_once():
    """t.diagonal() is a view: to move from t[i, i] to t[i + 1, i + 1] it steps one row and one column, so its single stride is the sum of t's two strides; offset=k starts at t[0, k].

    Hint: the diagonal of a (4, 5) matrix has as many elements as the shorter side.
    """
    t = torch.arange(20).reshape(4, 5)
    d = t.diagonal(offset=1)
    assert [d.stride(), d.storage_offset(), d.tolist()] == [(6,), 1, [1, 7, 13, 19]]


def test_as_strided_builds_a_view_from_sizes_and_strides():
    """x.as_strided(size, stride, offset) makes a view over x's memory with exactly the sizes, strides and storage offset you give, whether or not its elements overlap: element [i, j] is memory position offset + i * stride[0] + j * stride[1].

    Hint: fill in each element from the formula; in arange's memory the value is the position.
    """
    x = torch.arange(6)
    assert x.as_strided((3, 2), (1, 3)).tolist() == [[0, 3], [1, 4], [2, 5]]
    assert x.as_strided((2, 2), (2, 1), 1).tolist() == [[1, 2], [3, 4]]


def test_as_strided_builds_overlapping_sliding_windows():
    """With a row stride smaller than the row length, as_strided makes overlapping rows: the row stride is the hop from one window to the next.

    Hint: each window starts one hop after the previous one and holds consecutive elements.
    """
    x = torch.arange(6)
    assert x.as_strided((2, 4), (2, 1)).tolist() == [[0, 1, 2, 3], [2, 3, 4, 5]]


def test_as_strided_refuses_to_reach_past_the_storage():
    """as_strided does not mind overlapping elements, but it checks that the farthest element it could reach lies inside the storage, and otherwise raises, saying how many bytes of storage the view would need: (offset + the sum of (size - 1) * stride + 1) elements times the element size.

    Hint: compute the farthest position this view can reach, then count bytes of int64.
    """
    x = torch.arange(6)
    with raises(RuntimeError, match="requiring a storage size of 88"):
        x.as_strided((4, 3), (1, 1), 5)


def test_unfold_makes_the_same_windows():
    """t.unfold(dim, size, step) is the safe way to make sliding windows: it returns the strided view that as_strided would, with as many whole windows as fit.

    Hint: count the windows of 3 that start every 2 elements and still fit in 7; then the two strides.
    """
    windows = torch.arange(7).unfold(0, 3, 2)
    assert [windows.shape, windows.stride()] == [(3, 3), (2, 1)]
