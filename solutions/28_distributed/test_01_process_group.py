"""A process group: how a job starts one, and ranks, world size and backend seen from inside.

Every koan in this chapter runs a function ``on_rank_...(rank, world_size)`` on
each process of a gloo group through the ``ranks`` fixture, which returns the
list of their return values, index = rank.  ``ranks(fn, init=False)`` starts
the processes without a group, as a launcher like torchrun does: each process
finds RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR and
MASTER_PORT in its environment and calls init_process_group itself.  Every wait
has a timeout of a few seconds.
"""

import datetime
import os

import pytest
import torch
import torch.distributed as dist

from kata import __, raises
from kata.ranks import RankFailure

pytestmark = pytest.mark.multiprocess

SHORT = datetime.timedelta(seconds=5)


def on_rank_launcher_variables(rank, world_size):
    return os.environ["RANK"], os.environ["WORLD_SIZE"]


def test_the_launcher_passes_the_rank_as_text(ranks):
    """A launcher tells each process who it is through environment variables, and the environment holds only strings.

    Hint: the list is indexed by rank; what type is every value of os.environ?
    """
    results = ranks(on_rank_launcher_variables, world_size=2, init=False)
    assert results == [("0", "2"), ("1", "2")]


def on_rank_env_init(rank, world_size):
    dist.init_process_group("gloo", init_method="env://", timeout=SHORT)
    t = torch.tensor([rank])
    dist.all_reduce(t)
    dist.destroy_process_group()
    return t.item()


def test_env_init_joins_the_processes_into_one_group(ranks):
    """init_process_group(backend, init_method="env://") reads RANK and WORLD_SIZE from the environment and meets the other processes at MASTER_ADDR:MASTER_PORT; the backend is the library that moves the tensors, and only one of torch's backends moves CPU tensors.

    Hint: NCCL moves CUDA tensors; the CPU one is named after a Facebook collective library.
    """
    assert ranks(on_rank_env_init, world_size=4, init=False) == [6, 6, 6, 6]


def on_rank_env_init_reversed(rank, world_size):
    os.environ["RANK"] = str(world_size - 1 - rank)
    dist.init_process_group("gloo", init_method="env://", timeout=SHORT)
    me = dist.get_rank()
    dist.destroy_process_group()
    return me


def test_the_group_rank_is_whatever_rank_the_process_claims(ranks):
    """With env:// the rank a process gets is the RANK it finds in its environment when it calls init_process_group; nothing else decides it. The harness index is the launch order.

    Hint: each process rewrote RANK before joining.
    """
    assert ranks(on_rank_env_init_reversed, world_size=4, init=False) == [3, 2, 1, 0]


def on_rank_store_init(rank, world_size):
    store = dist.TCPStore(os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]), world_size,
                          is_master=rank == 0, timeout=SHORT)
    dist.init_process_group("gloo", store=store, rank=rank, world_size=world_size)
    t = torch.tensor([1])
    dist.all_reduce(t)
    dist.destroy_process_group()
    return t.item(), store.port


def test_a_group_can_start_from_a_store_you_make(ranks):
    """init_process_group(store=..., rank=..., world_size=...) rendezvouses through a store you built; a TCPStore is served by one process (is_master=True), which listens on a port every process must know in advance, and the others connect to it.

    Hint: which of the launcher's variables is the same number on every process and names a port?
    """
    totals, ports = zip(*ranks(on_rank_store_init, world_size=4, init=False, timeout=6))
    assert totals == (4, 4, 4, 4)
    assert len(set(ports)) == 1 and ports[0] >= 1024  # one port, not a privileged one


def on_rank_destroy(rank, world_size):
    dist.init_process_group("gloo", init_method="env://", timeout=SHORT)
    dist.destroy_process_group()
    return dist.get_rank()


def test_after_destroy_there_is_no_rank(ranks):
    """destroy_process_group() tears the default group down; after it a process has no rank until it joins a group again, and get_rank raises a ValueError saying what is missing.

    Hint: the message names the group that is gone.
    """
    with raises(RankFailure, match="Default process group has not been initialized"):
        ranks(on_rank_destroy, world_size=2, init=False)


def on_rank_init_twice(rank, world_size):
    dist.init_process_group("gloo", init_method="env://", timeout=SHORT)


def test_a_process_has_one_default_group(ranks):
    """ranks(fn) without init=False already made the default group before calling fn; a second init_process_group in the same process raises a ValueError.

    Hint: what is the caller trying to do, and how often?
    """
    with raises(RankFailure, match="initialize the default process group twice"):
        ranks(on_rank_init_twice, world_size=2)


def on_rank_rank_argument(rank, world_size):
    assert dist.get_rank() == rank


def test_the_rank_argument_is_the_rank_of_the_process(ranks):
    """The harness calls on_rank_...(rank, world_size) on each process with the same numbers dist.get_rank() and dist.get_world_size() return there; an assert inside the function is checked on every rank.

    Hint: the answer is a name, not a number: it must hold on all four ranks.
    """
    ranks(on_rank_rank_argument, world_size=4)


def on_rank_world_members(rank, world_size):
    return dist.get_process_group_ranks(dist.group.WORLD)


def test_the_world_group_holds_every_rank(ranks):
    """dist.group.WORLD is the default group made by init_process_group; get_process_group_ranks lists the global ranks of a group's members.

    Hint: a smaller world than four.
    """
    results = ranks(on_rank_world_members, world_size=3)
    assert results[2] == [0, 1, 2]


def on_rank_is_initialized(rank, world_size):
    return dist.is_initialized()


def test_only_the_ranks_are_in_a_process_group(ranks):
    """dist.is_initialized() is True only in a process that called init_process_group; the test process that hands out the work never did.

    Hint: ask it here, in the test process.
    """
    assert ranks(on_rank_is_initialized, world_size=4) == [True, True, True, True]
    assert dist.is_initialized() == False
