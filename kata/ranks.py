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

How it works:

- Worker processes are spawned once per pytest process (start method
  ``spawn``) and kept for the session; paying for ``import torch`` in four
  processes is what makes a process group expensive.  The pool grows (is
  rebuilt) when a call asks for more ranks than it has; a call with fewer ranks
  uses the first ``world_size`` workers.
- Every call gets a fresh default process group on those workers, made from a
  ``TCPStore`` that the test process hosts on a port the OS picks (so two pytest
  runs never collide).  Once every rank has finished, every worker destroys all
  its process groups, which abandons pending requests and subgroups a koan left
  behind (the group objects are freed later, while the worker is idle: freeing
  a gloo group is slow).  Each call starts with the same RNG seed, default dtype
  and grad mode: one koan cannot change the next one's result.
- Workers load ``fn`` from its file path (koan folders are not packages),
  cached by path and modification time.
- A rank that does not finish within the timeout (default 10 s, ``timeout=``
  per call, or the environment variable ``KATA_RANKS_TIMEOUT``) fails the koan
  with a message naming the stuck ranks and the line each is waiting at; the
  pool is then killed and rebuilt lazily.  A rank still importing at the
  timeout (a slow first import of DDP or FSDP on a busy machine) gets more
  time, up to five timeouts; a rank using the CPU in the koan's own code (a
  loop that never ends) gets none and is named as the cause; ranks waiting for
  a partner are idle.  When some rank raised and the others do not finish
  within a short grace period, the failure is reported at once.  The default
  group's own timeout is longer than the harness's, so the harness, which
  knows where each rank is, reports a hang first.
- The report puts the root cause first (the learner's screen shows its first
  lines): ranks that died (exit code or signal), then ranks still computing,
  then ranks whose error is their own, then errors that only say a partner was
  lost (a connection reset, a timeout), then ranks left waiting.
- Workers are forked from a forkserver that has imported torch once
  (FORKSERVER_PRELOAD; start method "spawn" where there is no forkserver, or
  with KATA_RANKS_START=spawn).  Rank 0 serves the store the calls' groups meet
  through, so starting a pool needs no torch in the test process, and
  ``pytest_sessionstart`` starts it in a thread when every selected lesson is a
  multiprocess one (KATA_RANKS_PRESTART=0 turns that off): the forkserver
  imports torch while this process imports torch and collects.
- After its first call, an idle worker imports DDP's, FSDP's, DTensor's and
  dcp's modules one at a time (WARM_UP_MODULES), so that the first such koan
  does not pay seconds of imports inside its timeout.
- An ``assert`` in a rank function is rewritten as pytest rewrites a test's,
  so a failing one explains itself; what a rank prints is shown in the test's
  output, each line prefixed with the rank.
- Workers die with the test process: ``PR_SET_PDEATHSIG`` on Linux, and a
  thread that exits when the control pipe from the parent closes or the parent
  pid changes.  They ignore Ctrl-C; the parent kills them.

This module is loaded as a pytest plugin on every pytest start, so it imports
nothing heavy at module level: torch is imported by the workers, and by the
test process only when a koan first uses the fixture.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import sys
import threading
import time
import traceback

import pytest

__all__ = ["RankFailure", "run_on_ranks", "close_pool", "ranks"]

DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "KATA_RANKS_TIMEOUT"
# After a rank raised, how long the others get to finish before the failure is
# reported and the pool, whose ranks may be stuck waiting for that one, is rebuilt.
GRACE_AFTER_FAILURE = 3.0
# Starting the workers (python + import torch, four at a time) on a busy machine.
START_TIMEOUT = 180.0
# Pool size: most koans use four ranks; a smaller call uses the first workers.
MIN_POOL_SIZE = 4
# Freeing old process groups: after this long without a new task, and at the
# latest when this many have piled up (each holds ~3 threads and ~7 file
# descriptors until it is freed).
IDLE_BEFORE_FREEING = 0.05
MAX_STALE_GROUPS = 64
# A rank still using the CPU at the timeout (importing, computing) is given more
# time, up to this many timeouts in all; a rank waiting for a partner is idle.
BUSY_EXTENSION_CAP = 5
BUSY_CPU_FRACTION = 0.02
# How long the workers get to clean up after a call before the pool is rebuilt.
CLEAN_TIMEOUT = 15.0

HANG_ADVICE = (
    "A rank that never finishes is usually waiting for a partner that never comes: "
    "a collective called on only some ranks (inside an `if rank == ...`), a send "
    "without its recv (or a recv without its send), or a wrong src/dst."
)


class RankFailure(Exception):
    """Raised in the test when a rank raised, died or did not finish.

    ``ranks``: the ranks that failed.  ``kata_frames``: (filename, lineno) for
    every traceback frame of every failing rank (where a stuck rank was waiting,
    for a hang).  ``kata_blank``: whether some rank's exception was, or was
    caused by, an unfilled blank.
    """

    def __init__(self, message: str, ranks=(), kata_frames=None, kata_blank: bool = False):
        super().__init__(message)
        self.ranks = list(ranks)
        self.kata_frames = list(kata_frames or [])
        self.kata_blank = bool(kata_blank)


# ---------------------------------------------------------------------------
# The worker side
# ---------------------------------------------------------------------------

_HARNESS_FILE = os.path.realpath(__file__)


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except Exception:  # pragma: no cover - best effort, the watch thread remains
        pass


def _watch_parent(ctrl, parent_pid: int, main_ident: int) -> None:
    """Worker thread: exit with the parent; answer 'where is the main thread?'."""
    try:
        while True:
            if os.getppid() != parent_pid:
                os._exit(3)
            if not ctrl.poll(0.5):
                continue
            msg = ctrl.recv()
            if msg == "stack":
                frame = sys._current_frames().get(main_ident)
                stack = traceback.extract_stack(frame) if frame is not None else []
                ctrl.send([(f.filename, f.lineno, f.name, f.line) for f in stack])
            elif msg == "exit":
                os._exit(0)
    except BaseException:
        # EOF: the parent closed the pipe or died.
        os._exit(3)


def _is_blank_error(exc: BaseException | None) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if type(exc).__name__ == "BlankError" and type(exc).__module__ == "kata.blank":
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _error_info(exc: BaseException, fn_file: str) -> dict:
    chain = []
    seen = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        chain.append(e)
        e = e.__cause__ or e.__context__
    frames = []
    for e in chain:
        for f in traceback.extract_tb(e.__traceback__):
            if os.path.realpath(f.filename) == _HARNESS_FILE:
                continue
            frames.append((f.filename, f.lineno, f.name, f.line))
    # The printed traceback, without the harness's own frames.
    tb = exc.__traceback__
    while tb is not None and os.path.realpath(tb.tb_frame.f_code.co_filename) == _HARNESS_FILE:
        tb = tb.tb_next
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "frames": frames,
        "koan_frames": [f for f in frames if f[0] == fn_file],
        "text": text,
        "blank": _is_blank_error(exc),
    }


_loaded: dict[str, tuple[int, object]] = {}


def _load_function(path: str, name: str):
    import hashlib
    import importlib.util

    mtime = os.stat(path).st_mtime_ns
    cached = _loaded.get(path)
    if cached is None or cached[0] != mtime:
        modname = "_kata_rankfn_" + hashlib.sha1(f"{path}:{mtime}".encode()).hexdigest()[:16]
        spec = importlib.util.spec_from_file_location(modname, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[modname] = module
        try:
            exec(_compile_with_assert_rewriting(path), module.__dict__)
        except BaseException:
            sys.modules.pop(modname, None)
            raise
        if cached is not None:
            sys.modules.pop(getattr(cached[1], "__name__", ""), None)
        _loaded[path] = (mtime, module)
        cached = _loaded[path]
    return getattr(cached[1], name)


def _compile_with_assert_rewriting(path: str):
    """The file's code, with pytest's assert rewriting when pytest is importable.

    Then an ``assert`` that fails on a rank explains itself as it would in the test.
    """
    import ast

    with open(path, "rb") as f:
        source = f.read()
    tree = ast.parse(source, filename=path)
    try:
        from _pytest.assertion.rewrite import rewrite_asserts

        rewrite_asserts(tree, source, path)
    except Exception:  # pragma: no cover - plain asserts still work
        tree = ast.parse(source, filename=path)
    return compile(tree, path, "exec", dont_inherit=True)


def _max_stale_groups() -> int:
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY:
            return max(0, min(MAX_STALE_GROUPS, (soft - 128) // 10))
    except (ImportError, ValueError, OSError):
        pass
    return MAX_STALE_GROUPS


def _worker_main(rank: int, tasks, ctrl, parent_pid: int | None = None) -> None:
    """Entry point of a worker; never returns.

    ``parent_pid``: the process whose death ends the worker; None for the worker's
    parent as it is now (the forkserver, which ends with the test process).
    """
    import signal

    _set_parent_death_signal()
    if parent_pid is None:
        parent_pid = os.getppid()
    if os.getppid() != parent_pid:
        os._exit(3)
    # Ctrl-C goes to the whole process group; the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(
        target=_watch_parent, args=(ctrl, parent_pid, threading.get_ident()), daemon=True, name="kata-parent-watch"
    ).start()
    if sys.platform.startswith("linux"):
        os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    try:
        _serve(rank, tasks)
    except (EOFError, OSError):
        pass  # the parent closed the pipes: the session is over
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


WARM_UP_MODULES = (
    "torch.nn.parallel",
    "torch.distributed.algorithms.join",
    "torch.distributed.algorithms.ddp_comm_hooks",
    "torch.distributed.tensor",
    "torch.distributed.tensor.debug",
    "torch.distributed.fsdp",
    "torch.distributed.checkpoint",
)


def _warm_up(names=WARM_UP_MODULES) -> None:
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # pragma: no cover - a koan that needs it reports the error
            pass


def _serve(rank: int, tasks) -> None:
    import datetime
    import io
    import random

    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    # Rank 0 serves the store every call's group meets through (the test
    # process need not import torch.distributed to start the pool); the others
    # learn its port from the parent.
    if rank == 0:
        base = dist.TCPStore(
            "127.0.0.1", 0, is_master=True, wait_for_workers=False, timeout=datetime.timedelta(seconds=START_TIMEOUT)
        )
    else:
        msg = tasks.recv()
        base = dist.TCPStore("127.0.0.1", msg[1], is_master=False, timeout=datetime.timedelta(seconds=START_TIMEOUT))
    tasks.send(("ready", os.getpid(), base.port))
    warmed = False
    to_warm: list[str] = []
    # Process groups of finished calls.  Destroying a gloo group is quick but
    # freeing it takes tens of milliseconds, so they are kept and freed while the
    # worker is idle (or all at once when there are too many).
    stale: list = []
    max_stale = _max_stale_groups()
    while True:
        try:
            while (stale or to_warm) and not tasks.poll(IDLE_BEFORE_FREEING):
                if stale:
                    stale.pop()
                else:
                    _warm_up([to_warm.pop(0)])
            msg = tasks.recv()
        except (EOFError, OSError):
            return
        if msg[0] == "exit":
            return
        _, call_id, path, name, world_size, timeout, init, env, port = msg
        # The same global state for every call, whatever the previous koan did.
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
        torch.manual_seed(0)
        random.seed(0)
        # What torchrun would set, and the call's own variables (for instance
        # TORCH_DISTRIBUTED_DEBUG), read by init_process_group.
        launch_env = {
            "RANK": str(rank),
            "LOCAL_RANK": str(rank),
            "WORLD_SIZE": str(world_size),
            "LOCAL_WORLD_SIZE": str(world_size),
            "GROUP_RANK": "0",
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": str(port),
        }
        launch_env.update(env)
        saved_env = {k: os.environ.get(k) for k in launch_env}
        os.environ.update(launch_env)
        with contextlib.suppress(Exception):
            dist.set_debug_level_from_env()
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                fn = _load_function(path, name)
                if init:
                    # Longer than the harness waits, so that the harness, which
                    # knows where every rank is, reports a hang first.
                    dist.init_process_group(
                        "gloo",
                        store=dist.PrefixStore(f"kata/call{call_id}", base),
                        rank=rank,
                        world_size=world_size,
                        timeout=datetime.timedelta(seconds=timeout * BUSY_EXTENSION_CAP + 10),
                    )
                result = fn(rank, world_size)
            try:
                payload = pickle.dumps(result)
            except Exception as exc:
                raise TypeError(
                    f"rank {rank} returned a {type(result).__name__}, which cannot be "
                    f"sent back to the test ({exc}); return plain values or tensors"
                ) from None
            reply = ("ok", payload, out.getvalue())
        except BaseException as exc:  # BlankError derives from BaseException
            reply = ("error", _error_info(exc, path), out.getvalue())
        tasks.send(reply)
        # Keep the group until every rank has finished (a rank still waiting in a
        # recv must hang, not see its partner's connection close); then drop the
        # default group and every subgroup (pending requests go with them).
        try:
            msg = tasks.recv()
        except (EOFError, OSError):
            return
        if msg[0] != "clean":
            return
        with contextlib.suppress(Exception):
            if dist.is_initialized():
                with contextlib.suppress(Exception):
                    stale.extend(dist.distributed_c10d._world.pg_map)
                dist.destroy_process_group()
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with contextlib.suppress(Exception):
            dist.set_debug_level_from_env()
        while len(stale) > max_stale:
            stale.pop(0)
        tasks.send(("clean",))
        if not warmed:
            # What DDP, FSDP, DTensor and checkpoint koans import on first use
            # (seconds), imported while the worker is idle once the first call is
            # done (not before: the first verdict comes first), one module at a
            # time in the main thread (imports in a second thread race with a
            # koan's own imports: torch._dynamo's circular imports then see a
            # half-initialised module).  A koan that arrives meanwhile waits for
            # at most one module's import, which the timeout treats as importing.
            warmed = True
            to_warm = list(WARM_UP_MODULES)


# ---------------------------------------------------------------------------
# The parent side
# ---------------------------------------------------------------------------


def _default_timeout() -> float:
    value = os.environ.get(TIMEOUT_ENV)
    if value:
        try:
            return float(value)
        except ValueError:
            pass
    return DEFAULT_TIMEOUT


def _rank_list(ranks) -> str:
    ranks = sorted(ranks)
    return ("rank " if len(ranks) == 1 else "ranks ") + ", ".join(map(str, ranks))


def _format_frames(frames) -> str:
    lines = []
    for filename, lineno, name, line in frames:
        lines.append(f'  File "{filename}", line {lineno}, in {name}')
        if line:
            lines.append(f"    {line.strip()}")
    return "\n".join(lines)


def _cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by a process (all its threads), from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def _bare_main():
    """Spawn without re-running the parent's ``__main__`` in the workers.

    ``spawn`` normally imports the parent's main module in the child (pytest's,
    ``python -m kata``'s, a script's); the workers need only this module, and a
    main module that cannot be re-imported (stdin, an unguarded script) would
    break them.
    """
    import types

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


def _importing(stack) -> bool:
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
        return sock.getsockname()[1]


# The forkserver imports these once; every worker is forked from it with torch
# already imported (a pool starts in milliseconds once it is up, and a pool
# rebuilt after a hang costs no import at all).
FORKSERVER_PRELOAD = ["kata.ranks", "torch", "torch.distributed"]


def _context():
    """The multiprocessing context for workers: a forkserver preloading torch, where there is one."""
    import multiprocessing

    if (
        "forkserver" in multiprocessing.get_all_start_methods()
        and os.environ.get("KATA_RANKS_START", "forkserver") == "forkserver"
    ):
        ctx = multiprocessing.get_context("forkserver")
        from multiprocessing import forkserver

        if getattr(forkserver._forkserver, "_forkserver_pid", None) is None:
            ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
            with _bare_main():
                forkserver.ensure_running()
        return ctx
    return multiprocessing.get_context("spawn")


class _Pool:
    def __init__(self, size: int) -> None:
        self.size = size
        self.call_id = 0
        self.unclean: list[int] = []  # ranks whose 'clean' reply is still due
        self.procs = []
        self.tasks = []
        self.ctrls = []
        ctx = _context()
        forked = ctx.get_start_method() == "forkserver"
        try:
            for rank in range(size):
                task_parent, task_child = ctx.Pipe()
                ctrl_parent, ctrl_child = ctx.Pipe()
                proc = ctx.Process(
                    target=_worker_main,
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
        return [p.pid for p in self.procs]

    def _recv(self, rank: int, deadline: float):
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
            if msg is None or msg[0] != "clean":
                return False
        self.unclean = []
        return all(p.is_alive() for p in self.procs)

    def stack_of(self, rank: int, wait_s: float = 2.0):
        try:
            self.ctrls[rank].send("stack")
            if self.ctrls[rank].poll(wait_s):
                return self.ctrls[rank].recv()
        except (EOFError, OSError):
            pass
        return None

    def _busy_ranks(self, ranks, window: float = 0.5) -> set[int]:
        """Which of these workers used the CPU during a short window (Linux; elsewhere none)."""
        before = {r: _cpu_seconds(self.procs[r].pid) for r in ranks}
        if None in before.values():
            return set()
        time.sleep(window)
        busy = set()
        for r in ranks:
            after = _cpu_seconds(self.procs[r].pid)
            if after is not None and after - before[r] > BUSY_CPU_FRACTION * window:
                busy.add(r)
        return busy

    def run(self, path: str, name: str, world_size: int, timeout: float, init: bool = True, env: dict | None = None):
        """(replies by rank, ranks that did not finish, ranks of those still busy on the CPU)."""
        from multiprocessing.connection import wait

        self.call_id += 1
        port = _free_port() if not init else 0
        for rank in range(world_size):
            self.tasks[rank].send(("run", self.call_id, path, name, world_size, timeout, init, dict(env or {}), port))
        self.unclean = list(range(world_size))
        replies: dict[int, tuple] = {}
        pending = set(range(world_size))
        deadline = time.monotonic() + timeout
        failed_at = None
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
                        try:
                            replies[rank] = self.tasks[rank].recv()
                        except (EOFError, OSError):
                            self.procs[rank].join(1)
                            replies[rank] = ("died", self.procs[rank].exitcode)
                        pending.discard(rank)
                break
            waitables = {}
            for rank in pending:
                waitables[self.tasks[rank]] = rank
                waitables[self.procs[rank].sentinel] = rank
            for obj in wait(list(waitables), remaining):
                rank = waitables[obj]
                if rank not in pending:
                    continue
                conn = self.tasks[rank]
                if conn.poll(0):
                    try:
                        replies[rank] = conn.recv()
                    except (EOFError, OSError):
                        self.procs[rank].join(1)
                        replies[rank] = ("died", self.procs[rank].exitcode)
                elif not self.procs[rank].is_alive():
                    self.procs[rank].join(1)
                    replies[rank] = ("died", self.procs[rank].exitcode)
                else:
                    continue
                pending.discard(rank)
                if replies[rank][0] != "ok" and failed_at is None:
                    failed_at = time.monotonic()
        if not pending:
            for rank in range(world_size):
                self.tasks[rank].send(("clean",))
        return replies, sorted(pending), busy & pending

    def stacks_of(self, ranks, wait_s: float = 2.0) -> dict:
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


_pool: _Pool | None = None
_pool_lock = threading.Lock()


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


_prestart: threading.Thread | None = None
_prestart_error: BaseException | None = None


def start_pool_in_background(size: int = MIN_POOL_SIZE) -> None:
    """Start the workers now, in a thread, while the caller goes on (imports torch, collects).

    The first ``ranks`` call waits for it; a pool that failed to start is
    started again there, where its error is reported.
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
        if _announce is not None:
            _announce(
                f"starting {size} gloo ranks for the distributed koans "
                "(torch is imported once, in the process they are forked from: a few seconds)"
            )
        _pool = _Pool(size)
    return _pool


# Set by the fixture: tells the learner why the first distributed koan takes seconds.
_announce = None


def pool_pids() -> list[int]:
    """Process ids of the current workers (empty when no pool is running)."""
    return list(_pool.pids) if _pool is not None else []


def _function_location(fn) -> tuple[str, str]:
    code = getattr(fn, "__code__", None)
    name = getattr(fn, "__name__", None)
    if code is None or name is None or getattr(fn, "__qualname__", name) != name:
        raise TypeError(f"ranks() needs a module-level function, got {fn!r}")
    return os.path.realpath(code.co_filename), name


def run_on_ranks(
    fn, world_size: int = 4, timeout: float | None = None, *, init: bool = True, env: dict | None = None
) -> list:
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
    timeout = _default_timeout() if timeout is None else float(timeout)
    env = {str(k): str(v) for k, v in (env or {}).items()}
    with _pool_lock:
        pool = _get_pool(world_size)
        try:
            replies, stuck, busy = pool.run(path, name, world_size, timeout, init=init, env=env)
            stacks = pool.stacks_of(stuck)
        except BaseException:  # Ctrl-C while waiting: nothing half-done survives
            _discard_pool()
            raise
        died = {r: msg[1] for r, msg in replies.items() if msg[0] == "died"}
        if stuck or died:
            _discard_pool()
    for rank in sorted(replies):
        output = replies[rank][-1] if replies[rank][0] in ("ok", "error") else ""
        if output:
            for line in output.splitlines():
                print(f"[rank {rank}] {line}")
    errors = {r: msg[1] for r, msg in replies.items() if msg[0] == "error"}
    if errors or stuck or died:
        raise _failure(path, world_size, timeout, errors, died, stuck, busy, stacks)
    results = []
    for rank in range(world_size):
        try:
            results.append(pickle.loads(replies[rank][1]))
        except Exception as exc:
            raise RankFailure(
                f"rank {rank} returned a value the test cannot load ({type(exc).__name__}: {exc}); "
                "return plain values or tensors, not instances of classes defined in the koan file",
                ranks=[rank],
            ) from None
    return results


# Errors a healthy rank raises because a partner failed: the partner's error is the cause.
_PEER_ERRORS = (
    "connection reset by peer",
    "connection closed by peer",
    "broken pipe",
    "socket timeout",
    "timed out",
    "timeout",
    "read error",
    "write error",
    "connection refused",
    "end of file",
)


def _is_consequence(info: dict) -> bool:
    text = info["message"].lower()
    return any(p in text for p in _PEER_ERRORS)


def _exit_text(code) -> str:
    if isinstance(code, int) and code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _koan_frames(stack, path):
    return [f for f in stack if f[0] == path] or [
        f for f in stack if os.path.realpath(f[0]) != _HARNESS_FILE and not f[0].startswith("<frozen")
    ][-3:]


def _failure(path, world_size, timeout, errors, died, stuck, busy, stacks) -> RankFailure:
    """The failure report, its root cause first.

    Order: ranks that died; ranks still computing at the timeout; ranks whose
    own error is not a lost partner; then what the others saw because of them
    (a partner's connection reset, a timeout); then ranks left waiting.  The
    learner's screen shows the first lines only.
    """
    parts = []
    part_frames: list[list[tuple[str, int]]] = []
    died = died or {}
    stuck_busy = sorted(r for r in stuck if r in busy)
    stuck_idle = sorted(r for r in stuck if r not in busy)
    for rank, code in sorted(died.items()):
        parts.append(
            f"rank {rank} died ({_exit_text(code)}): its worker process ended "
            "in the middle of the call (os._exit, a crash or a kill)"
        )
        part_frames.append([])
    for rank in stuck_busy:
        lines = [
            f"rank {rank} did not finish within {timeout:g} s and was still using the CPU: "
            "it is computing, not waiting for another rank (a loop that never ends?)"
        ]
        koan = _koan_frames(stacks.get(rank) or [], path)
        if koan:
            lines.append(f"rank {rank} was running:\n{_format_frames(koan)}")
        parts.append("\n".join(lines))
        part_frames.append([(f[0], f[1]) for f in koan])
    # Ranks that raised, grouped when they raised the same thing at the same place;
    # a group whose error is its own comes before one that lost a partner.
    groups: dict[tuple, list[int]] = {}
    for rank, info in sorted(errors.items()):
        key = (info["type"], info["message"], tuple(info["frames"]))
        groups.setdefault(key, []).append(rank)
    cause_known = bool(died or stuck_busy)
    ordered = sorted(groups.items(), key=lambda kv: (cause_known or _is_consequence(errors[kv[1][0]]), kv[1][0]))
    for key, group_ranks in ordered:
        info = errors[group_ranks[0]]
        head = f"{_rank_list(group_ranks)} raised {info['type']}: {info['message']}"
        body = []
        if info["koan_frames"]:
            body.append(_format_frames(info["koan_frames"]))
        if len(info["frames"]) > len(info["koan_frames"]) or not info["koan_frames"]:
            body.append(f"{_rank_list(group_ranks)}, full traceback:\n{info['text'].rstrip()}")
        parts.append(head + "\n" + "\n".join(body))
        part_frames.append([(f[0], f[1]) for rank in group_ranks for f in errors[rank]["frames"]])
    if stuck_idle:
        failed = sorted(set(errors) | set(died) | set(stuck_busy))
        if failed:
            head = (
                f"{_rank_list(stuck_idle)} did not finish after {_rank_list(failed)} "
                f"failed: they were probably waiting for it in a collective or a recv."
            )
        else:
            head = f"{_rank_list(stuck_idle)} of {world_size} did not finish within {timeout:g} s. {HANG_ADVICE}"
        lines = [head]
        waiting = []
        for rank in stuck_idle:
            koan = _koan_frames(stacks.get(rank) or [], path)
            if koan:
                lines.append(f"rank {rank} was waiting at:\n{_format_frames(koan)}")
                waiting.extend((f[0], f[1]) for f in koan)
        parts.append("\n".join(lines))
        part_frames.append(waiting)
    failing = sorted(set(errors) | set(died) | set(stuck))
    message = "\n\n".join(parts)
    # The plugin places a failure at the last frame in the koan's file: the
    # root cause's frames go last.
    frames = [f for fs in reversed(part_frames) for f in fs]
    blank = any(info["blank"] for info in errors.values())
    return RankFailure(message, ranks=failing, kata_frames=frames, kata_blank=blank)


def _selects_only_multiprocess_lessons(config) -> bool:
    """Whether every lesson file the command line names is a multiprocess one (read, not imported)."""
    from pathlib import Path

    files = []
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
    if not files:
        return False
    for f in files:
        try:
            if "pytest.mark.multiprocess" not in f.read_text(encoding="utf-8"):
                return False
        except OSError:
            return False
    return True


def pytest_sessionstart(session) -> None:
    """Start the rank pool as the run begins when only multiprocess lessons are selected.

    The workers then import torch (once, in the forkserver) while this process
    imports torch and collects the koans, instead of after.  ``-p no:kata.ranks``
    or KATA_RANKS_PRESTART=0 turns it off; a run that selects anything else
    (the whole path, where the first unsolved koan is rarely a distributed one)
    starts the pool at the first ``ranks`` call as before.
    """
    config = session.config
    if os.environ.get("KATA_RANKS_PRESTART", "1") == "0" or config.getoption("collectonly", False):
        return
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        return  # an xdist controller runs no koans
    if _selects_only_multiprocess_lessons(config):
        start_pool_in_background()


@pytest.fixture(scope="session")
def ranks(request):
    """``ranks(fn, world_size=4, timeout=None)``: ``fn(rank, world_size)`` on every rank; results by rank."""
    global _announce
    try:
        import torch.distributed as dist
    except ImportError:  # pragma: no cover
        pytest.skip("torch.distributed is not available")
    if not dist.is_available() or not dist.is_gloo_available():
        pytest.skip("torch.distributed with the gloo backend is not available")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and not hasattr(request.config, "workerinput"):

        def _announce(text: str) -> None:  # noqa: F811 - the module-level hook, set for this session
            with capture.global_and_fixture_disabled():
                reporter.write_line(text)

    yield run_on_ranks
    _announce = None
    close_pool()
