"""Views and copies: which operations share memory, how to tell, and when torch must copy."""

import pytest
import torch

from kata import __, raises


def test_data_ptr_of_a_view_moves_by_bytes():
    """data_ptr() is the memory address of a tensor's first element, counted in bytes, so a view that starts k elements into a tensor has an address k * element_size() higher; untyped_storage().data_ptr() is the start of the whole shared block, the same for every view of it.

    Hint: first the element offset of t[1, 2], then the bytes per float32 element.
    """
    t = torch.zeros(3, 4)
    v = t[1, 2:]
    assert v.data_ptr() - t.data_ptr() == __
    assert v.untyped_storage().data_ptr() - t.data_ptr() == __


def test_base_points_to_the_root_of_the_chain_of_views():
    """A view records in _base the tensor at the root of its chain of views (one that is not itself a view), never an intermediate view; a tensor that is not a view has _base None. detach() starts a new chain: its result is not a view in this sense, though it shares the memory.

    Hint: for each chain, find the first tensor that is not a view.
    """
    x = torch.zeros(6)
    v = x.view(2, 3)
    w = v.t()
    assert w._base is __
    d = x.detach()
    u = d[1:]
    assert u._base is __


def test_slices_view_but_index_lists_and_masks_copy():
    """Indexing with integers and slices returns a view, so writing into the result writes into the original; indexing with a list, a tensor of indices or a mask (advanced indexing) gathers into new memory, so writing into the result changes only the copy. Assigning to an indexed expression, t[idx] = v, is different: it writes into t whatever idx is.

    Hint: for each line, is the write made into a temporary copy or into t's memory?
    """
    t = torch.arange(6)
    t[[0, 2]][0] = 99
    t[1:3][0] = 77
    t[[4]] = 55
    t[t > 4][0] = 11
    assert t.tolist() == __


def test_there_are_no_negative_strides():
    """PyTorch strides are never negative, so a slice cannot step backwards (that raises), and flip() has to copy the elements into new memory in reverse order.

    Hint: the flipped tensor is a fresh tensor; what is a fresh tensor's _base?
    """
    x = torch.arange(6)
    with pytest.raises(ValueError):
        x[::-1]
    f = x.flip(0)
    assert [f.stride(), f._base] == __


def test_chunks_are_views_at_their_own_offsets():
    """The pieces from split and chunk are views, each starting at its own storage offset in the original's memory and keeping its strides.

    Hint: chunking along dim 1 cuts every row; where does the last piece's first element sit?
    """
    pieces = torch.arange(12).reshape(2, 6).chunk(3, dim=1)
    assert [pieces[2].storage_offset(), pieces[2].stride()] == __


def test_view_needs_compatible_strides_not_contiguity():
    """view never copies, and it does not need a contiguous tensor: it succeeds whenever the new shape can be expressed with strides over the existing memory. Splitting a dimension always can (the pieces take strides that multiply back to the old one); merging dimensions can only when they are adjacent in memory.

    Hint: only the last dimension, of stride 1, is split; the row stride is untouched.
    """
    t = torch.zeros(4, 6)[:, :4]
    assert t.is_contiguous() is False
    assert t.view(4, 2, 2).stride() == __


def test_view_refuses_to_merge_dimensions_that_are_not_adjacent_in_memory():
    """When the new shape would need one stride to cover dimensions that are not adjacent in memory, view raises; the message says what a dimension of the requested shape would have to do, and suggests reshape, which copies when it must.

    Hint: flattening t would need one dimension to run over the kept part of a row, jump the gap, and continue; how does the message describe that?
    """
    t = torch.zeros(4, 6)[:, :4]
    with raises(RuntimeError, match=__):
        t.view(16)


def test_reshape_is_a_view_when_it_can_be_and_a_copy_when_not():
    """reshape returns a view when the strides allow the new shape and silently copies when they do not, so writing into its result may or may not change the input.

    Hint: decide for a and for b whether it is a view, then follow the two writes.
    """
    t = torch.arange(6).reshape(2, 3)
    a = t.reshape(3, 2)
    b = t.t().reshape(6)
    a[0, 0] = 40
    b[1] = 41
    assert t.tolist() == __
    assert b.tolist() == __


def test_contiguous_copies_only_when_it_must():
    """t.contiguous() returns t itself if t is already contiguous, and otherwise copies its elements into new row-major memory for its current shape.

    Hint: first decide which of the two needs a copy; a copy gets fresh strides for its shape.
    """
    t = torch.arange(6).reshape(2, 3)
    assert t.contiguous() is t
    assert t.t().contiguous().stride() == __
    assert t[:, 1:].contiguous().stride() == __


def test_like_functions_and_clone_preserve_a_dense_layout():
    """clone(), empty_like() and zeros_like() default to memory_format=torch.preserve_format: a dense tensor with permuted strides (a transpose, a permute) keeps those strides, while one with gaps (a step slice) gets fresh row-major strides. torch.contiguous_format asks for row-major explicitly.

    Hint: for each source, decide whether it is dense (no gaps) before deciding what its copy looks like.
    """
    x = torch.zeros(3, 4)
    strides = [
        x.t().clone().stride(),
        torch.empty_like(x[:, ::2]).stride(),
        torch.zeros(2, 3, 4).permute(2, 0, 1).clone().stride(),
        x.t().clone(memory_format=torch.contiguous_format).stride(),
    ]
    assert strides == __


def test_view_with_a_dtype_reinterprets_the_bytes():
    """t.view(dtype) reads the same bytes as another dtype without copying; the last dimension is resized so that it covers the same bytes.

    Hint: how many bytes does one row hold, and how many elements of each dtype fit in them?
    """
    t = torch.zeros(2, 4, dtype=torch.float32)
    assert [t.view(torch.int8).shape, t.view(torch.float64).shape] == __
