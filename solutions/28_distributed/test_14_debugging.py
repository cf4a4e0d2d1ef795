"""Debugging a distributed job: the rank that never came, collectives that do not match, and timeouts.

A bug on one rank shows up as a hang or a strange error on the others.  These
tools make the cause visible; every wait here has a timeout of a second or two.
"""

import datetime
import re

import pytest
import torch
import torch.distributed as dist

from kata import __, raises
from kata.ranks import RankFailure

pytestmark = pytest.mark.multiprocess

SECOND = datetime.timedelta(seconds=1)


def first_line(exc):
    return str(exc).splitlines()[0]


def on_rank_monitored_barrier(rank, world_size):
    if rank == 2:
        return ""  # this rank never reaches the barrier
    try:
        dist.monitored_barrier(timeout=SECOND)
    except RuntimeError as exc:
        return first_line(exc)
    return "passed"


def test_monitored_barrier_names_the_missing_rank_on_rank_0(ranks):
    """dist.monitored_barrier (gloo only) has rank 0 wait for every other rank in turn and, past the timeout, raise an error naming the first rank that did not come; the other ranks raise too, but only to say that rank 0 reported a failure.

    Hint: for each rank, does its message name a rank that failed to pass the barrier?
    """
    messages = ranks(on_rank_monitored_barrier, world_size=4)
    assert ["failed to pass" in m for m in messages] == [True, False, False, False]


def on_rank_monitored_barrier_all(rank, world_size):
    if rank in (1, 3):
        return ""
    try:
        dist.monitored_barrier(timeout=SECOND, wait_all_ranks=True)
    except RuntimeError as exc:
        return first_line(exc)
    return "passed"


def test_wait_all_ranks_collects_every_missing_rank(ranks):
    """With wait_all_ranks=True rank 0 keeps waiting for the other ranks after the first one that fails, and names them all.

    Hint: match the words that list the missing ranks on rank 0.
    """
    messages = ranks(on_rank_monitored_barrier_all, world_size=4)
    assert re.search(r"Ranks 1, 3 failed", messages[0])


def on_rank_shape_mismatch(rank, world_size):
    dist.init_process_group("gloo", init_method="env://", timeout=SECOND)
    dist.all_reduce(torch.zeros(rank + 1))


def test_detail_debug_mode_catches_collectives_that_do_not_match(ranks):
    """With TORCH_DISTRIBUTED_DEBUG=DETAIL in the environment when the group is made, every collective is first checked across the ranks (op, shapes, dtypes), and a mismatch raises at once on every rank instead of hanging or mixing data.

    Hint: run it and match the words that say what was detected, and between what.
    """
    with raises(RankFailure, match="Detected mismatch between collectives"):
        ranks(on_rank_shape_mismatch, world_size=2, init=False,
              env={"TORCH_DISTRIBUTED_DEBUG": "DETAIL"})


def on_rank_op_mismatch(rank, world_size):
    dist.init_process_group("gloo", init_method="env://", timeout=SECOND)
    try:
        if rank == 0:
            dist.broadcast(torch.zeros(1), src=0)
        else:
            dist.all_reduce(torch.zeros(1))
    except RuntimeError as exc:
        found = re.search(r"Rank 0 is running collective: \w+\(SequenceNumber=\d+, OpType=(\w+)", str(exc))
        return found and found.group(1)


def test_the_mismatch_report_names_the_other_rank_s_collective(ranks):
    """The DETAIL check compares fingerprints of the collectives (sequence number, OpType, shapes, dtypes) and each rank's error describes what another rank is running.

    Hint: rank 1's message says which OpType rank 0 is running: which call did rank 0 make?
    """
    results = ranks(on_rank_op_mismatch, world_size=2, init=False,
                    env={"TORCH_DISTRIBUTED_DEBUG": "DETAIL"})
    assert results[1] == "BROADCAST"


def on_rank_collective_timeout(rank, world_size):
    dist.init_process_group("gloo", init_method="env://", timeout=datetime.timedelta(seconds=1.5))
    if rank == 1:
        return ""  # skips the collective
    try:
        dist.all_reduce(torch.zeros(1))
    except RuntimeError as exc:
        return str(exc)
    return "finished"


def test_a_collective_nobody_joins_fails_after_the_group_timeout(ranks):
    """init_process_group(timeout=...) bounds every collective of the group: a rank left waiting for a partner raises once it has waited that long, and gloo's message says how long, in milliseconds.

    Hint: the group's timeout, in the unit gloo writes.
    """
    messages = ranks(on_rank_collective_timeout, world_size=2, init=False)
    assert "1500ms" in messages[0]
