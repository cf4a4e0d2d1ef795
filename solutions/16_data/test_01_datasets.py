"""Datasets: map-style and iterable, and the helpers that combine and split them."""

import pytest
import torch
from torch.utils.data import (
    DataLoader,
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


class SizedCount(Count):
    """A stream that also says how long it is."""

    def __len__(self):
        return self.n


def test_a_map_style_dataset_gets_the_raw_index():
    """A map-style Dataset is only __len__ and __getitem__: dataset[i] calls __getitem__(i) with i exactly as written, nothing checks or wraps it; the loader's sampler is what keeps the indices in range(len(dataset)).

    Hint: a Python list would wrap a negative index; does Squares?
    """
    ds = Squares(3)
    assert ds[-2] == 4
    assert list(DataLoader(ds, batch_size=None)) == [0, 1, 4]


def test_tensor_dataset_indexes_every_tensor_the_same_way():
    """TensorDataset(x, y)[index] applies the same index to each tensor's first dimension and returns the results as a tuple, so any index a tensor accepts works, a list of rows included.

    Hint: indexing a tensor with a list of positions gathers those rows in that order.
    """
    x = torch.arange(6).reshape(3, 2)
    y = torch.tensor([10, 11, 12])
    features, labels = TensorDataset(x, y)[[2, 0]]
    assert features.tolist() == [[4, 5], [0, 1]]
    assert labels.tolist() == [12, 10]


def test_a_subset_of_a_subset_composes_the_indices():
    """Subset(dataset, indices) holds no items, only indices: its item i is dataset[indices[i]], and a Subset of a Subset looks its indices up through both.

    Hint: work from the outer Subset inwards.
    """
    inner = Subset(list("abcdef"), [4, 0, 2])
    outer = Subset(inner, [2, 0])
    assert list(outer) == ["c", "e"]


def test_adding_map_style_datasets_continues_the_index():
    """`a + b` on map-style datasets builds a ConcatDataset: indices past len(a) continue into b (index len(a) is b[0]), and, unlike a bare Dataset, it turns a negative index into len(self) + index first.

    Hint: find which dataset each index falls into, and the index inside it.
    """
    ds = Squares(3) + Squares(4)
    assert len(ds) == 7
    assert [ds[i] for i in (2, 3, 6, -1)] == [4, 0, 9, 9]


def test_adding_iterable_datasets_chains_them_into_one_stream():
    """`a + b` on iterable datasets builds a ChainDataset: one stream that exhausts a, then runs b. The loader batches that stream as it comes, so a batch may hold the end of one dataset and the start of the next.

    Hint: write out the chained stream first, then cut it into batches.
    """
    loader = DataLoader(Count(3) + Count(2), batch_size=2)
    assert [b.tolist() for b in loader] == [[0, 1], [2, 0], [1]]


def test_a_loader_has_a_length_only_if_its_dataset_does():
    """len(loader) over an IterableDataset asks the dataset for its __len__, which IterableDataset does not define; a stream that defines one gets ceil(len / batch_size) batches like a map-style dataset.

    Hint: what does Python raise when len() is called on an object without __len__?
    """
    with pytest.raises(Exception) as info:
        len(DataLoader(Count(5), batch_size=2))
    assert info.type is TypeError
    assert len(DataLoader(SizedCount(5), batch_size=2)) == 3


def test_random_split_subsets_index_into_the_original():
    """random_split returns Subsets of the dataset it was given: each holds a random share of the indices, none holds copies of the items, and together they cover every index exactly once.

    Hint: the subsets read the list when they are iterated, not when they are made.
    """
    data = [0, 1, 2, 3, 4, 5]
    a, b = random_split(data, [4, 2], generator=torch.Generator().manual_seed(0))
    data[:] = [10 * x for x in data]
    assert sorted(list(a) + list(b)) == [0, 10, 20, 30, 40, 50]


def test_random_split_by_fractions_hands_out_the_remainder():
    """Fractions summing to 1 are multiplied by the length and floored; the items left over go one each to the subsets in turn, starting from the first, whatever the fractions' sizes.

    Hint: floor each share first, then count what is left over.
    """
    g = torch.Generator().manual_seed(0)
    parts = random_split(range(10), [0.25, 0.25, 0.5], generator=g)
    assert [len(p) for p in parts] == [3, 2, 5]


def test_random_split_treats_fractions_that_miss_one_as_lengths():
    """random_split reads lengths as fractions only when they sum to 1; otherwise they are taken as item counts, which must add up to the dataset's length, or it raises a ValueError.

    Hint: these two numbers do not sum to 1, so which check do they reach? The message begins by naming what it added up (mind the capital letter).
    """
    with raises(ValueError, match="Sum of input lengths"):
        random_split(range(10), [0.5, 0.6])
