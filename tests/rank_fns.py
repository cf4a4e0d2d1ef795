"""Rank functions for tests/test_ranks.py, loaded by path like a koan file.

Line numbers matter to the tests: they find lines by the marker comments.
"""

import os
import time

import torch
import torch.distributed as dist

from kata import __


def on_rank_identity(rank, world_size):
    return (rank, world_size, dist.get_rank(), dist.get_world_size(), dist.get_backend())


def on_rank_tensor(rank, world_size):
    t = torch.tensor([rank + 1.0])
    dist.all_reduce(t)
    return t


def on_rank_raise(rank, world_size):
    dist.barrier()
    if rank == 2:
        raise ValueError("rank two is unhappy")  # marker: raise
    return rank


def on_rank_blank(rank, world_size):
    x = __ + rank  # marker: blank
    return x


def on_rank_return_blank(rank, world_size):
    return __


def on_rank_hang(rank, world_size):
    if rank == 0:
        t = torch.zeros(1)
        dist.recv(t, src=1)  # marker: hang
    return rank


def on_rank_raise_while_others_wait(rank, world_size):
    if rank == 0:
        raise RuntimeError("rank zero gave up")
    dist.all_reduce(torch.ones(1))
    return rank


def on_rank_leave_mess(rank, world_size):
    # A subgroup and a send that nobody receives, both left behind.
    dist.new_group([0, 1])
    if rank == 0:
        dist.isend(torch.tensor([666.0]), dst=1)
    torch.set_default_dtype(torch.float64)
    return len(dist.distributed_c10d._world.pg_map)


def on_rank_after_mess(rank, world_size):
    groups = len(dist.distributed_c10d._world.pg_map)
    value = None
    if rank == 0:
        dist.send(torch.tensor([1.0]), dst=1)
    elif rank == 1:
        t = torch.zeros(1)
        dist.recv(t, src=0)
        value = t.item()
    return groups, value, torch.get_default_dtype()


def on_rank_print(rank, world_size):
    print(f"hello from {rank}")
    return None


def on_rank_pid(rank, world_size):
    return os.getpid()


def on_rank_sleep(rank, world_size):
    time.sleep(0.2)
    return rank


def on_rank_assert(rank, world_size):
    assert rank == 0


def on_rank_spin(rank, world_size):
    # Busy (not waiting for anyone) for a while: computing, like a slow first import.
    end = time.monotonic() + 1.5
    n = 0
    while time.monotonic() < end:
        n += 1
    return rank
