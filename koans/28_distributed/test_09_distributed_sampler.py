"""DistributedSampler: each rank reads its own share of a dataset."""

import pytest
from torch.utils.data.distributed import DistributedSampler

from kata import __

pytestmark = pytest.mark.multiprocess


def test_the_sampler_deals_indices_round_robin():
    """Without shuffling, rank r of n replicas gets indices r, r + n, r + 2n, ...

    Hint: 8 indices, 4 replicas, this is rank 1.
    """
    sampler = DistributedSampler(range(8), num_replicas=4, rank=1, shuffle=False)
    assert list(sampler) == __


def test_every_rank_gets_the_same_number_of_samples():
    """Without drop_last, len(sampler) is the dataset size divided by the number of replicas, rounded up.

    Hint: 10 samples over 4 replicas.
    """
    sampler = DistributedSampler(range(10), num_replicas=4, rank=0, shuffle=False)
    assert len(sampler) == __


def test_the_sampler_pads_by_wrapping_around():
    """To give every rank the same count, the sampler repeats indices from the start of the list until the total divides evenly.

    Hint: 10 indices are padded to 12 with 0 and 1; rank 3 takes positions 3, 7 and 11.
    """
    sampler = DistributedSampler(range(10), num_replicas=4, rank=3, shuffle=False)
    assert list(sampler) == __


def test_drop_last_trims_instead_of_padding():
    """With drop_last=True the sampler drops the tail so that the total divides evenly, instead of repeating indices.

    Hint: 10 indices are cut to 8.
    """
    sampler = DistributedSampler(range(10), num_replicas=4, rank=3, shuffle=False, drop_last=True)
    assert list(sampler) == __


def test_shuffled_shards_still_partition_the_dataset():
    """With shuffle=True all ranks permute the indices with the same seed (seed + epoch), so the shards stay disjoint and together cover the dataset.

    Hint: put the four shards together and sort.
    """
    shards = [list(DistributedSampler(range(8), num_replicas=4, rank=r, seed=0)) for r in range(4)]
    assert sorted(sum(shards, [])) == __


def test_set_epoch_reshuffles():
    """sampler.set_epoch(e) changes the permutation seed to seed + e; forgetting to call it replays the same order every epoch.

    Hint: compare epoch 0 with epoch 1.
    """
    sampler = DistributedSampler(range(40), num_replicas=4, rank=0, seed=0)
    first = list(sampler)
    sampler.set_epoch(1)
    assert (list(sampler) != first) == __


def on_rank_default_sampler(rank, world_size):
    return list(DistributedSampler(range(6), shuffle=False))


def test_inside_a_group_the_sampler_asks_for_rank_and_world_size(ranks):
    """Without num_replicas and rank, DistributedSampler takes them from the default process group.

    Hint: 6 indices padded to 8 by wrapping around, then dealt to 4 ranks.
    """
    results = ranks(on_rank_default_sampler, world_size=4)
    assert results == __
