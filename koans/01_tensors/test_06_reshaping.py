"""Changing shape: reshape, view, squeeze, unsqueeze, flatten, permute, transpose, expand and repeat."""

import torch

from kata import __, raises


def test_reshape_keeps_the_row_major_order():
    """reshape lays the same elements, in the same row-major order, into the new shape; one size may be -1, which torch works out so that the number of elements stays the same.

    Hint: first solve for the -1, then find where t[1, 0] starts counting in row-major order.
    """
    t = torch.arange(12).reshape(2, -1, 3)
    assert t.shape == __
    assert t[1, 0].tolist() == __


def test_reshape_must_keep_the_number_of_elements():
    """A shape that cannot hold exactly the input's elements is refused with a RuntimeError; the message quotes the shape as it was asked for and the input's number of elements.

    Hint: is the -1 worked out before the message is written?
    """
    t = torch.arange(12)
    with raises(RuntimeError, match=__):
        t.reshape(-1, 5)


def test_view_shares_memory_with_the_original():
    """x.view(shape) returns a tensor that looks at the same memory as x, so writing through the view changes x.

    Hint: which position of x does row 1, column 0 of the view name?
    """
    x = torch.arange(6)
    v = x.view(2, 3)
    v[1, 0] = 100
    assert x.tolist() == __


def test_squeeze_and_unsqueeze_remove_and_insert_size_one_dimensions():
    """squeeze() drops every dimension of size 1; squeeze(d) drops dimension d only if its size is 1 and otherwise returns the shape unchanged, without an error; unsqueeze(d) inserts a size-1 dimension so that it becomes dimension d of the result (-1 for last).

    Hint: apply each call to t's shape in turn; squeezing a dimension that is not 1 is not an error.
    """
    t = torch.zeros(1, 3, 1, 2)
    squeezed = [t.squeeze(), t.squeeze(1), t.squeeze(2), t.unsqueeze(-1), t.squeeze(0).unsqueeze(1)]
    assert [tuple(s.shape) for s in squeezed] == __


def test_flatten_merges_a_run_of_dimensions():
    """flatten(start_dim=0, end_dim=-1) merges the dimensions from start_dim to end_dim, both included, into one whose size is the product of theirs; the others stay.

    Hint: which dimensions does each call merge, and which does it leave alone?
    """
    t = torch.zeros(2, 3, 4)
    assert [tuple(t.flatten(*dims).shape) for dims in [(), (1,), (0, 1)]] == __


def test_permute_and_transpose_reorder_the_dimensions():
    """t.permute(order) makes dimension i of the result t's dimension order[i], so an element moves with its indices; transpose(a, b) swaps two dimensions, and t.t() is transpose(0, 1) of a matrix.

    Hint: p[i, j, k] is t at the index you get by putting i, j and k back in t's order; t holds 0 to 23 row by row.
    """
    t = torch.arange(24).reshape(2, 3, 4)
    p = t.permute(2, 0, 1)
    assert (tuple(p.shape), p[1, 0, 2].item()) == __
    assert torch.arange(6).reshape(2, 3).t().tolist() == __


def test_expand_stretches_size_one_dimensions():
    """expand stretches dimensions of size 1 (and adds new leading ones) to the sizes asked for, repeating the values without copying them; the other dimensions must keep their size (-1 keeps a size as it is).

    Hint: a column of three, stretched sideways.
    """
    t = torch.arange(3).reshape(3, 1)
    assert t.expand(3, 2).tolist() == __


def test_expand_lines_up_sizes_from_the_right():
    """expand lines up the target sizes with the tensor's from the right, like broadcasting; a dimension whose size is not 1 cannot change, and the message names it by its position in the target shape.

    Hint: line up (3, 1) under the right end of (2, 4, 5).
    """
    t = torch.zeros(3, 1)
    with raises(RuntimeError, match=__):
        t.expand(2, 4, 5)


def test_repeat_tiles_and_repeat_interleave_repeats_each_element():
    """t.repeat(*sizes) tiles the whole tensor, sizes[i] copies along dimension i (adding leading dimensions when there are more sizes than dimensions); t.repeat_interleave(n) repeats each element n times before moving on, and n may be a tensor of one count per element.

    Hint: tiles put copies of the whole tensor side by side; interleaving keeps each value's copies together.
    """
    t = torch.tensor([1, 2])
    assert t.repeat(2, 2).tolist() == __
    assert t.repeat_interleave(2).tolist() == __
    assert t.repeat_interleave(torch.tensor([1, 3])).tolist() == __
