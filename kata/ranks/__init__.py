"""Running a koan's function on every rank of a gloo process group.

The distributed chapter's koans use the ``ranks`` fixture::

    def on_rank_sum(rank, world_size):
        t = torch.tensor([rank])
        dist.all_reduce(t)
        return t.item()

    def test_all_reduce_sums(ranks):
        assert ranks(on_rank_sum, world_size=4) == [6, 6, 6, 6]

``ranks(fn, world_size=4, timeout=None, *, init=True, env=None)`` runs the
module-level function ``fn(rank, world_size)`` on ``world_size`` worker
processes joined into one gloo group and returns the list of their return
values (index = rank).  A failure on any rank is raised in the test as
:class:`RankFailure`.

- Every call sets what torchrun would on each rank: RANK, LOCAL_RANK,
  WORLD_SIZE, LOCAL_WORLD_SIZE, GROUP_RANK, MASTER_ADDR=127.0.0.1 and
  MASTER_PORT (a port free for this call).  ``init=False`` makes no group: the
  koan starts one itself (``init_process_group("gloo", init_method="env://")``
  or from a store it builds); whatever it leaves is destroyed afterwards.
- ``env={...}``: more variables for this call only, set before the group is
  made, after which the debug level is re-read (``TORCH_DISTRIBUTED_DEBUG``);
  the environment and debug level are restored after the call.
- A rank that does not finish within the timeout (default 10 s, ``timeout=``
  per call, or the environment variable ``KATA_RANKS_TIMEOUT``) fails the koan
  with a message naming the stuck ranks and the line each is waiting at.

The package, one module per role (each says how it works):

- ``fixture``: the ``ranks`` fixture and ``run_on_ranks``; starts the pool as
  the run begins when only multiprocess lessons are selected.
- ``pool``: the worker processes, forked from a forkserver that has imported
  torch once, kept for the session; a fresh process group per call; hangs and
  deaths detected and the pool rebuilt.
- ``worker``: what runs in each rank's process.
- ``report``: the failure report, root cause first.
- ``remote``: one pool lent to many forked runs (``kata watch``).

Workers die with their owner: ``PR_SET_PDEATHSIG`` on Linux, and a thread that
exits when the control pipe from the owner closes or the parent pid changes.
They ignore Ctrl-C; the owner kills them.

This package is loaded as a pytest plugin on every pytest start, so it imports
nothing heavy at module level: torch is imported by the workers, and by the
test process only when a koan first uses the fixture.
"""

from __future__ import annotations

from kata.ranks.fixture import pytest_sessionstart, ranks, run_on_ranks
from kata.ranks.pool import (
    DEFAULT_TIMEOUT,
    MIN_POOL_SIZE,
    TIMEOUT_ENV,
    close_pool,
    pool_pids,
    start_pool_in_background,
)
from kata.ranks.report import RankFailure

__all__ = [
    "DEFAULT_TIMEOUT",
    "MIN_POOL_SIZE",
    "TIMEOUT_ENV",
    "RankFailure",
    "close_pool",
    "pool_pids",
    "pytest_sessionstart",
    "ranks",
    "run_on_ranks",
    "start_pool_in_background",
]
