"""gather and scatter: an index tensor that says, element by element, where to read from or write to."""

import torch

from kata import __, raises


def test_gather_output_takes_the_index_shape():
    """torch.gather(t, 1, index) makes out[i][j] = t[i][index[i][j]]: the output has the index's shape, and each index entry picks a column within its own row.

    Hint: the first row of index picks from t's first row, the second from the second.
    """
    t = torch.tensor([[10, 11, 12], [20, 21, 22]])
    index = torch.tensor([[2, 0], [1, 1]])
    assert torch.gather(t, 1, index).tolist() == __


def test_gather_along_dim_0_picks_a_row_for_each_column():
    """Along dim 0 the roles swap: out[i][j] = t[index[i][j]][j], so each index entry chooses the row while the column stays the index entry's own column.

    Hint: one row of index, three entries: for column j, which row of t does it read?
    """
    t = torch.tensor([[10, 11, 12], [20, 21, 22]])
    index = torch.tensor([[1, 0, 1]])
    assert torch.gather(t, 0, index).tolist() == __


def test_gather_checks_every_dimension_but_dim():
    """Along every dimension other than dim, gather uses the index's position directly as t's position, so the index may be smaller than t there but never larger; the RuntimeError numbers the dimension that is too large.

    Hint: index has shape (3, 1) and t has shape (2, 3); gather reads along dim 1.
    """
    t = torch.tensor([[10, 11, 12], [20, 21, 22]])
    index = torch.zeros(3, 1, dtype=torch.long)
    with raises(RuntimeError, match=__):
        torch.gather(t, 1, index)


def test_scatter_writes_where_the_index_points():
    """t.scatter_(1, index, src) is gather run backwards: it writes t[i][index[i][j]] = src[i][j], leaving every element no index points at as it was.

    Hint: each row of index holds a single column number.
    """
    t = torch.zeros(2, 4)
    index = torch.tensor([[3], [0]])
    src = torch.tensor([[1.0], [2.0]])
    t.scatter_(1, index, src)
    assert t.tolist() == __


def test_scatter_add_accumulates_repeated_indices():
    """scatter_add_ adds each src element into the position its index names, so every src element sent to the same position is added there: a histogram in one call.

    Hint: three src elements are sent to position 0.
    """
    t = torch.zeros(4)
    index = torch.tensor([0, 2, 0, 0])
    src = torch.tensor([1.0, 2.0, 3.0, 4.0])
    t.scatter_add_(0, index, src)
    assert t.tolist() == __


def test_scatter_reduce_includes_the_original_values_by_default():
    """scatter_reduce combines the src elements sent to each position with a reduction such as "amax"; with the default include_self=True the value already there takes part too, and with include_self=False it is replaced by the reduction of the src elements alone.

    Hint: t starts at zero everywhere; the two elements sent to position 0 are both negative, and nothing is sent to position 1.
    """
    t = torch.zeros(3)
    index = torch.tensor([0, 0, 2])
    src = torch.tensor([-1.0, -5.0, 2.0])
    assert t.scatter_reduce(0, index, src, reduce="amax").tolist() == __
    assert t.scatter_reduce(0, index, src, reduce="amax", include_self=False).tolist() == __


def test_scatter_reduce_mean_counts_the_original_value():
    """With reduce="mean" and include_self=True the value already in t counts as one more element of the average at each position that receives src elements.

    Hint: position 0 averages three numbers, position 2 two; position 1 receives nothing.
    """
    t = torch.zeros(3)
    index = torch.tensor([0, 0, 2])
    src = torch.tensor([3.0, 6.0, 9.0])
    assert t.scatter_reduce(0, index, src, reduce="mean").tolist() == __


def test_the_gradient_of_gather_is_a_scatter_add():
    """Backward through gather sends each output gradient back to the element it was read from, adding where one element was read several times: gather's backward is a scatter_add.

    Hint: the gradient of a sum is 1 for every gathered element; count how often each element of x was read.
    """
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.gather(0, torch.tensor([0, 0, 2])).sum().backward()
    assert x.grad.tolist() == __


def test_picking_one_class_per_row_with_gather():
    """Gathering along dim 1 with an index of shape (rows, 1) takes one element from each row, as a loss does when it picks the score of each sample's target class.

    Hint: target names a column for each row; the output keeps index's two dimensions.
    """
    scores = torch.tensor([[0.25, 0.5, 0.25], [0.75, 0.125, 0.125]])
    target = torch.tensor([1, 0])
    picked = scores.gather(1, target[:, None])
    assert picked.shape == __
    assert picked.tolist() == __
