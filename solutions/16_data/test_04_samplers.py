"""Samplers: the index streams behind a DataLoader. Random ones get a seeded generator, and only order-free facts are checked."""

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


def test_sequential_sampler_yields_indices_in_order():
    """SequentialSampler(data) yields 0, 1, ..., len(data) - 1: indices, not items.

    Hint: the data are letters, the sampler yields numbers.
    """
    assert list(SequentialSampler(["a", "b", "c"])) == [0, 1, 2]


def test_random_sampler_is_a_permutation():
    """RandomSampler without replacement yields each index exactly once in a random order.

    Hint: sort the indices.
    """
    indices = list(RandomSampler(range(5), generator=seeded()))
    assert sorted(indices) == [0, 1, 2, 3, 4]


def test_random_sampler_with_replacement_draws_num_samples():
    """With replacement=True, RandomSampler draws num_samples indices, which may exceed the dataset's size.

    Hint: count the draws.
    """
    sampler = RandomSampler(range(5), replacement=True, num_samples=8, generator=seeded())
    assert len(list(sampler)) == 8


def test_batch_sampler_groups_indices():
    """BatchSampler wraps a sampler and yields lists of batch_size indices; the last list is short unless drop_last=True.

    Hint: seven indices, three at a time.
    """
    batches = list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
    assert batches == [[0, 1, 2], [3, 4, 5], [6]]


def test_loader_with_a_batch_sampler():
    """A DataLoader given batch_sampler= fetches each list of indices as one batch.

    Hint: BatchSampler with drop_last=True over seven items.
    """
    batch_sampler = BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=True)
    loader = DataLoader(list(range(10, 17)), batch_sampler=batch_sampler)
    assert [b.tolist() for b in loader] == [[10, 11, 12], [13, 14, 15]]


def test_weighted_sampler_never_draws_zero_weights():
    """WeightedRandomSampler draws index i with probability proportional to weights[i]: an index of weight 0 is never drawn, while in 200 draws every positive weight is all but certain to come up.

    Hint: which indices have a positive weight?
    """
    sampler = WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], num_samples=200, replacement=True, generator=seeded())
    drawn = list(sampler)
    assert len(drawn) == 200
    assert set(drawn) == {1, 3}


def test_weighted_sampler_without_replacement_cannot_draw_more_than_it_has():
    """Without replacement WeightedRandomSampler cannot draw more indices than there are weights; torch.multinomial raises a RuntimeError.

    Hint: the message ends by naming the kind of sampling that ran out of weights.
    """
    sampler = WeightedRandomSampler([1.0, 1.0], num_samples=3, replacement=False, generator=seeded())
    with raises(RuntimeError, match="without replacement"):
        list(sampler)


def test_subset_random_sampler_draws_only_its_indices():
    """SubsetRandomSampler(indices) yields a random permutation of the given indices, and nothing else.

    Hint: sort them.
    """
    sampler = SubsetRandomSampler([3, 7, 9], generator=seeded())
    assert sorted(sampler) == [3, 7, 9]


def test_shuffle_is_a_random_sampler_under_the_hood():
    """A DataLoader turns shuffle into a sampler: shuffle=True builds a RandomSampler, the default a SequentialSampler, and either is wrapped in a BatchSampler.

    Hint: the class of loader.sampler in each case.
    """
    data = list(range(6))
    assert type(DataLoader(data, shuffle=True).sampler) is RandomSampler
    assert type(DataLoader(data).sampler) is SequentialSampler
    assert type(DataLoader(data, batch_size=2).batch_sampler) is BatchSampler
