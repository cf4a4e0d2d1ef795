"""Index ops: index_select, index_add_, index_put_, masked_select, and when an index reads a copy or writes in place."""

import torch

from kata import __


def test_index_select_takes_whole_slices_in_index_order():
    """t.index_select(dim, index) takes the whole slices of t at those positions along dim, in the order of index, repeats included.

    Hint: along dim 1 a slice is a column; t holds 0 to 11 in three rows of four.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t.index_select(1, torch.tensor([3, 0, 3])).tolist() == [[3, 0, 3], [7, 4, 7], [11, 8, 11]]


def test_index_select_keeps_the_dimension_an_integer_removes():
    """index_select always keeps dim, with the length of the index, whereas indexing with an integer removes that dimension.

    Hint: one position was selected along dim 0.
    """
    t = torch.arange(12).reshape(3, 4)
    assert t.index_select(0, torch.tensor([2])).shape == (1, 4)


def test_index_add_adds_whole_slices_and_accumulates():
    """t.index_add_(dim, index, source) adds slice k of source into slice index[k] of t; slices sent to the same position are all added there.

    Hint: source's first and third rows are sent to the same row of t.
    """
    t = torch.zeros(3, 2)
    source = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    t.index_add_(0, torch.tensor([2, 0, 2]), source)
    assert t.tolist() == [[2.0, 2.0], [0.0, 0.0], [4.0, 4.0]]


def test_index_put_with_accumulate_adds_at_repeated_positions():
    """t.index_put_(indices, values, accumulate=True) pairs the index tensors position by position, as advanced indexing does, and adds each value at its position, so repeated positions add up; values broadcasts over the positions.

    Hint: the positions are (0, 2), (1, 0) and (0, 2) again.
    """
    t = torch.zeros(2, 3)
    rows = torch.tensor([0, 1, 0])
    cols = torch.tensor([2, 0, 2])
    t.index_put_((rows, cols), torch.tensor(1.0), accumulate=True)
    assert t.tolist() == [[0.0, 0.0, 2.0], [1.0, 0.0, 0.0]]


def test_plus_equals_through_an_index_does_not_accumulate():
    """t[idx] += v is three steps: read t[idx] into a new tensor, add v to it, write it back with index_put_ without accumulate. A repeated index reads the same old value every time, so it receives the addition only once.

    Hint: position 0 appears twice in idx, and both copies write back the same number.
    """
    t = torch.zeros(3)
    idx = torch.tensor([0, 0, 2])
    t[idx] += 1
    assert t.tolist() == [1.0, 0.0, 1.0]


def test_index_tensors_broadcast_against_each_other():
    """Several index tensors in one subscript are broadcast together like operands of an arithmetic op, and the result has their broadcast shape: a column of rows and a row of columns pick a whole grid.

    Hint: entry [a, b] of the result is t[rows[a, 0], cols[b]].
    """
    t = torch.arange(12).reshape(3, 4)
    rows = torch.tensor([[0], [2]])
    cols = torch.tensor([1, 3])
    assert t[rows, cols].tolist() == [[1, 3], [9, 11]]


def test_advanced_indices_split_by_a_slice_move_to_the_front():
    """When advanced indices sit next to each other, the dimensions they index are replaced in place by the index's broadcast shape; when a slice separates them, PyTorch (like NumPy) cannot tell where to put it and moves it to the front.

    Hint: both results index dims 1 and one other with [0, 1]; a (2, 3, 4, 5) tensor keeps the dimensions that are sliced.
    """
    x = torch.zeros(2, 3, 4, 5)
    assert x[:, [0, 1], [0, 1]].shape == (2, 2, 5)
    assert x[:, [0, 1], :, [0, 1]].shape == (2, 2, 4)


def test_masked_select_broadcasts_its_mask_and_flattens():
    """t.masked_select(mask) broadcasts the mask against t and returns the selected elements in row-major order as a 1-D tensor.

    Hint: the mask is one row, applied to each of the three rows of t.
    """
    t = torch.arange(12).reshape(3, 4)
    mask = torch.tensor([True, False, False, True])
    assert t.masked_select(mask).tolist() == [0, 3, 4, 7, 8, 11]


def test_masked_select_copies_into_memory_of_its_own():
    """The elements masked_select returns are scattered through t's memory, so they cannot be a strided view: they are copied into a new storage holding exactly the selected elements.

    Hint: count the multiples of 5 among 0 to 11; each int64 takes 8 bytes.
    """
    t = torch.arange(12).reshape(3, 4)
    selected = t.masked_select(t % 5 == 0)
    assert selected.untyped_storage().nbytes() == 24


def test_masked_fill_keeps_the_shape():
    """t.masked_fill(mask, value) returns a tensor of t's shape with value wherever the broadcast mask is True and t's element elsewhere.

    Hint: the mask is a column, one flag per row.
    """
    t = torch.arange(6).reshape(2, 3)
    mask = torch.tensor([[True], [False]])
    assert t.masked_fill(mask, -1).tolist() == [[-1, -1, -1], [3, 4, 5]]


def test_assigning_into_an_advanced_index_writes_in_place():
    """t[idx] = values is not a read: Python calls t.__setitem__, which writes into t with index_put_, the index and the values paired position by position.

    Hint: idx lists position 4 first.
    """
    t = torch.zeros(5)
    t[torch.tensor([4, 0])] = torch.tensor([1.0, 2.0])
    assert t.tolist() == [2.0, 0.0, 0.0, 0.0, 1.0]


def test_a_chained_assignment_writes_only_through_a_view():
    """In t[a][b] = v only the last subscript is an assignment; t[a] is read first, so the write reaches t only when t[a] is a view (basic indexing) and is lost in a copy (advanced indexing).

    Hint: one chained assignment goes through a slice, the other through an index tensor.
    """
    t = torch.arange(5)
    t[torch.tensor([1, 3])][0] = 50
    t[1:4][1] = 60
    assert t.tolist() == [0, 1, 60, 3, 4]
