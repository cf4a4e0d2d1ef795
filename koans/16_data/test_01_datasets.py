"""Datasets: map-style and iterable, and the helpers that combine and split them."""

import pytest
import torch
from torch.utils.data import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)

from kata import __, raises


class Squares(Dataset):
    """A map-style dataset: __len__ and __getitem__ by index."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i * i


class Count(IterableDataset):
    """An iterable-style dataset: only __iter__."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


def test_map_style_dataset_is_indexed():
    """A map-style Dataset answers len() and dataset[i] through __len__ and __getitem__.

    Hint: the item at index 3 of Squares.
    """
    ds = Squares(5)
    assert (len(ds), ds[3]) == __


def test_tensor_dataset_returns_a_tuple_per_index():
    """TensorDataset(x, y) indexes every tensor along its first dimension and returns the slices as a tuple.

    Hint: row 1 of x and element 1 of y.
    """
    x = torch.arange(6).reshape(3, 2)
    y = torch.tensor([10, 11, 12])
    ds = TensorDataset(x, y)
    features, label = ds[1]
    assert features.tolist() == __
    assert label.item() == __


def test_subset_reindexes_in_the_given_order():
    """Subset(dataset, indices) has len(indices) items, and its item i is dataset[indices[i]].

    Hint: follow the indices 4, 0, 2 in order.
    """
    sub = Subset(list("abcdef"), [4, 0, 2])
    assert list(sub) == __


def test_concat_dataset_continues_the_index():
    """ConcatDataset joins map-style datasets end to end: index len(first) is the first item of the second.

    Hint: the first dataset has three items.
    """
    ds = ConcatDataset([list("abc"), list("de")])
    assert (len(ds), ds[3]) == __


def test_iterable_dataset_has_no_len():
    """An IterableDataset defines only __iter__; without __len__, len() is a TypeError.

    Hint: the usual Python complaint about len().
    """
    with raises(TypeError, match=__):
        len(Count(3))


def test_chain_dataset_runs_iterables_one_after_another():
    """ChainDataset chains iterable datasets: it exhausts the first, then iterates the second.

    Hint: Count(2) then Count(3).
    """
    assert list(ChainDataset([Count(2), Count(3)])) == __


def test_random_split_by_lengths():
    """random_split(dataset, lengths) returns one Subset per length; together they hold every item exactly once.

    Hint: the order inside the subsets is random, their sizes and union are not.
    """
    g = torch.Generator().manual_seed(0)
    train, val = random_split(range(10), [7, 3], generator=g)
    assert (len(train), len(val)) == __
    assert sorted(list(train) + list(val)) == __


def test_random_split_by_fractions_hands_out_the_remainder():
    """Fractions summing to 1 are floored into lengths; the items left over go one each to the subsets in turn, starting from the first.

    Hint: half of 5 is 2.5.
    """
    g = torch.Generator().manual_seed(0)
    a, b = random_split(range(5), [0.5, 0.5], generator=g)
    assert (len(a), len(b)) == __


def test_random_split_lengths_must_add_up():
    """Integer lengths passed to random_split must add up to the dataset's length, or it raises a ValueError.

    Hint: 7 + 4 is not 10; the message begins by naming what it added up (mind the capital letter).
    """
    with raises(ValueError, match=__):
        random_split(range(10), [7, 4])
