"""DataLoader: batching, the last short batch, and loaders over iterable datasets."""

import pytest
import torch
from torch.utils.data import DataLoader, IterableDataset

from kata import __, raises


class Count(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


def test_dataloader_batches_consecutive_items():
    """Without shuffling a DataLoader takes the items in order, batch_size at a time, and collates each batch into a tensor.

    Hint: the last batch takes what is left.
    """
    loader = DataLoader(list(range(10)), batch_size=4)
    assert [b.tolist() for b in loader] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_len_of_a_loader_counts_batches():
    """len(loader) is the number of batches, ceil(len(dataset) / batch_size) by default.

    Hint: 10 items, 4 per batch.
    """
    assert len(DataLoader(list(range(10)), batch_size=4)) == 3


def test_drop_last_drops_the_short_batch():
    """drop_last=True throws away a final batch smaller than batch_size.

    Hint: 10 items, 4 per batch.
    """
    loader = DataLoader(list(range(10)), batch_size=4, drop_last=True)
    assert len(loader) == 2


def test_default_batch_size_is_one():
    """DataLoader's batch_size defaults to 1, so each batch still has a batch dimension of size 1.

    Hint: the first batch of [0, 1, 2] is a tensor, not the int 0.
    """
    batch = next(iter(DataLoader([0, 1, 2])))
    assert batch.tolist() == [0]


def test_batch_size_none_turns_batching_off():
    """batch_size=None disables automatic batching: the loader yields the dataset's items one by one, unstacked, through default_convert, which turns only NumPy arrays into tensors.

    Hint: the dataset holds plain Python numbers, no NumPy arrays.
    """
    items = list(DataLoader([5, 6, 7], batch_size=None))
    assert items == [5, 6, 7]
    assert type(items[0]) is int


def test_iterable_dataset_batches_in_stream_order():
    """With an IterableDataset the loader batches the stream as it comes; the last batch is short.

    Hint: the stream is 0, 1, 2, 3, 4.
    """
    assert [b.tolist() for b in DataLoader(Count(5), batch_size=2)] == [[0, 1], [2, 3], [4]]


def test_iterable_dataset_refuses_shuffle():
    """A loader cannot shuffle an IterableDataset, which has no indices; shuffle=True raises a ValueError.

    Hint: the message says what the loader expected of the shuffle option.
    """
    with raises(ValueError, match="expected unspecified shuffle option"):
        DataLoader(Count(5), shuffle=True)


def test_sampler_and_shuffle_are_exclusive():
    """Passing your own sampler decides the order already, so shuffle=True alongside it raises a ValueError.

    Hint: the message names the sampler option and ends with the formal phrase for options that rule each other out.
    """
    sampler = torch.utils.data.SequentialSampler(range(4))
    with raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(list(range(4)), sampler=sampler, shuffle=True)
