"""Broadcasting: how two shapes are lined up, stretched without copying, and summed back in backward."""

import torch

from kata import __, raises


def test_shapes_are_lined_up_from_the_right():
    """Broadcasting compares two shapes from their last dimension backwards; in each position the sizes must be equal or one of them must be 1, and the result takes the other size.

    Hint: write the shorter shape under the longer one, aligned on the right, and read off each column.
    """
    a = torch.zeros(5, 1, 4)
    b = torch.zeros(3, 1)
    assert (a + b).shape == __


def test_a_missing_dimension_counts_as_size_one():
    """A shape with fewer dimensions is treated as if padded with size-1 dimensions on the left, and a size-1 dimension reuses its one slice for every position of the other operand.

    Hint: the row (3,) becomes (1, 3); the column (2, 1) already has its 1. Each output element adds one row entry and one column entry.
    """
    row = torch.tensor([10, 20, 30])
    column = torch.tensor([[1], [2]])
    assert (row + column).tolist() == __


def test_a_size_of_one_gives_way_even_to_zero():
    """A size-1 dimension always takes the other operand's size, whatever it is, so broadcasting can shrink a tensor to no elements at all.

    Hint: in each aligned position, the 1 is the size that yields.
    """
    a = torch.zeros(0, 1)
    b = torch.zeros(3)
    assert (a + b).shape == __


def test_the_error_names_the_dimension_of_the_result():
    """When two aligned sizes differ and neither is 1, the RuntimeError gives both sizes and numbers the dimension counting from the left of the broadcast result.

    Hint: align the shapes on the right first; the clash is in the last position of the longer shape.
    """
    a = torch.zeros(4, 2, 3)
    b = torch.zeros(2)
    with raises(RuntimeError, match=__):
        a + b


def test_broadcasting_is_expand_with_stride_zero():
    """torch.broadcast_tensors returns each input expanded to the common shape: a view in which every stretched or added dimension has stride 0, as expand makes (02_strides).

    Hint: x was 1-D and gained a leading dimension; y had a size-1 trailing dimension.
    """
    x, y = torch.broadcast_tensors(torch.arange(3), torch.zeros(2, 1))
    assert x.stride() == __
    assert y.stride() == __


def test_a_column_minus_a_row_is_a_table_of_differences():
    """Indexing with None adds a size-1 dimension, so x[:, None] - x broadcasts a column against a row: entry [i, j] is x[i] - x[j].

    Hint: the diagonal compares each element with itself.
    """
    x = torch.tensor([1, 4, 9])
    assert (x[:, None] - x).tolist() == __


def test_an_inplace_op_cannot_grow_its_left_operand():
    """An in-place op writes its result into the left operand's own memory, so the shape both operands broadcast to must be exactly that operand's shape; otherwise the RuntimeError names the shape the result would have needed.

    Hint: the message calls that shape by what produced it and writes shapes in square brackets; work out what a and b broadcast to.
    """
    a = torch.zeros(3, 1)
    b = torch.zeros(4)
    with raises(RuntimeError, match=__):
        a.add_(b)


def test_an_inplace_op_may_broadcast_its_right_operand():
    """When broadcasting leaves the left operand's shape unchanged, the in-place op is allowed: the right operand is stretched over it.

    Hint: the column holds one factor per row.
    """
    a = torch.arange(6).reshape(2, 3)
    a.mul_(torch.tensor([[1], [10]]))
    assert a.tolist() == __


def test_a_broadcast_input_collects_the_gradient_of_every_copy():
    """Each element of a broadcast input is used at every position of the dimensions it was stretched over, so backward adds up the gradients of all those positions into that one element.

    Hint: the gradient of the sum with respect to each product x * b is the x it was multiplied by; b[j] met a whole column of x.
    """
    b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = torch.arange(6.0).reshape(2, 3)
    (x * b).sum().backward()
    assert b.grad.tolist() == __


def test_the_gradient_keeps_the_inputs_size_one_dimensions():
    """The gradient of an input always has the input's own shape: a stretched size-1 dimension is summed with keepdim, a dimension that broadcasting added is summed away.

    Hint: b is a column of shape (2, 1); each of its elements met one row of x.
    """
    b = torch.ones(2, 1, requires_grad=True)
    x = torch.arange(6.0).reshape(2, 3)
    (x * b).sum().backward()
    assert b.grad.tolist() == __


def test_sum_to_size_undoes_a_broadcast():
    """t.sum_to_size(*shape) is what backward does for a broadcast input: it sums away the leading dimensions that shape lacks and sums with keepdim where shape has a 1.

    Hint: t holds 0 to 7 as (2, 2, 2); the target (2, 1) keeps only the middle dimension.
    """
    t = torch.arange(8.0).reshape(2, 2, 2)
    assert t.sum_to_size(2, 1).tolist() == __


def test_matmul_broadcasts_the_batch_dimensions():
    """matmul treats the last two dimensions of each operand as matrices and broadcasts all the dimensions in front of them as a batch, by the usual right-aligned rule.

    Hint: split each shape into its last two sizes, which multiply as matrices, and the batch sizes in front, which broadcast.
    """
    a = torch.zeros(2, 1, 3, 4)
    b = torch.zeros(5, 4, 6)
    assert torch.matmul(a, b).shape == __
