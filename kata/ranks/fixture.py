"""What a koan sees: the ``ranks`` fixture, ``run_on_ranks`` behind it, and the early start.

``run_on_ranks`` turns a call's outcome into the koan's result (the ranks'
return values, by rank) or a :class:`RankFailure`; what a rank printed is
printed in the test, each line prefixed with the rank.  The call runs on this
process's pool, or on the pool of the process this one was forked from when
that one lends it (``remote``: ``kata watch``).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kata import layout
from kata.ranks import pool, remote
from kata.ranks.report import failure, unloadable
from kata.ranks.worker import Call


def _function_location(fn: Callable[..., Any]) -> tuple[str, str]:
    code = getattr(fn, "__code__", None)
    name = getattr(fn, "__name__", None)
    if code is None or name is None or getattr(fn, "__qualname__", name) != name:
        raise TypeError(f"ranks() needs a module-level function, got {fn!r}")
    return os.path.realpath(code.co_filename), name


def run_on_ranks(
    fn: Callable[[int, int], Any],
    world_size: int = 4,
    timeout: float | None = None,
    *,
    init: bool = True,
    env: dict[str, Any] | None = None,
) -> list[Any]:
    """Run ``fn(rank, world_size)`` on every rank of a gloo group; the results by rank.

    ``init=False``: the ranks get no process group; they find torchrun's
    variables (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR,
    MASTER_PORT, a free port for this call) in os.environ and start one
    themselves.  ``env``: more variables set on every rank for the call (before
    the group is made; the debug level is re-read from them).
    """
    if not isinstance(world_size, int) or world_size < 1:
        raise ValueError(f"world_size must be a positive int, got {world_size!r}")
    path, name = _function_location(fn)
    seconds = pool.default_timeout() if timeout is None else float(timeout)
    call = Call(
        call_id=0,
        session=0,
        path=path,
        name=name,
        world_size=world_size,
        timeout=seconds,
        init=init,
        env={str(k): str(v) for k, v in (env or {}).items()},
    )
    outcome = remote.client.execute(call) if remote.client is not None else pool.execute(call)
    replies = outcome.replies
    for rank in sorted(replies):
        for line in replies[rank].output.splitlines():
            print(f"[rank {rank}] {line}")
    errors = {r: reply.error for r, reply in replies.items() if reply.kind == "error" and reply.error is not None}
    died = {r: reply.exitcode for r, reply in replies.items() if reply.kind == "died"}
    if errors or outcome.stuck or died:
        raise failure(path, world_size, seconds, errors, died, outcome.stuck, outcome.busy, outcome.stacks)
    results = []
    for rank in range(world_size):
        try:
            results.append(pickle.loads(replies[rank].payload))
        except Exception as exc:  # noqa: BLE001 - unpickling can fail in any way
            raise unloadable(rank, exc) from None
    return results


def selects_only_multiprocess_lessons(config: Any) -> bool:
    """Whether every lesson file the command line names is a multiprocess one (read, not imported)."""
    files: list[Path] = []
    for arg in config.args:
        path = Path(str(arg).split("::")[0])
        if not path.is_absolute():
            path = Path(str(config.invocation_params.dir)) / path
        if path.is_dir():
            files.extend(path.rglob("test_*.py"))
        elif path.suffix == ".py" and path.exists():
            files.append(path)
        else:
            return False
    # Only lesson files of a chapter count (a kit test that mentions the marker is no lesson).
    files = [f for f in files if layout.LESSON_RE.match(f.name) and layout.CHAPTER_RE.match(f.parent.name)]
    if not files:
        return False
    for f in files:
        try:
            if "pytest.mark.multiprocess" not in f.read_text(encoding="utf-8"):
                return False
        except OSError:
            return False
    return True


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start the rank pool as the run begins when only multiprocess lessons are selected.

    The workers then import torch (once, in the forkserver) while this process
    imports torch and collects the koans, instead of after.  ``-p no:kata.ranks``
    or KATA_RANKS_PRESTART=0 turns it off; a run that selects anything else
    (the whole path, where the first unsolved koan is rarely a distributed one)
    starts the pool at the first ``ranks`` call as before; a run whose pool is
    lent (``kata watch``) starts none.
    """
    config = session.config
    if remote.client is not None:
        return
    if os.environ.get("KATA_RANKS_PRESTART", "1") == "0" or config.getoption("collectonly", False):
        return
    if getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
        # An xdist controller runs no koans, and which worker gets the multiprocess koans (one xdist
        # group) is not known yet: that worker starts the one pool at its first ``ranks`` call.
        return
    if selects_only_multiprocess_lessons(config):
        pool.start_pool_in_background()


@pytest.fixture(scope="session")
def ranks(request: pytest.FixtureRequest) -> Iterator[Callable[..., list[Any]]]:
    """``ranks(fn, world_size=4, timeout=None)``: ``fn(rank, world_size)`` on every rank; results by rank."""
    try:
        import torch.distributed as dist
    except ImportError:  # pragma: no cover
        pytest.skip("torch.distributed is not available")
    if not dist.is_available() or not dist.is_gloo_available():
        pytest.skip("torch.distributed with the gloo backend is not available")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and not hasattr(request.config, "workerinput"):

        def announce(text: str) -> None:
            with capture.global_and_fixture_disabled():
                reporter.write_line(text)

        pool.announce = announce
    yield run_on_ranks
    pool.announce = None
    pool.close_pool()
