"""Views and copies: which operations share memory, how to tell, and when torch must copy."""

import pytest
import torch

from kata import __


def test_a_view_starts_at_the_same_address():
    """data_ptr() is the memory address of a tensor's first element; a view that starts at the same element has the same address.

    Hint: view changes only sizes and strides.
    """
    x = torch.arange(6)
    v = x.view(2, 3)
    assert (v.data_ptr() == x.data_ptr()) == True


def test_data_ptr_of_a_slice_moves_by_bytes():
    """data_ptr() counts bytes, so a slice starting k elements into a tensor has an address k * element_size() higher.

    Hint: t[1] starts one row of t further in; how many bytes does one int64 take?
    """
    t = torch.arange(12).reshape(3, 4)
    assert t[1].data_ptr() - t.data_ptr() == 32


def test_a_slice_shares_the_untyped_storage():
    """Every view shares its base's storage, so untyped_storage().data_ptr(), the start of the whole block, is the same even when the view starts later.

    Hint: t[1] starts later in memory, but in the same block.
    """
    t = torch.arange(12).reshape(3, 4)
    row = t[1]
    assert (row.untyped_storage().data_ptr() == t.untyped_storage().data_ptr()) == True


def test_a_fresh_tensor_has_no_base():
    """A tensor that owns its memory, such as one made by a factory function, has _base set to None.

    Hint: nothing came before it.
    """
    x = torch.zeros(3)
    assert x._base is None


def test_a_view_of_a_view_points_to_the_original():
    """_base always points to the tensor that owns the memory, never to an intermediate view.

    Hint: w was made from v, but v owns nothing.
    """
    x = torch.zeros(6)
    v = x.view(2, 3)
    w = v.t()
    assert (w._base is v) == False
    assert (w._base is x) == True


def test_basic_slicing_returns_a_view():
    """Indexing with integers and slices returns a view, so writing into it writes into the original.

    Hint: the first row of t is now 0, 1, 2 with one element changed.
    """
    t = torch.arange(6).reshape(2, 3)
    row = t[0]
    row[1] = 99
    assert t.tolist() == [[0, 99, 2], [3, 4, 5]]


def test_indexing_with_a_list_returns_a_copy():
    """Indexing with a list or tensor of indices (advanced indexing) gathers the elements into new memory, so writing into the result leaves the original unchanged.

    Hint: picked is a copy.
    """
    t = torch.arange(6).reshape(3, 2)
    picked = t[[0, 2]]
    picked[0, 0] = 99
    assert t[0, 0].item() == 0


def test_split_returns_views_into_the_original():
    """The pieces from split and chunk are views, each starting at its own storage offset in the original's memory.

    Hint: the second piece of three starts after the first three elements.
    """
    pieces = torch.arange(6).split(3)
    assert pieces[1].storage_offset() == 3


def test_view_refuses_a_transposed_tensor():
    """view never copies, so it raises a RuntimeError when the new shape cannot be expressed with strides over the existing memory, as after a transpose.

    Hint: the message judges the view size you asked for against the input tensor's existing layout.
    """
    t = torch.arange(6).reshape(2, 3).t()
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        t.view(6)


def test_reshape_copies_when_a_view_is_impossible():
    """reshape returns a view when it can and silently copies when it cannot, so the result may or may not share memory with its input.

    Hint: the transposed tensor cannot be flattened by strides alone.
    """
    t = torch.arange(6).reshape(2, 3)
    flat = t.t().reshape(6)
    assert (flat.untyped_storage().data_ptr() == t.untyped_storage().data_ptr()) == False
    assert flat.tolist() == [0, 3, 1, 4, 2, 5]


def test_reshape_of_a_contiguous_tensor_is_a_view():
    """When the existing strides allow the new shape, reshape returns a view sharing memory, just as view would.

    Hint: a contiguous tensor can always be flattened by strides alone.
    """
    t = torch.arange(6).reshape(2, 3)
    flat = t.reshape(6)
    flat[0] = 42
    assert t[0, 0].item() == 42


def test_contiguous_returns_the_tensor_itself_when_already_contiguous():
    """t.contiguous() returns t itself, with no copy, if t is already contiguous.

    Hint: compare identities with `is`.
    """
    t = torch.arange(6).reshape(2, 3)
    assert (t.contiguous() is t) == True


def test_contiguous_copies_into_row_major_order():
    """contiguous() on a non-contiguous tensor copies its elements into new memory in row-major order for its current shape.

    Hint: the copy has shape (3, 2).
    """
    t = torch.arange(6).reshape(2, 3).t()
    c = t.contiguous()
    assert c.stride() == (2, 1)
    assert (c.data_ptr() == t.data_ptr()) == False


def test_clone_always_gets_new_memory():
    """clone() copies into new memory even when the tensor is contiguous, so the clone and the original are independent.

    Hint: c was changed, not t.
    """
    t = torch.arange(3)
    c = t.clone()
    c[0] = 99
    assert t.tolist() == [0, 1, 2]


def test_clone_preserves_the_layout_of_a_transposed_tensor():
    """clone() keeps the strides of a dense non-contiguous tensor such as a transpose (memory_format=torch.preserve_format), so the clone is not contiguous either.

    Hint: the clone has the same strides as the transpose it copied.
    """
    t = torch.arange(6).reshape(2, 3).t()
    c = t.clone()
    assert c.stride() == (1, 3)


def test_clone_can_be_asked_for_row_major_order():
    """clone(memory_format=torch.contiguous_format) copies into row-major order instead of preserving the layout.

    Hint: the strides of a fresh tensor of shape (3, 2).
    """
    t = torch.arange(6).reshape(2, 3).t()
    c = t.clone(memory_format=torch.contiguous_format)
    assert c.stride() == (2, 1)


def test_view_with_a_dtype_reinterprets_the_bytes():
    """t.view(dtype) reads the same bytes as another dtype without copying; with a smaller element size the last dimension grows accordingly.

    Hint: each float32 is 4 bytes, each uint8 is 1.
    """
    t = torch.zeros(4, dtype=torch.float32)
    assert t.view(torch.uint8).shape == (16,)
