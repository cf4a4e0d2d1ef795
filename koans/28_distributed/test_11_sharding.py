"""Reading an FSDP diagram: parameters sharded across ranks, all-gathered to compute, gradients reduce-scattered."""

import pytest
import torch
import torch.distributed as dist

from kata import __

pytestmark = pytest.mark.multiprocess

FULL_PARAMETER = torch.arange(8.0)


def on_rank_shard(rank, world_size):
    return FULL_PARAMETER.chunk(world_size)[rank].tolist()


def test_each_rank_keeps_one_shard_of_a_parameter(ranks):
    """Fully sharded data parallel (FSDP) stores only a 1/world_size slice of each parameter on each rank: rank r keeps chunk r.

    Hint: 8 elements over 4 ranks.
    """
    results = ranks(on_rank_shard, world_size=4)
    assert results[2] == __


def on_rank_unshard(rank, world_size):
    shard = FULL_PARAMETER.chunk(world_size)[rank]
    full = torch.empty(shard.numel() * world_size)
    dist.all_gather_single(full, shard)
    return full.tolist()


def test_an_all_gather_rebuilds_the_full_parameter_for_compute(ranks):
    """Before a layer's forward (and again for its backward) FSDP all-gathers the shards, so every rank briefly holds the whole parameter.

    Hint: the shards, back in rank order.
    """
    results = ranks(on_rank_unshard, world_size=4)
    assert results[0] == __


def on_rank_shard_gradient(rank, world_size):
    full_gradient = torch.full((8,), rank + 1.0)  # each rank's local gradient
    shard_gradient = torch.empty(8 // world_size)
    dist.reduce_scatter_single(shard_gradient, full_gradient, op=dist.ReduceOp.AVG)
    return shard_gradient.tolist()


def test_a_reduce_scatter_leaves_each_rank_the_gradient_of_its_shard(ranks):
    """After backward FSDP reduce-scatters the gradients: each rank receives the averaged gradient of its own shard only, which is all its optimizer needs.

    Hint: the ranks' local gradients are all 1s, 2s, 3s and 4s; each rank keeps two elements.
    """
    results = ranks(on_rank_shard_gradient, world_size=4)
    assert results[3] == __
