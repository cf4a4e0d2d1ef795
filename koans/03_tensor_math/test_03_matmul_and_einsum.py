"""Matrix products and einsum: matmul's rules for 1-D operands, mm and bmm's strictness, and einsum equations."""

import torch

from kata import __, raises


def test_a_1d_left_operand_acts_as_a_row():
    """matmul treats a 1-D first operand as a row vector: it puts a dimension of size 1 in front, multiplies, then removes that dimension from the result.

    Hint: each output element is v dotted with one column of m.
    """
    v = torch.tensor([1.0, 2.0])
    m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert (v @ m).tolist() == __


def test_a_1d_right_operand_acts_as_a_column():
    """matmul treats a 1-D second operand as a column vector: it appends a dimension of size 1, multiplies, then removes it again.

    Hint: each output element is one row of m dotted with v.
    """
    v = torch.tensor([1.0, 2.0])
    m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert (m @ v).tolist() == __


def test_two_1d_operands_leave_no_dimension_at_all():
    """With both operands 1-D, both added dimensions are removed again, so the product of two vectors is their dot product as a tensor with no dimensions.

    Hint: a row times a column is a 1x1 matrix before the two added dimensions go.
    """
    v = torch.tensor([1.0, 2.0, 3.0])
    assert (v @ v).shape == __
    assert (v @ v).item() == __


def test_the_added_dimension_shows_in_the_shape_error():
    """The size-1 dimension matmul adds to a 1-D operand is real while it multiplies, so a mismatch is reported with the operand already made into a matrix.

    Hint: the message writes each matrix as rows x columns; v became a row.
    """
    v = torch.zeros(3)
    m = torch.zeros(2, 3)
    with raises(RuntimeError, match=__):
        v @ m


def test_a_1d_operand_is_broadcast_over_a_batch():
    """A 1-D first operand of a batched matmul becomes one row, multiplied by every matrix of the batch, and its added dimension is removed from each result.

    Hint: the batch holds two (3, 4) matrices.
    """
    v = torch.zeros(3)
    batch = torch.zeros(2, 3, 4)
    assert torch.matmul(v, batch).shape == __


def test_mm_accepts_only_matrices():
    """torch.mm has none of matmul's rules for 1-D operands or batches: both arguments must be 2-D, and its RuntimeError names the one that is not by its parameter name in the operator's schema, mm(self, mat2).

    Hint: which of the two parameters received the vector?
    """
    m = torch.zeros(2, 3)
    v = torch.zeros(3)
    with raises(RuntimeError, match=__):
        torch.mm(m, v)


def test_bmm_needs_equal_batch_sizes_where_matmul_broadcasts():
    """torch.bmm multiplies two 3-D tensors batch by batch with no broadcasting, so the second operand must have exactly the batch size and inner size the first one implies; matmul broadcasts the same pair.

    Hint: the message writes the first two sizes batch2 should have had, in square brackets.
    """
    a = torch.zeros(2, 2, 3)
    b = torch.zeros(1, 3, 4)
    assert torch.matmul(a, b).shape == __
    with raises(RuntimeError, match=__):
        torch.bmm(a, b)


def test_einsum_sums_over_the_indices_left_out_of_the_output():
    """In an einsum equation each letter names a dimension; a letter that appears in the inputs but not after the arrow is summed over, as j is in "ij,jk->ik" (a matrix product).

    Hint: i numbers the rows of a; which letter is summed away?
    """
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert torch.einsum("ij->j", a).tolist() == __


def test_the_output_letters_set_the_output_order():
    """The letters after the arrow give the output's dimensions in that order, so reordering them permutes the dimensions.

    Hint: the output's first dimension is the input's second.
    """
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert torch.einsum("ij->ji", a).tolist() == __


def test_a_repeated_letter_walks_the_diagonal():
    """A letter repeated within one operand makes both dimensions move together, so only the elements with equal indices take part: "ii->i" is the diagonal, and summing it gives the trace.

    Hint: a holds 0 to 8 in three rows; add up a[i, i] for each i.
    """
    a = torch.arange(9.0).reshape(3, 3)
    assert torch.einsum("ii->", a).item() == __


def test_without_an_arrow_the_output_letters_are_sorted():
    """Without "->", einsum's output keeps the letters that appear exactly once, sorted in alphabetical order, whatever order they were written in.

    Hint: the letters are sorted, not the dimensions of the input; b names the rows.
    """
    a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert torch.einsum("ba", a).tolist() == __
    x = torch.zeros(2)
    y = torch.zeros(3)
    assert torch.einsum("j,i", x, y).shape == __


def test_a_letter_kept_in_the_output_is_a_batch():
    """A letter shared by the operands and kept after the arrow is neither summed nor paired off: it is a batch dimension, so "bi,bj->bij" makes one outer product per batch element.

    Hint: entry [b, i, j] is x[b, i] * y[b, j].
    """
    x = torch.tensor([[1.0, 2.0]])
    y = torch.tensor([[3.0, 4.0, 5.0]])
    assert torch.einsum("bi,bj->bij", x, y).tolist() == __


def test_row_wise_dot_products_keep_one_letter():
    """Writing the same letters for both operands multiplies them element by element; keeping only some letters after the arrow sums the products over the rest.

    Hint: the rows of a are (0, 1) and (2, 3); each output element is a row dotted with itself.
    """
    a = torch.arange(4.0).reshape(2, 2)
    assert torch.einsum("ij,ij->i", a, a).tolist() == __


def test_the_ellipsis_stands_for_the_leading_dimensions():
    """... in an einsum equation stands for any number of dimensions, carried to the output where ... appears there, so one equation works for every batch shape.

    Hint: the named letters are the last two dimensions.
    """
    t = torch.zeros(5, 2, 3)
    assert torch.einsum("...ij->...ji", t).shape == __


def test_einsum_names_the_letter_whose_sizes_disagree():
    """Every occurrence of a letter must have the same size (or 1, which broadcasts); otherwise einsum's RuntimeError names the letter and the operand, counting operands from 0.

    Hint: which letter appears in both operands, and in which operand does its size disagree with the size seen first?
    """
    a = torch.zeros(2, 3)
    b = torch.zeros(4, 5)
    with raises(RuntimeError, match=__):
        torch.einsum("ij,jk->ik", a, b)
