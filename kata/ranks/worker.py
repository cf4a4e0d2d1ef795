"""The worker side: one process per rank, serving calls until its pool closes.

A worker is forked from the forkserver (``pool``), joins the pool's base store
(rank 0 hosts it), then serves calls: for each it sets what torchrun would, makes
a fresh default process group (unless the call starts its own), runs the
koan's function, sends back the result or what went wrong, and, once every rank
has finished, destroys every process group and restores the environment.
Everything here runs in the worker, except the message types, which the pool
and the report read too.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from types import CodeType, ModuleType
from typing import Any, Literal, TypedDict

# Starting the workers (python + import torch, four at a time) on a busy machine.
START_TIMEOUT = 180.0
# Freeing old process groups: after this long without a new task, and at the
# latest when this many have piled up (each holds ~3 threads and ~7 file
# descriptors until it is freed).
IDLE_BEFORE_FREEING = 0.05
MAX_STALE_GROUPS = 64
# The default group's own timeout is this many harness timeouts (plus 10 s):
# longer than the harness waits, so that the harness, which knows where every
# rank is, reports a hang first.
BUSY_EXTENSION_CAP = 5

# What DDP, FSDP, DTensor and checkpoint koans import on first use (seconds).
WARM_UP_MODULES = (
    "torch.nn.parallel",
    "torch.distributed.algorithms.join",
    "torch.distributed.algorithms.ddp_comm_hooks",
    "torch.distributed.tensor",
    "torch.distributed.tensor.debug",
    "torch.distributed.fsdp",
    "torch.distributed.checkpoint",
)

# A traceback frame as the report shows it: (filename, lineno, function, source line).
Frame = tuple[str, "int | None", str, "str | None"]

# The harness's own files: their frames are left out of what the learner sees.
HARNESS_DIR = os.path.dirname(os.path.realpath(__file__))


def is_harness_file(filename: str) -> bool:
    return os.path.dirname(os.path.realpath(filename)) == HARNESS_DIR


class ErrorInfo(TypedDict):
    """What a rank's exception looks like to the test process (exceptions do not pickle reliably)."""

    type: str
    message: str
    frames: list[Frame]
    koan_frames: list[Frame]  # the frames in the koan's own file
    text: str  # the printed traceback, without the harness's frames
    blank: bool  # the exception is, or was caused by, an unfilled blank


@dataclass
class Call:
    """One call of a koan's function on every rank."""

    call_id: int
    session: int  # a new session (a new watch run) loads the koan files afresh
    path: str
    name: str
    world_size: int
    timeout: float
    init: bool
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0  # MASTER_PORT for init=False


@dataclass
class Reply:
    """A rank's answer to a call: its pickled result, its error, or that it died."""

    kind: Literal["ok", "error", "died"]
    payload: bytes = b""
    error: ErrorInfo | None = None
    output: str = ""  # what the rank printed
    exitcode: int | None = None


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except Exception:  # noqa: BLE001 - best effort: the thread watching the parent remains
        pass


def _watch_parent(ctrl: Connection, parent_pid: int, main_ident: int) -> None:
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
    except BaseException:  # noqa: BLE001 - EOF or anything else: the parent closed the pipe or died
        os._exit(3)


def _is_blank_error(exc: BaseException | None) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if type(exc).__name__ == "BlankError" and type(exc).__module__ == "kata.blank":
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def error_info(exc: BaseException, fn_file: str) -> ErrorInfo:
    chain = []
    seen = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        chain.append(e)
        e = e.__cause__ or e.__context__
    frames: list[Frame] = []
    for e in chain:
        for f in traceback.extract_tb(e.__traceback__):
            if is_harness_file(f.filename):
                continue
            frames.append((f.filename, f.lineno, f.name, f.line))
    # The printed traceback, without the harness's own frames.
    tb = exc.__traceback__
    while tb is not None and is_harness_file(tb.tb_frame.f_code.co_filename):
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


class _Loader:
    """Koan functions loaded from their file path (koan folders are not packages).

    The compiled code is kept by path and modification time; the modules are
    dropped at each new session, so that a watch run sees module globals as a
    fresh pytest run would.
    """

    def __init__(self) -> None:
        self.code: dict[str, tuple[int, CodeType]] = {}
        self.modules: dict[str, tuple[int, ModuleType]] = {}
        self.session: int | None = None

    def new_session(self, session: int) -> None:
        if session != self.session:
            for _, module in self.modules.values():
                sys.modules.pop(module.__name__, None)
            self.modules.clear()
            self.session = session

    def function(self, path: str, name: str) -> Any:
        import hashlib
        import importlib.util

        mtime = os.stat(path).st_mtime_ns
        cached = self.modules.get(path)
        if cached is None or cached[0] != mtime:
            code = self.code.get(path)
            if code is None or code[0] != mtime:
                code = (mtime, _compile_with_assert_rewriting(path))
                self.code[path] = code
            modname = "_kata_rankfn_" + hashlib.sha1(f"{path}:{mtime}".encode()).hexdigest()[:16]
            spec = importlib.util.spec_from_file_location(modname, path)
            if spec is None:
                raise ImportError(f"cannot load {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[modname] = module
            try:
                exec(code[1], module.__dict__)
            except BaseException:
                sys.modules.pop(modname, None)
                raise
            if cached is not None and cached[1].__name__ != modname:
                sys.modules.pop(cached[1].__name__, None)
            cached = (mtime, module)
            self.modules[path] = cached
        return getattr(cached[1], name)


def _compile_with_assert_rewriting(path: str) -> CodeType:
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
    except Exception:  # noqa: BLE001 - any rewriter failure: plain asserts still work
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


def worker_main(rank: int, tasks: Connection, ctrl: Connection, parent_pid: int | None = None) -> None:
    """Entry point of a worker; never returns.

    ``parent_pid``: the process whose death ends the worker; None for the worker's
    parent as it is now (the forkserver, which ends with the process that started it).
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
    except BaseException:  # noqa: BLE001 - a worker's own bug: print it, then exit
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _warm_up(names: tuple[str, ...] | list[str] = WARM_UP_MODULES) -> None:
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a koan that needs the module reports the error
            pass


def _serve(rank: int, tasks: Connection) -> None:
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
    loader = _Loader()
    warmed = all(name in sys.modules for name in WARM_UP_MODULES)
    to_warm: list[str] = []
    # Process groups of finished calls.  Destroying a gloo group is quick but
    # freeing it takes tens of milliseconds, so they are kept and freed while the
    # worker is idle (or all at once when there are too many).
    stale: list[Any] = []
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
        if not isinstance(msg, Call):
            return  # "exit"
        call = msg
        loader.new_session(call.session)
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
            "WORLD_SIZE": str(call.world_size),
            "LOCAL_WORLD_SIZE": str(call.world_size),
            "GROUP_RANK": "0",
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": str(call.port),
        }
        launch_env.update(call.env)
        saved_env = {k: os.environ.get(k) for k in launch_env}
        os.environ.update(launch_env)
        with contextlib.suppress(Exception):
            dist.set_debug_level_from_env()
        out = io.StringIO()
        reply: Reply
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                fn = loader.function(call.path, call.name)
                if call.init:
                    dist.init_process_group(
                        "gloo",
                        store=dist.PrefixStore(f"kata/call{call.call_id}", base),
                        rank=rank,
                        world_size=call.world_size,
                        timeout=datetime.timedelta(seconds=call.timeout * BUSY_EXTENSION_CAP + 10),
                    )
                result = fn(rank, call.world_size)
            try:
                payload = pickle.dumps(result)
            except Exception as exc:  # noqa: BLE001 - pickling can fail in any way
                raise TypeError(
                    f"rank {rank} returned a {type(result).__name__}, which cannot be "
                    f"sent back to the test ({exc}); return plain values or tensors"
                ) from None
            reply = Reply("ok", payload=payload, output=out.getvalue())
        except BaseException as exc:  # noqa: BLE001 - the koan's error, whatever it is (BlankError is a BaseException)
            reply = Reply("error", error=error_info(exc, call.path), output=out.getvalue())
        tasks.send(reply)
        # Keep the group until every rank has finished (a rank still waiting in a
        # recv must hang, not see its partner's connection close); then drop the
        # default group and every subgroup (pending requests go with them).
        try:
            msg = tasks.recv()
        except (EOFError, OSError):
            return
        if msg != ("clean", call.call_id):
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
        tasks.send(("clean", call.call_id))
        if not warmed:
            # What DDP, FSDP, DTensor and checkpoint koans import on first use
            # (seconds), imported while the worker is idle once the first call is
            # done (not before: the first verdict comes first), one module at a
            # time in the main thread (imports in a second thread race with a
            # koan's own imports: torch._dynamo's circular imports then see a
            # half-initialised module).  A koan that arrives meanwhile waits for
            # at most one module's import, which the timeout treats as importing.
            # A forkserver that preloaded them (the watch's) leaves nothing to do.
            warmed = True
            to_warm = [name for name in WARM_UP_MODULES if name not in sys.modules]
