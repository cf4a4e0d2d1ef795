"""Samplers: the index streams behind a DataLoader. Random ones get a seeded generator, and only order-free facts are checked."""

from collections import Counter

import pytest
import torch
from torch.utils.data import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

from kata import __, raises


def seeded():
    return torch.Generator().manual_seed(0)


def test_a_sampler_yields_indices_and_the_loader_fetches_the_items():
    """A sampler yields indices, never items: SequentialSampler(data) yields 0, 1, ..., len(data) - 1 whatever data holds, and a DataLoader given sampler= fetches dataset[i] for each index it yields.

    Hint: the sampler is built over one list, the loader reads another.
    """
    sampler = SequentialSampler(["a", "b", "c"])
    assert list(sampler) == [0, 1, 2]
    assert [b.item() for b in DataLoader([30, 20, 10, 0], sampler=sampler)] == [30, 20, 10]


def test_random_sampler_deals_out_whole_permutations():
    """Without replacement, RandomSampler with num_samples larger than the dataset deals out whole random permutations of the indices back to back, as many as fit, and then the start of one more; so how often each index comes up does not depend on the seed.

    Hint: 8 draws over 5 indices; count how many times each index is drawn, then sort the counts.
    """
    sampler = RandomSampler(range(5), num_samples=8, generator=seeded())
    assert len(sampler) == 8
    assert sorted(Counter(sampler).values()) == [1, 1, 2, 2, 2]


def test_a_batch_sampler_batches_any_index_stream():
    """A BatchSampler wraps any iterable of indices and yields lists of batch_size of them (the last list is short unless drop_last=True); a DataLoader given batch_sampler= fetches each list as one batch.

    Hint: map each index list to the items at those positions.
    """
    batch_sampler = BatchSampler([6, 5, 4, 3, 2, 1, 0], batch_size=3, drop_last=True)
    loader = DataLoader(list(range(10, 17)), batch_sampler=batch_sampler)
    assert [b.tolist() for b in loader] == [[16, 15, 14], [13, 12, 11]]


def test_weighted_sampler_draws_only_indices_with_weight():
    """WeightedRandomSampler draws index i with probability proportional to weights[i], which need not sum to 1; with replacement an index can come up again and again, and one of weight 0 never does.

    Hint: the draws are many; which indices can they be?
    """
    sampler = WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], num_samples=200, replacement=True, generator=seeded())
    assert set(sampler) == {1, 3}


def test_weighted_sampler_checks_nothing_until_it_is_iterated():
    """WeightedRandomSampler only stores its weights; each iteration calls torch.multinomial, and it is torch.multinomial's check, in C++, that refuses to draw more indices without replacement than there are weights.

    Hint: which Python exception does a failed check in PyTorch's C++ code become?
    """
    sampler = WeightedRandomSampler([1.0, 1.0], num_samples=3, replacement=False, generator=seeded())
    with pytest.raises(Exception) as info:
        list(sampler)
    assert info.type is RuntimeError


def test_subset_random_sampler_restricts_a_loader_to_some_indices():
    """SubsetRandomSampler(indices) yields a random permutation of the given indices and nothing else, so a loader built with it reads only those items: a validation split without copying the data.

    Hint: the indices point into the dataset; sort what comes out.
    """
    sampler = SubsetRandomSampler([3, 7, 9], generator=seeded())
    loader = DataLoader(list("abcdefghij"), sampler=sampler, batch_size=None)
    assert sorted(loader) == ["d", "h", "j"]


def test_a_shuffling_loader_draws_a_new_order_each_epoch():
    """A loader wraps its sampler in a BatchSampler (loader.batch_sampler), and shuffle=True makes that sampler a RandomSampler on the loader's generator; every epoch draws a fresh permutation from it, and the generator's state moves on, so a second loader seeded the same way repeats the first loader's epochs one by one.

    Hint: compare epoch 1 with epoch 2, and each with the same epoch of the twin loader.
    """
    data = list(range(10))
    a = DataLoader(data, shuffle=True, generator=seeded())
    b = DataLoader(data, shuffle=True, generator=seeded())
    a1, a2 = [x.item() for x in a], [x.item() for x in a]
    b1, b2 = [x.item() for x in b], [x.item() for x in b]
    assert type(a.sampler) is RandomSampler
    assert type(DataLoader(data).batch_sampler.sampler) is SequentialSampler
    assert [a1 == a2, a1 == b1, a2 == b2] == [False, True, True]
