"""An all-reduce written by hand from send and recv: a ring reduce-scatter, then a ring all-gather."""

import pytest
import torch
import torch.distributed as dist

from kata import __

pytestmark = pytest.mark.multiprocess


def exchange(send_tensor, recv_tensor, rank, world_size):
    """Send to the right neighbour while receiving from the left one."""
    send = dist.isend(send_tensor, dst=(rank + 1) % world_size)
    dist.recv(recv_tensor, src=(rank - 1) % world_size)
    send.wait()


def ring_reduce_scatter(chunks, rank, world_size):
    """world_size - 1 steps: pass a chunk right, add the chunk coming from the left."""
    for step in range(world_size - 1):
        send_index = (rank - step) % world_size
        recv_index = (rank - step - 1) % world_size
        incoming = torch.zeros_like(chunks[recv_index])
        exchange(chunks[send_index], incoming, rank, world_size)
        chunks[recv_index] += incoming
    return chunks


def ring_all_gather(chunks, rank, world_size):
    """world_size - 1 steps: pass a finished chunk right, keep the one from the left."""
    for step in range(world_size - 1):
        send_index = (rank + 1 - step) % world_size
        recv_index = (rank - step) % world_size
        exchange(chunks[send_index], chunks[recv_index], rank, world_size)
    return chunks


def on_rank_ring_reduce_scatter(rank, world_size):
    data = torch.arange(4) + 10 * rank
    chunks = list(data.clone().chunk(world_size))
    ring_reduce_scatter(chunks, rank, world_size)
    finished = (rank + 1) % world_size
    return chunks[finished].item()


def test_after_the_reduce_scatter_each_rank_owns_one_summed_chunk(ranks):
    """After world_size - 1 steps of the ring reduce-scatter, rank r holds the full sum of chunk (r + 1) % world_size; its other chunks are partial sums.

    Hint: the chunks have one element each; sum chunk (r + 1) % 4 over the ranks' data.
    """
    results = ranks(on_rank_ring_reduce_scatter, world_size=4)
    assert results == [64, 68, 72, 60]


def on_rank_ring_all_reduce(rank, world_size):
    data = torch.arange(8) + 10 * rank
    chunks = list(data.clone().chunk(world_size))
    ring_reduce_scatter(chunks, rank, world_size)
    ring_all_gather(chunks, rank, world_size)
    by_hand = torch.cat(chunks)
    reference = data.clone()
    dist.all_reduce(reference)
    assert torch.equal(by_hand, reference)
    return by_hand.tolist()


def test_reduce_scatter_then_all_gather_is_an_all_reduce(ranks):
    """A ring reduce-scatter followed by a ring all-gather gives every rank the element-wise sum, exactly what dist.all_reduce computes.

    Hint: the reference all_reduce inside the rank function already agrees; sum the ranks' data.
    """
    results = ranks(on_rank_ring_all_reduce, world_size=4)
    assert results[2] == [60, 64, 68, 72, 76, 80, 84, 88]


def on_rank_count_messages(rank, world_size):
    sent = []
    original = dist.isend

    def counting_isend(tensor, dst):
        sent.append(tensor.numel())
        return original(tensor, dst=dst)

    dist.isend = counting_isend
    try:
        chunks = list(torch.arange(8).chunk(world_size))
        ring_reduce_scatter(chunks, rank, world_size)
        ring_all_gather(chunks, rank, world_size)
    finally:
        dist.isend = original
    return len(sent), sum(sent)


def test_a_ring_all_reduce_sends_2_times_world_size_minus_1_chunks(ranks):
    """In a ring all-reduce each rank sends world_size - 1 chunks in the reduce-scatter and world_size - 1 in the all-gather, each 1/world_size of the data: about twice the data, whatever the number of ranks.

    Hint: rank 0 returns (messages sent, elements sent); count the steps of both phases and the size of a chunk.
    """
    results = ranks(on_rank_count_messages, world_size=4)
    assert results[0] == (6, 12)
