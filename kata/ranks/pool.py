"""The pool of rank processes, and the forkserver they are forked from.

Workers are forked from a multiprocessing forkserver that has imported torch
once (``FORKSERVER_PRELOAD``; start method "spawn" where there is no
forkserver, or with KATA_RANKS_START=spawn): a pool starts in milliseconds once
the forkserver is up, and one rebuilt after a hang costs no import at all.

One pool per process, kept for the session (``execute`` makes it on first use,
``start_pool_in_background`` earlier).  It grows (is rebuilt) when a call asks
for more ranks than it has; a call with fewer ranks uses the first
``world_size`` workers.  A call that leaves a rank stuck or dead discards the
pool; the next call starts a new one.

Each call's ranks meet through a fresh prefix of the base store that rank 0
hosts, so every call gets a fresh default process group.  A rank that does not
finish within the timeout is looked at: one still importing (a slow first
import of DDP or FSDP on a busy machine) gets more time, up to
``BUSY_EXTENSION_CAP`` timeouts; one using the CPU in the koan's own code (a
loop that never ends) gets none and is named as the cause; ranks waiting for a
partner are idle.  When some rank raised and the others do not finish within
``GRACE_AFTER_FAILURE``, the call ends at once.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

from kata.ranks.worker import (
    BUSY_EXTENSION_CAP,
    START_TIMEOUT,
    WARM_UP_MODULES,
    Call,
    Frame,
    Reply,
    worker_main,
)

DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "KATA_RANKS_TIMEOUT"
# After a rank raised, how long the others get to finish before the failure is
# reported and the pool, whose ranks may be stuck waiting for that one, is rebuilt.
GRACE_AFTER_FAILURE = 3.0
# Pool size: most koans use four ranks; a smaller call uses the first workers.
MIN_POOL_SIZE = 4
# A rank still using the CPU at the timeout (importing, computing) is given more
# time, up to BUSY_EXTENSION_CAP timeouts in all; a rank waiting for a partner is idle.
BUSY_CPU_FRACTION = 0.02
# How long the workers get to clean up after a call before the pool is rebuilt.
CLEAN_TIMEOUT = 15.0

# The forkserver imports these once; every worker is forked from it with them
# already imported.  A long-lived owner (the watch) adds WARM_UP_MODULES.
FORKSERVER_PRELOAD = ["kata.ranks", "torch", "torch.distributed"]


def default_timeout() -> float:
    value = os.environ.get(TIMEOUT_ENV)
    if value:
        try:
            return float(value)
        except ValueError:
            pass
    return DEFAULT_TIMEOUT


def _cpu_seconds(pid: int | None) -> float | None:
    """CPU time used so far by a process (all its threads), from /proc."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """Spawn without re-running the parent's ``__main__`` in the workers.

    ``spawn`` normally imports the parent's main module in the child (pytest's,
    ``python -m kata``'s, a script's); the workers need only this package, and a
    main module that cannot be re-imported (stdin, an unguarded script) would
    break them.
    """
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


_DISTRIBUTED_DIR = os.sep + os.path.join("torch", "distributed") + os.sep


def _in_distributed(filename: str) -> bool:
    return _DISTRIBUTED_DIR in filename


def _importing(stack: Sequence[Frame] | None) -> bool:
    """Whether a stack is inside an import (or unknown: a worker too busy to answer,
    such as one holding the GIL in an extension module's initialisation)."""
    if stack is None:
        return True
    return any(f[0].startswith("<frozen importlib") for f in stack)


def _free_port() -> int:
    """A TCP port nobody listens on now, for a call's MASTER_PORT."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _uses_forkserver() -> bool:
    import multiprocessing

    return (
        "forkserver" in multiprocessing.get_all_start_methods()
        and os.environ.get("KATA_RANKS_START", "forkserver") == "forkserver"
    )


def start_forkserver(preload: Sequence[str] = FORKSERVER_PRELOAD, quiet: bool = False) -> None:
    """Start the forkserver now (it imports ``preload`` while the caller goes on); no-op if running.

    ``quiet``: the forkserver's (and so the workers') stdout and stderr go to
    /dev/null: a long-lived owner's screen (the watch's) is not theirs to write
    on.  Call it from the main thread, before other threads run (it swaps fds 1
    and 2 for a moment).
    """
    if not _uses_forkserver():
        return
    from multiprocessing import forkserver

    if getattr(forkserver._forkserver, "_forkserver_pid", None) is not None:
        return
    forkserver.set_forkserver_preload(list(preload))
    saved: list[int] = []
    if quiet:
        sys.stdout.flush()
        sys.stderr.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        saved = [os.dup(1), os.dup(2)]
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
    try:
        with _bare_main():
            forkserver.ensure_running()
    finally:
        for fd, target in zip(saved, (1, 2), strict=False):
            os.dup2(fd, target)
            os.close(fd)


def _context() -> BaseContext:
    """The multiprocessing context for workers: a forkserver preloading torch, where there is one."""
    import multiprocessing

    if _uses_forkserver():
        start_forkserver()
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class Aborted(Exception):
    """The caller gave up on a call (a watch run that ended while the ranks ran)."""


class _Pool:
    def __init__(self, size: int) -> None:
        self.size = size
        self.call_id = 0
        self.unclean: list[int] = []  # ranks whose 'clean' reply is still due
        self.procs: list[BaseProcess] = []
        self.tasks: list[Connection] = []
        self.ctrls: list[Connection] = []
        ctx = _context()
        forked = ctx.get_start_method() == "forkserver"
        try:
            for rank in range(size):
                task_parent, task_child = ctx.Pipe()
                ctrl_parent, ctrl_child = ctx.Pipe()
                proc = ctx.Process(  # type: ignore[attr-defined]  # BaseContext hides the concrete Process
                    target=worker_main,
                    name=f"kata-rank-{rank}",
                    args=(rank, task_child, ctrl_child, None if forked else os.getpid()),
                    daemon=True,
                )
                with _bare_main():
                    proc.start()
                task_child.close()
                ctrl_child.close()
                self.procs.append(proc)
                self.tasks.append(task_parent)
                self.ctrls.append(ctrl_parent)
            deadline = time.monotonic() + START_TIMEOUT
            port = None
            for rank in range(size):
                if rank > 0:
                    self.tasks[rank].send(("store", port))
                msg = self._recv(rank, deadline)
                if msg is None or msg[0] != "ready":
                    self.procs[rank].join(1)
                    raise RuntimeError(
                        f"the worker for rank {rank} did not start (exit code {self.procs[rank].exitcode})"
                    )
                port = msg[2]
        except BaseException:
            self.close()
            raise

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs if p.pid is not None]

    def _recv(self, rank: int, deadline: float) -> Any:
        """The next message from a worker, or None if it died or the deadline passed."""
        from multiprocessing.connection import wait

        conn, proc = self.tasks[rank], self.procs[rank]
        while True:
            if conn.poll(0):
                try:
                    return conn.recv()
                except (EOFError, OSError):
                    return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready = wait([conn, proc.sentinel], remaining)
            if proc.sentinel in ready and not conn.poll(0):
                return None

    def settle(self) -> bool:
        """Wait for the previous call's clean-up; False if a worker did not report."""
        deadline = time.monotonic() + CLEAN_TIMEOUT
        for rank in self.unclean:
            msg = self._recv(rank, deadline)
            if msg != ("clean", self.call_id):
                return False
        self.unclean = []
        return all(p.is_alive() for p in self.procs)

    def _busy_ranks(self, ranks: Sequence[int], window: float = 0.5) -> set[int]:
        """Which of these workers used the CPU during a short window (Linux; elsewhere none)."""
        before = {r: _cpu_seconds(self.procs[r].pid) for r in ranks}
        if None in before.values():
            return set()
        time.sleep(window)
        busy = set()
        for r in ranks:
            after, was = _cpu_seconds(self.procs[r].pid), before[r]
            if after is not None and was is not None and after - was > BUSY_CPU_FRACTION * window:
                busy.add(r)
        return busy

    def _reply_or_death(self, rank: int) -> Reply:
        try:
            reply: Reply = self.tasks[rank].recv()
            return reply
        except (EOFError, OSError):
            self.procs[rank].join(1)
            return Reply("died", exitcode=self.procs[rank].exitcode)

    def run(
        self,
        call: Call,
        abort: Connection | None = None,
    ) -> tuple[dict[int, Reply], list[int], set[int]]:
        """(replies by rank, ranks that did not finish, ranks of those still busy on the CPU).

        ``abort``: a connection whose becoming readable (a message, or its other
        end closed) means the caller gave up: :class:`Aborted` is raised.
        """
        from multiprocessing.connection import wait

        self.call_id += 1
        call.call_id = self.call_id
        call.port = _free_port() if not call.init else 0
        world_size, timeout = call.world_size, call.timeout
        for rank in range(world_size):
            self.tasks[rank].send(call)
        self.unclean = list(range(world_size))
        replies: dict[int, Reply] = {}
        pending = set(range(world_size))
        deadline = time.monotonic() + timeout
        failed_at: float | None = None
        hard_deadline = time.monotonic() + timeout * BUSY_EXTENSION_CAP
        busy: set[int] = set()
        while pending:
            until = deadline if failed_at is None else min(deadline, failed_at + GRACE_AFTER_FAILURE)
            remaining = until - time.monotonic()
            if remaining <= 0:
                # Out of time.  A rank waiting for a partner sleeps; one that is
                # still importing (the first DDP or FSDP in a process imports
                # torch._dynamo, slow on a busy machine) gets more time, up to a
                # cap.  A rank busy in the koan's own code (a loop that never
                # ends) gets none: it is reported as the cause.
                busy = self._busy_ranks(sorted(pending))
                stacks = self.stacks_of(sorted(busy))
                # Busy inside a torch.distributed call is a rank polling its
                # sockets while it waits, not one computing.
                busy = {
                    r
                    for r in busy
                    if _importing(stacks.get(r)) or not any(_in_distributed(f[0]) for f in stacks.get(r) or [])
                }
                now = time.monotonic()
                if failed_at is None and now < hard_deadline and any(_importing(stacks.get(r)) for r in busy):
                    deadline = min(hard_deadline, now + timeout)
                    continue
                # Replies that came while the ranks were looked at count.
                for rank in sorted(pending):
                    if self.tasks[rank].poll(0):
                        replies[rank] = self._reply_or_death(rank)
                        pending.discard(rank)
                break
            waitables: dict[Any, int] = {}
            for rank in pending:
                waitables[self.tasks[rank]] = rank
                waitables[self.procs[rank].sentinel] = rank
            ready = wait([*waitables, *([abort] if abort is not None else [])], remaining)
            if abort is not None and abort in ready:
                raise Aborted
            for obj in ready:
                rank = waitables[obj]
                if rank not in pending:
                    continue
                if self.tasks[rank].poll(0):
                    replies[rank] = self._reply_or_death(rank)
                elif not self.procs[rank].is_alive():
                    self.procs[rank].join(1)
                    replies[rank] = Reply("died", exitcode=self.procs[rank].exitcode)
                else:
                    continue
                pending.discard(rank)
                if replies[rank].kind != "ok" and failed_at is None:
                    failed_at = time.monotonic()
        if not pending and all(r.kind != "died" for r in replies.values()):
            # (A pool with a dead rank is discarded: nobody to clean up with.)
            for rank in range(world_size):
                try:
                    self.tasks[rank].send(("clean", self.call_id))
                except OSError:  # it died just after replying: settle() finds out
                    pass
        return replies, sorted(pending), busy & pending

    def stacks_of(self, ranks: Sequence[int], wait_s: float = 2.0) -> dict[int, list[Frame]]:
        """The main thread's stack of each of these workers, asked of all at once."""
        asked = []
        for rank in ranks:
            try:
                while self.ctrls[rank].poll(0):  # a late answer to an earlier question
                    self.ctrls[rank].recv()
                self.ctrls[rank].send("stack")
                asked.append(rank)
            except (EOFError, OSError):
                pass
        stacks = {}
        deadline = time.monotonic() + wait_s
        for rank in asked:
            try:
                if self.ctrls[rank].poll(max(0.0, deadline - time.monotonic())):
                    stacks[rank] = self.ctrls[rank].recv()
            except (EOFError, OSError):
                pass
        return stacks

    def close(self) -> None:
        for conn in self.tasks + self.ctrls:
            try:
                conn.close()
            except OSError:
                pass
        deadline = time.monotonic() + 3.0
        for proc in self.procs:
            proc.join(max(0.0, deadline - time.monotonic()))
        for proc in self.procs:
            if proc.is_alive():
                proc.kill()
        for proc in self.procs:
            proc.join(5.0)
        self.procs = []
        self.tasks = []
        self.ctrls = []

    def kill(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.kill()
        self.close()


# -- the process's pool --------------------------------------------------------------------

_pool: _Pool | None = None
_pool_lock = threading.Lock()
_prestart: threading.Thread | None = None
_prestart_error: BaseException | None = None
# Set by the fixture: tells the learner why the first distributed koan takes seconds.
announce: Callable[[str], None] | None = None


def close_pool() -> None:
    """Stop the workers (the next call starts new ones)."""
    global _pool
    _join_prestart()
    with _pool_lock:
        if _pool is not None:
            pool, _pool = _pool, None
            pool.close()


atexit.register(close_pool)


def _discard_pool() -> None:
    global _pool
    if _pool is not None:
        pool, _pool = _pool, None
        pool.kill()


def discard_pool() -> None:
    """Kill the workers now, whatever they are doing (the next call starts new ones)."""
    with _pool_lock:
        _discard_pool()


def start_pool_in_background(size: int = MIN_POOL_SIZE) -> None:
    """Start the workers now, in a thread, while the caller goes on (imports torch, collects).

    The first call waits for it; a pool that failed to start is started again
    there, where its error is reported.
    """
    global _prestart

    def start() -> None:
        global _pool, _prestart_error
        try:
            pool = _Pool(size)
        except BaseException as exc:  # noqa: BLE001 - reported by the call that needs the pool
            _prestart_error = exc
            return
        _pool = pool

    if _pool is None and _prestart is None:
        # What the thread imports, imported here: two threads importing the same
        # modules can see each other's half-initialised ones.
        import importlib

        for name in (
            "multiprocessing.connection",
            "multiprocessing.forkserver",
            "multiprocessing.popen_forkserver",
            "multiprocessing.popen_spawn_posix",
            "multiprocessing.reduction",
            "multiprocessing.resource_tracker",
            "multiprocessing.spawn",
            "socket",
            "types",
        ):
            try:
                importlib.import_module(name)
            except ImportError:  # pragma: no cover - not on this platform
                pass

        _prestart = threading.Thread(target=start, daemon=True, name="kata-ranks-start")
        _prestart.start()


def _join_prestart() -> None:
    global _prestart
    if _prestart is not None:
        _prestart.join()
        _prestart = None


def _get_pool(world_size: int) -> _Pool:
    global _pool
    _join_prestart()
    if _pool is not None and (world_size > _pool.size or not _pool.settle()):
        _discard_pool()
    if _pool is None:
        size = max(world_size, MIN_POOL_SIZE)
        if announce is not None:
            announce(
                f"starting {size} gloo ranks for the distributed koans "
                "(torch is imported once, in the process they are forked from: a few seconds)"
            )
        _pool = _Pool(size)
    return _pool


def ensure_pool(size: int = MIN_POOL_SIZE) -> None:
    """Have a settled pool of at least ``size`` workers now (a long-lived owner, between calls)."""
    with _pool_lock:
        _get_pool(size)


def pool_pids() -> list[int]:
    """Process ids of the current workers (empty when no pool is running)."""
    return list(_pool.pids) if _pool is not None else []


def forget_inherited_pool() -> None:
    """In a process forked from the pool's owner: drop the copied pool without touching its workers.

    The workers belong to the owner; this process must neither send them
    anything nor kill them (closing the copied pipe ends only closes them here).
    """
    global _pool, _pool_lock, _prestart
    if _pool is not None:
        for conn in _pool.tasks + _pool.ctrls:
            with contextlib.suppress(OSError):
                conn.close()
    _pool, _prestart, _pool_lock = None, None, threading.Lock()


@dataclass
class Outcome:
    """What one call on the ranks gave: each rank's reply, and who did not finish."""

    replies: dict[int, Reply]
    stuck: list[int] = field(default_factory=list)
    busy: set[int] = field(default_factory=set)
    stacks: dict[int, list[Frame]] = field(default_factory=dict)


def execute(call: Call, abort: Connection | None = None) -> Outcome:
    """Run one call on this process's pool (started or rebuilt as needed).

    A call that leaves a rank stuck or dead, or that is interrupted (Ctrl-C, an
    abort), discards the pool: nothing half-done survives into the next call.
    """
    with _pool_lock:
        pool = _get_pool(call.world_size)
        try:
            replies, stuck, busy = pool.run(call, abort=abort)
            stacks = pool.stacks_of(stuck)
        except BaseException:
            _discard_pool()
            raise
        if stuck or any(r.kind == "died" for r in replies.values()):
            _discard_pool()
    return Outcome(replies, stuck, busy, stacks)


__all__ = [
    "DEFAULT_TIMEOUT",
    "FORKSERVER_PRELOAD",
    "MIN_POOL_SIZE",
    "TIMEOUT_ENV",
    "WARM_UP_MODULES",
    "Aborted",
    "Outcome",
    "close_pool",
    "default_timeout",
    "discard_pool",
    "ensure_pool",
    "execute",
    "forget_inherited_pool",
    "pool_pids",
    "start_forkserver",
    "start_pool_in_background",
]
