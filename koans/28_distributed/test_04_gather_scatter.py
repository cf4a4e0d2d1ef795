"""Collecting and splitting: all_gather, gather, scatter, reduce_scatter and all_to_all."""

import pytest
import torch
import torch.distributed as dist

from kata import __

pytestmark = pytest.mark.multiprocess


def on_rank_all_gather(rank, world_size):
    gathered = [torch.zeros(1, dtype=torch.int64) for _ in range(world_size)]
    dist.all_gather(gathered, torch.tensor([rank * rank]))
    return [t.item() for t in gathered]


def test_all_gather_fills_a_list_in_rank_order(ranks):
    """dist.all_gather(tensor_list, t) puts rank i's t into tensor_list[i], on every rank.

    Hint: every rank ends with the same list.
    """
    results = ranks(on_rank_all_gather, world_size=4)
    assert results[2] == __


def on_rank_all_gather_single(rank, world_size):
    out = torch.zeros(2 * world_size, dtype=torch.int64)
    dist.all_gather_single(out, torch.tensor([rank, rank]))
    return out.tolist()


def test_all_gather_single_concatenates_into_one_tensor(ranks):
    """dist.all_gather_single(out, t) writes every rank's t one after another into out. Before torch 2.13 it was called all_gather_into_tensor (still the name in most FSDP code and docs; from 2.13 on that name is deprecated).

    Hint: the ranks' inputs, back to back in rank order.
    """
    results = ranks(on_rank_all_gather_single, world_size=4)
    assert results[0] == __


def on_rank_all_gather_single_2d(rank, world_size):
    out = torch.zeros(world_size, 3)
    dist.all_gather_single(out, torch.full((1, 3), float(rank)))
    return out.shape


def test_all_gather_single_stacks_along_the_first_dimension(ranks):
    """For inputs with several dimensions, all_gather_single concatenates along dim 0: the output has world_size times the input's first dimension.

    Hint: which dimension grows, and by how much?
    """
    results = ranks(on_rank_all_gather_single_2d, world_size=4)
    assert results[1] == __


def on_rank_gather(rank, world_size):
    gathered = [torch.zeros(1, dtype=torch.int64) for _ in range(world_size)] if rank == 0 else None
    dist.gather(torch.tensor([rank * 10]), gathered, dst=0)
    return None if gathered is None else [t.item() for t in gathered]


def test_gather_collects_on_the_destination_only(ranks):
    """dist.gather(t, gather_list, dst) sends every rank's t to dst, which alone passes a gather_list; the others pass None.

    Hint: what do the ranks that passed None return?
    """
    results = ranks(on_rank_gather, world_size=4)
    assert results == __


def on_rank_scatter(rank, world_size):
    piece = torch.zeros(1, dtype=torch.int64)
    pieces = [torch.tensor([i * i]) for i in range(world_size)] if rank == 0 else None
    dist.scatter(piece, pieces, src=0)
    return piece.item()


def test_scatter_hands_each_rank_one_piece(ranks):
    """dist.scatter(t, scatter_list, src) gives rank i the tensor scatter_list[i] of the src rank.

    Hint: only the source's list matters.
    """
    results = ranks(on_rank_scatter, world_size=4)
    assert results == __


def on_rank_reduce_scatter(rank, world_size):
    out = torch.zeros(1, dtype=torch.int64)
    dist.reduce_scatter(out, [torch.tensor([rank * 10 + i]) for i in range(world_size)])
    return out.item()


def test_reduce_scatter_sums_then_splits(ranks):
    """dist.reduce_scatter(out, input_list) sums input_list[i] over all ranks and gives the sum to rank i.

    Hint: rank i receives the sum over every rank r of that rank's input_list[i].
    """
    results = ranks(on_rank_reduce_scatter, world_size=4)
    assert results == __


def on_rank_reduce_scatter_single(rank, world_size):
    out = torch.zeros(2, dtype=torch.int64)
    dist.reduce_scatter_single(out, torch.arange(2 * world_size) + rank)
    return out.tolist()


def test_reduce_scatter_single_splits_one_flat_tensor(ranks):
    """dist.reduce_scatter_single(out, t) sums t over all ranks and gives rank i the i-th chunk of out's size. Before torch 2.13 it was called reduce_scatter_tensor (deprecated from 2.13 on, still common in older code).

    Hint: sum the four inputs element by element first, then cut the sum into chunks.
    """
    results = ranks(on_rank_reduce_scatter_single, world_size=4)
    assert results[1] == __


def on_rank_all_to_all(rank, world_size):
    outputs = [torch.zeros(1, dtype=torch.int64) for _ in range(world_size)]
    dist.all_to_all(outputs, [torch.tensor([rank * 10 + i]) for i in range(world_size)])
    return [t.item() for t in outputs]


def test_all_to_all_sends_piece_i_to_rank_i(ranks):
    """In dist.all_to_all(outputs, inputs) rank r sends inputs[i] to rank i, which stores it in outputs[r]: a transpose of the ranks' lists.

    Hint: rank 1's outputs[r] is what rank r put at inputs[1].
    """
    results = ranks(on_rank_all_to_all, world_size=4)
    assert results[1] == __


def on_rank_all_to_all_single(rank, world_size):
    out = torch.zeros(2 * world_size, dtype=torch.int64)
    dist.all_to_all_single(out, torch.arange(2 * world_size) + 100 * rank)
    return out.tolist()


def test_all_to_all_single_exchanges_equal_chunks_of_one_tensor(ranks):
    """all_to_all_single cuts the input into world_size equal chunks, sends chunk i to rank i, and fills the output with the chunks received, in rank order.

    Hint: which chunk of each rank's input goes to rank 1?
    """
    results = ranks(on_rank_all_to_all_single, world_size=4)
    assert results[1] == __
