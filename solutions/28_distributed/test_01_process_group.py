"""A process group: ranks, world size and backend, seen from inside each rank.

Every koan in this chapter runs a function ``on_rank_...(rank, world_size)`` on
each process of a gloo group through the ``ranks`` fixture, which returns the
list of their return values, index = rank.
"""

import pytest
import torch.distributed as dist

from kata import __

pytestmark = pytest.mark.multiprocess


def on_rank_get_rank(rank, world_size):
    return dist.get_rank()


def test_every_process_has_its_own_rank(ranks):
    """dist.get_rank() returns the calling process's rank, a number from 0 to world_size - 1.

    Hint: the list is indexed by rank.
    """
    results = ranks(on_rank_get_rank, world_size=4)
    assert results == [0, 1, 2, 3]


def on_rank_rank_argument(rank, world_size):
    assert dist.get_rank() == rank


def test_the_rank_argument_is_the_rank_of_the_process(ranks):
    """The harness calls on_rank_...(rank, world_size) on each process with the same numbers dist.get_rank() and dist.get_world_size() return there; an assert inside the function is checked on every rank.

    Hint: the answer is a name, not a number: it must hold on all four ranks.
    """
    ranks(on_rank_rank_argument, world_size=4)


def on_rank_get_world_size(rank, world_size):
    return dist.get_world_size()


def test_every_rank_sees_the_same_world_size(ranks):
    """dist.get_world_size() is the number of processes in the group, the same on every rank.

    Hint: four processes were started.
    """
    results = ranks(on_rank_get_world_size, world_size=4)
    assert results == [4, 4, 4, 4]


def test_a_smaller_world_numbers_its_ranks_from_zero_too(ranks):
    """Ranks always run from 0 to world_size - 1, whatever the size of the group.

    Hint: how many processes answer, and what are they called?
    """
    results = ranks(on_rank_get_rank, world_size=2)
    assert results == [0, 1]


def on_rank_get_backend(rank, world_size):
    return dist.get_backend()


def test_the_cpu_backend_is_gloo(ranks):
    """dist.get_backend() names the library that moves the data; gloo is the one for CPU tensors (nccl is for CUDA).

    Hint: a short lowercase string.
    """
    results = ranks(on_rank_get_backend, world_size=4)
    assert results[0] == "gloo"


def on_rank_world_members(rank, world_size):
    return dist.get_process_group_ranks(dist.group.WORLD)


def test_the_world_group_holds_every_rank(ranks):
    """dist.group.WORLD is the default group made by init_process_group; it contains every rank.

    Hint: get_process_group_ranks lists the global ranks of a group's members.
    """
    results = ranks(on_rank_world_members, world_size=4)
    assert results[3] == [0, 1, 2, 3]


def on_rank_is_initialized(rank, world_size):
    return dist.is_initialized()


def test_only_the_ranks_are_in_a_process_group(ranks):
    """dist.is_initialized() is True only in a process that called init_process_group; the test process itself never did.

    Hint: the ranks were joined into a group; the test process only hands out work.
    """
    assert ranks(on_rank_is_initialized, world_size=4) == [True, True, True, True]
    assert dist.is_initialized() == False


def test_get_rank_outside_a_group_raises():
    """Outside a process group there is no rank to report: get_rank raises a ValueError saying that the default process group has not been initialized.

    Hint: the message names the missing thing: "Default process group ...".
    """
    with pytest.raises(ValueError, match="has not been initialized"):
        dist.get_rank()
