"""Reductions: which dimension disappears, values with their indices, ties, empty inputs and std's correction."""

import torch

from kata import __, raises


def test_dim_names_the_dimension_that_disappears():
    """t.sum(dim=d) adds up the elements that differ only in their index along d, so dimension d disappears from the result.

    Hint: t holds 0 to 5 in two rows of three; along dim 0 the two elements of each column meet.
    """
    t = torch.arange(6).reshape(2, 3)
    assert t.sum(dim=0).tolist() == __


def test_keepdim_leaves_a_size_one_dimension_in_place():
    """dim may be a tuple of dimensions, all reduced at once; keepdim=True leaves each of them in place with size 1 instead of removing it.

    Hint: two of the three dimensions are reduced; the first result removes them, the second keeps them.
    """
    t = torch.zeros(2, 3, 4)
    assert t.sum(dim=(0, 2)).shape == __
    assert t.sum(dim=(0, 2), keepdim=True).shape == __


def test_keepdim_lets_the_result_broadcast_back():
    """A result reduced with keepdim=True lines up with its input again, so it broadcasts along the reduced dimension: dividing by the row sums normalises each row.

    Hint: each row is divided by its own total.
    """
    t = torch.tensor([[1.0, 3.0], [2.0, 6.0]])
    assert (t / t.sum(dim=1, keepdim=True)).tolist() == __


def test_max_along_a_dim_returns_values_and_indices():
    """t.max(dim=d) returns a named tuple (values, indices): the largest element along d and its index along d.

    Hint: indices count positions within each row, from 0.
    """
    t = torch.tensor([[1, 5, 2], [7, 0, 3]])
    values, indices = t.max(dim=1)
    assert values.tolist() == __
    assert indices.tolist() == __


def test_argmax_without_dim_indexes_the_flattened_tensor():
    """Without dim, argmax looks at all elements in row-major order and returns one index into that flattened order, not a pair of coordinates.

    Hint: count along the first row, then continue into the second.
    """
    t = torch.tensor([[1, 2, 0], [4, 9, 3]])
    assert t.argmax().item() == __


def test_argmax_picks_the_first_of_tied_maxima():
    """torch's documentation of max and argmax says that when several elements tie for the largest value, the index of the first of them is returned.

    Hint: look for the earliest position of each row's largest value.
    """
    t = torch.tensor([[3, 3, 1], [0, 4, 4]])
    assert t.argmax(dim=1).tolist() == __


def test_amax_shares_the_gradient_between_ties_but_max_with_dim_does_not():
    """The documented gradient of amax is split evenly between all the elements equal to the maximum; max(dim) sends it only to the one index it returned.

    Hint: two elements tie for the largest value; the returned index is the first of them.
    """
    a = torch.tensor([1.0, 3.0, 3.0], requires_grad=True)
    a.amax().backward()
    assert a.grad.tolist() == __
    b = torch.tensor([1.0, 3.0, 3.0], requires_grad=True)
    b.max(dim=0).values.backward()
    assert b.grad.tolist() == __


def test_an_empty_reduction_returns_the_identity_of_the_operation():
    """Reducing no elements at all gives the identity of the operation: the value that leaves any number unchanged when combined with it.

    Hint: each row of t has no elements; what can you add to, or multiply by, without changing anything?
    """
    t = torch.ones(2, 0)
    assert t.sum(dim=1).tolist() == __
    assert t.prod(dim=1).tolist() == __


def test_max_has_no_identity_so_an_empty_dimension_raises():
    """max has no identity value, so it refuses to reduce along a dimension of size 0 (an IndexError naming that dimension), yet reducing along another dimension of the same empty tensor is fine and gives an empty result.

    Hint: t has shape (0, 3); which dimension has no elements to compare?
    """
    t = torch.zeros(0, 3)
    assert t.amax(dim=1).shape == __
    with raises(IndexError, match=__):
        t.amax(dim=0)


def test_sum_of_small_integers_does_not_overflow_their_dtype():
    """sum of a bool or integer tensor returns PyTorch's widest signed integer type whatever the input's integer type, so the total can exceed what the input's dtype could hold.

    Hint: an int8 holds at most 127; the sum is not an int8.
    """
    s = torch.tensor([100, 100], dtype=torch.int8).sum()
    assert s.dtype == __
    assert s.item() == __


def test_median_of_an_even_count_is_the_lower_middle_value():
    """torch's documentation of median says that for an even number of elements it returns the lower of the two middle values (an element of the input), where quantile(0.5) interpolates between them.

    Hint: sort the four numbers first.
    """
    t = torch.tensor([4.0, 1.0, 3.0, 2.0])
    assert t.median().item() == __
    assert t.quantile(0.5).item() == __


def test_std_divides_by_n_minus_the_correction():
    """var and std divide the sum of squared deviations from the mean by N - correction; the default correction is 1 (Bessel's), and correction=0 gives the population variance.

    Hint: the mean of 1, 3 and 5 is 3; add up the squared deviations first.
    """
    t = torch.tensor([1.0, 3.0, 5.0])
    assert t.std().item() == __
    assert t.var(correction=2).item() == __
