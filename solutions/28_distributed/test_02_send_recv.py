"""Point to point: send and recv between two ranks, blocking and not."""

import pytest
import torch
import torch.distributed as dist

from kata import __, raises
from kata.ranks import RankFailure

pytestmark = pytest.mark.multiprocess


def on_rank_send_recv(rank, world_size):
    if rank == 0:
        dist.send(torch.tensor([1, 2, 3]), dst=1)
    elif rank == 1:
        buffer = torch.zeros(3, dtype=torch.int64)
        dist.recv(buffer, src=0)
        return buffer.tolist()
    return None


def test_send_and_recv_copy_a_tensor_into_a_buffer(ranks):
    """dist.send(t, dst) pairs with dist.recv(buffer, src) on the other rank, which fills the buffer it was given; ranks not involved do nothing.

    Hint: which ranks take part in the transfer, and what does each of them return?
    """
    results = ranks(on_rank_send_recv, world_size=4)
    assert results == [None, [1, 2, 3], None, None]


def on_rank_recv_from_anyone(rank, world_size):
    if rank == world_size - 2:
        dist.send(torch.tensor([42.0]), dst=0)
    elif rank == 0:
        buffer = torch.zeros(1)
        sender = dist.recv(buffer)
        return sender
    return None


def test_recv_without_src_returns_the_sender(ranks):
    """dist.recv(buffer) with no src accepts a message from any rank and returns the sender's rank.

    Hint: which rank sent to rank 0, in a world of four?
    """
    results = ranks(on_rank_recv_from_anyone, world_size=4)
    assert results[0] == 2


def on_rank_send_to_self(rank, world_size):
    dist.send(torch.zeros(1), dst=rank)


def test_a_rank_cannot_send_to_itself(ranks):
    """send checks its destination before anything is sent: a rank cannot be its own partner, and the ValueError says so.

    Hint: run it and read the message; match the words that say what the destination must not be.
    """
    with raises(RankFailure, match="should not be the same as the rank"):
        ranks(on_rank_send_to_self, world_size=4)


def on_rank_irecv(rank, world_size):
    if rank == 0:
        dist.isend(torch.tensor([7.0]), dst=1).wait()
    elif rank == 1:
        buffer = torch.zeros(1)
        work = dist.irecv(buffer, src=0)
        work.wait()
        return buffer.tolist(), work.is_completed()
    return None


def test_irecv_returns_a_work_to_wait_on(ranks):
    """isend and irecv return at once with a Work handle; after work.wait() the transfer is complete and the buffer holds the data.

    Hint: rank 1 returns (the buffer as a list, whether the work is completed); the buffer was made as float.
    """
    results = ranks(on_rank_irecv, world_size=4)
    assert results[1] == ([7.0], True)


def on_rank_ring_shift(rank, world_size):
    right = (rank + 1) % world_size
    left = (rank - 1) % world_size
    buffer = torch.zeros(1, dtype=torch.int64)
    send = dist.isend(torch.tensor([rank]), dst=right)
    recv = dist.irecv(buffer, src=left)
    send.wait()
    recv.wait()
    return buffer.item()


def test_isend_and_irecv_shift_values_around_a_ring(ranks):
    """Every rank sends its rank to its right neighbour and receives from its left one; starting both with isend/irecv before waiting cannot deadlock.

    Hint: each rank ends with its left neighbour's rank; the ring wraps around.
    """
    results = ranks(on_rank_ring_shift, world_size=4)
    assert results == [3, 0, 1, 2]


def on_rank_batch_swap(rank, world_size):
    partner = rank ^ 1  # 0 <-> 1, 2 <-> 3
    buffer = torch.zeros(1, dtype=torch.int64)
    ops = [
        dist.P2POp(dist.isend, torch.tensor([rank * 10]), partner),
        dist.P2POp(dist.irecv, buffer, partner),
    ]
    for work in dist.batch_isend_irecv(ops):
        work.wait()
    return buffer.item()


def test_batch_isend_irecv_posts_several_transfers_at_once(ranks):
    """dist.batch_isend_irecv takes a list of P2POp (isend or irecv, tensor, peer), starts them all, and returns a list of Work handles to wait on.

    Hint: rank ^ 1 flips the lowest bit of the rank: who is each rank's partner?
    """
    results = ranks(on_rank_batch_swap, world_size=4)
    assert results == [10, 0, 30, 20]
