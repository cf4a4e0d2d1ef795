"""DataLoader: batching, the last short batch, and loaders over iterable datasets."""

import numpy as np
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


def test_len_of_a_loader_counts_batches_with_or_without_the_short_one():
    """len(loader) is the number of batches: the last, short batch counts, unless drop_last=True throws it away.

    Hint: how many full batches of 3 fit in 10 items, and is anything left?
    """
    kept = DataLoader(range(10), batch_size=3)
    dropped = DataLoader(range(10), batch_size=3, drop_last=True)
    assert (len(kept), len(dropped)) == (4, 3)


def test_batch_size_none_turns_batching_off():
    """DataLoader's batch_size defaults to 1, and each batch still gets a batch dimension. batch_size=None disables automatic batching instead: items come one by one, unstacked, through default_convert, which turns only NumPy arrays into tensors.

    Hint: compare what the dataset holds with what each loader hands out.
    """
    first = next(iter(DataLoader([5, 6, 7])))
    assert first.shape == (1,)
    assert type(next(iter(DataLoader([5, 6, 7], batch_size=None)))) is int
    assert type(next(iter(DataLoader([np.array([5, 6])], batch_size=None)))) is torch.Tensor


def test_drop_last_works_on_a_stream_too():
    """A loader over an IterableDataset cannot know the stream's length in advance; it batches as items come and, with drop_last=True, throws away a short batch when the stream ends.

    Hint: the stream is Count(5).
    """
    assert [b.tolist() for b in DataLoader(Count(5), batch_size=2, drop_last=True)] == [[0, 1], [2, 3]]


def test_iterable_dataset_refuses_only_a_true_shuffle():
    """A loader cannot reorder an IterableDataset, which has no indices; it accepts shuffle left unset or False (which ask for no reordering) and raises a ValueError on anything else.

    Hint: the message says what the loader expected of the shuffle option.
    """
    DataLoader(Count(5), shuffle=False)
    with raises(ValueError, match="expected unspecified shuffle"):
        DataLoader(Count(5), shuffle=True)


def test_sampler_and_shuffle_are_exclusive():
    """Passing your own sampler decides the order already, so shuffle=True alongside it raises a ValueError.

    Hint: the message names the sampler option and ends with the formal phrase for options that rule each other out.
    """
    sampler = torch.utils.data.SequentialSampler(range(4))
    with raises(ValueError, match="mutually exclusive"):
        DataLoader(list(range(4)), sampler=sampler, shuffle=True)
