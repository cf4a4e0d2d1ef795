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


def on_rank_die_while_others_wait(rank, world_size):
    dist.barrier()
    if rank == 2:
        os._exit(3)
    dist.all_reduce(torch.ones(1))  # the others lose their partner here
    return rank


def on_rank_spin_while_others_wait(rank, world_size):
    if rank == 1:
        end = time.monotonic() + 60
        n = 0
        while time.monotonic() < end:  # marker: spin
            n += 1
    dist.all_reduce(torch.ones(1))
    return rank


def on_rank_import_slowly(rank, world_size):
    # Importing a module whose body computes for a while, like a first import of torch._dynamo.
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"kata_slow_{rank}", os.environ["KATA_SLOW_MODULE"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.VALUE


def on_rank_start_own_group(rank, world_size):
    # No group was made for this call: start one from torchrun's variables.
    before = dist.is_initialized()
    env = {k: os.environ[k] for k in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "MASTER_ADDR")}
    dist.init_process_group("gloo", init_method="env://")
    t = torch.tensor([rank])
    dist.all_reduce(t)
    dist.destroy_process_group()
    return before, env, t.item()


def on_rank_read_env(rank, world_size):
    import torch.distributed as dist

    return os.environ.get("KATA_TEST_VAR"), dist.get_debug_level() == dist.DebugLevel.DETAIL


CALLS = []


def on_rank_count_calls(rank, world_size):
    # A module global: kept between calls of one session, fresh in the next session.
    CALLS.append(rank)
    return len(CALLS)


def on_rank_die_alone(rank, world_size):
    # Dies while the other rank returns at once: nobody is left waiting.
    if rank == 1:
        os._exit(3)
    return rank
