"""DistributedSampler: each rank reads its own share of a dataset."""

import pytest
from torch.utils.data.distributed import DistributedSampler

from kata import __

pytestmark = pytest.mark.multiprocess


def test_the_sampler_pads_then_deals_round_robin():
    """Without shuffling, the sampler first makes the index list divide evenly by repeating indices from its start, then deals it out: rank r of n replicas takes positions r, r + n, r + 2n, ...

    Hint: write out the padded list, then take every fourth entry starting at this rank.
    """
    sampler = DistributedSampler(range(10), num_replicas=4, rank=3, shuffle=False)
    assert list(sampler) == [3, 7, 1]


def test_drop_last_trims_the_tail_instead():
    """With drop_last=True the sampler cuts the tail so that the total divides evenly, instead of padding; the length of each rank's share changes accordingly.

    Hint: (share without drop_last, share with it) for 10 indices on 3 replicas.
    """
    padded = DistributedSampler(range(10), num_replicas=3, rank=0, shuffle=False)
    trimmed = DistributedSampler(range(10), num_replicas=3, rank=0, shuffle=False, drop_last=True)
    assert (len(padded), len(trimmed)) == (4, 3)


def test_a_trimmed_share_never_repeats_an_index():
    """Trimming keeps the first indices that divide evenly and deals them round-robin.

    Hint: which indices survive the cut, and which of them fall to rank 2?
    """
    sampler = DistributedSampler(range(10), num_replicas=3, rank=2, shuffle=False, drop_last=True)
    assert list(sampler) == [2, 5, 8]


def test_shuffled_shards_cover_the_dataset_with_repeats():
    """With shuffle=True every rank permutes the indices with the same seed, pads the permutation and deals it: the shards are disjoint positions of one padded list, so together they cover every index, some twice.

    Hint: (how many indices the four shards hold together, how many different ones).
    """
    shards = [list(DistributedSampler(range(10), num_replicas=4, rank=r, seed=0)) for r in range(4)]
    everything = sum(shards, [])
    assert (len(everything), len(set(everything))) == (12, 10)


def test_the_permutation_depends_on_seed_plus_epoch():
    """The shuffle's generator is seeded with seed + epoch (set_epoch(e) sets the epoch): forgetting set_epoch replays the same order every epoch.

    Hint: which seed, at epoch 0, gives the same order as seed 0 at epoch 1?
    """
    at_epoch_1 = DistributedSampler(range(40), num_replicas=4, rank=0, seed=0)
    at_epoch_1.set_epoch(1)
    other = DistributedSampler(range(40), num_replicas=4, rank=0, seed=1)
    assert list(other) == list(at_epoch_1)


def on_rank_default_sampler(rank, world_size):
    return list(DistributedSampler(range(6), shuffle=False))


def test_inside_a_group_the_sampler_asks_for_rank_and_world_size(ranks):
    """Without num_replicas and rank, DistributedSampler takes them from the default process group.

    Hint: the group has four ranks; pad, then deal.
    """
    results = ranks(on_rank_default_sampler, world_size=4)
    assert results == [[0, 4], [1, 5], [2, 0], [3, 1]]
