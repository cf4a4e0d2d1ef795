"""The warm fork server: import once, then run each save's pytest in a forked child.

The watch process imports pytest, its plugins and what the koan files import
(torch) once; for every run it forks a child that calls ``pytest.main`` on the
chapter, so the child starts warm.  The child's own pytest output goes to a
temporary file (shown only when pytest itself fails, or when the run died);
over a pipe it sends, as JSON lines, each koan as it starts, then the first
failure (the plugin's short report), any lesson that does not import, which
modules it had to import and the lesson files' assertion-rewritten code
(``rewrite_cache``), so that the parent keeps those for the next child.  A save
while a run is under way interrupts it.  The parent never imports a koan file,
so a learner's syntax error is just a verdict.

The rank pool of the distributed koans belongs to the parent (``kata.ranks.remote``):
it is started once, when the chapter has multiprocess koans, and each child's
``ranks`` calls run on it, so a run pays for no rank process start.

The child ends with the parent: ``PR_SET_PDEATHSIG`` on Linux (a thread
watching the parent's pid elsewhere), even when the parent is SIGKILLed.  It
runs in a process group of its own, which the parent kills once the run is
over, so nothing a koan started (a subprocess, a stray worker) outlives it.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from kata import layout
from kata.commands.watch import rewrite_cache
from kata.layout import KOANS, SOLUTIONS
from kata.ranks import pool as rank_pool
from kata.ranks import remote

_IMPORT_RE = re.compile(r"^(?:import|from)\s+([A-Za-z_][\w]*)", re.MULTILINE)
MULTIPROCESS_MARK = "pytest.mark.multiprocess"


def koan_imports(root: Path) -> list[str]:
    """Top-level packages the lesson files import (torch, numpy, ...), read without importing them."""
    names: set[str] = set()
    for chapter in layout.chapters(root / KOANS):
        for f in layout.lesson_files(chapter):
            try:
                names.update(_IMPORT_RE.findall(f.read_text(encoding="utf-8")))
            except OSError:
                pass
    names -= {"kata", "__future__"}
    return sorted(names)


def has_multiprocess_koans(root: Path, target: str) -> bool:
    """Whether a lesson of ``target`` (a chapter folder) runs koans on gloo ranks."""
    for f in layout.lesson_files(root / target):
        try:
            if MULTIPROCESS_MARK in f.read_text(encoding="utf-8"):
                return True
        except OSError:
            pass
    return False


class _Deferred:
    """Ctrl-C (and SIGTERM) wait until the block ends: an import cut in half can leave a
    module half-built, whose exit-time hooks then fail noisily."""

    def __enter__(self) -> _Deferred:
        self.caught: list[int] = []

        def defer(signum: int, frame: object) -> None:
            self.caught.append(signum)

        self.previous = {s: signal.signal(s, defer) for s in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc: object) -> None:
        for s, handler in self.previous.items():
            signal.signal(s, handler)
        if self.caught and exc[0] is None:
            raise KeyboardInterrupt


def prepare_ranks(root: Path, target: str) -> bool:
    """Before a run of ``target``: start the rank forkserver if the chapter needs ranks (no-op after
    the first time); whether it does.

    The watch's forkserver also preloads DDP's, FSDP's, DTensor's and dcp's modules, so
    that workers forked to replace ones that hung or died start with everything
    imported.  Its output (and the workers') goes to /dev/null: the watch's screen is
    the verdict's.  Called in the main thread, before the fork.
    """
    if not has_multiprocess_koans(root, target):
        return False
    with _Deferred():
        try:
            rank_pool.start_forkserver([*rank_pool.FORKSERVER_PRELOAD, *rank_pool.WARM_UP_MODULES], quiet=True)
        except Exception:  # noqa: BLE001 - the run's first ranks call starts workers itself, or reports why not
            return False
    return True


def warm_up(root: Path, target: str | None = None) -> list[str]:
    """Import, once, everything a run needs before it gets to the koans; the names imported.

    When ``target`` has multiprocess koans, the rank forkserver imports torch while
    this process does, and the pool is up before the first run.
    """
    ranks = target is not None and prepare_ranks(root, target)
    with _Deferred():
        done = _warm_up(root)
        if ranks:
            try:
                rank_pool.ensure_pool()
            except Exception:  # noqa: BLE001 - no gloo, say: the koans skip, or their first call reports it
                pass
        return done


def _warm_up(root: Path) -> list[str]:
    done = []
    from importlib import metadata

    import _pytest.config  # noqa: F401
    import pytest  # noqa: F401

    for ep in metadata.entry_points(group="pytest11"):
        try:
            importlib.import_module(ep.module)
            done.append(ep.module)
        except Exception:  # noqa: BLE001 - a broken plugin fails in the child, where pytest reports it
            pass
    for name in ("kata.plugin", "kata.plugin.classify", "kata.plugin.learner", "kata.plugin.report", "kata.ranks"):
        importlib.import_module(name)
    for name in koan_imports(root):
        try:
            importlib.import_module(name)
            done.append(name)
        except Exception:  # noqa: BLE001 - a package that fails here is imported (and reported) by each run
            pass
    return done


def import_more(names: list[str]) -> None:
    """Import in the parent what a run needed beyond the warm-up (never a koan file), so
    that the next child finds it imported; anything that fails to import stays out."""
    with _Deferred():
        for name in names:
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except (Exception, SystemExit):  # noqa: BLE001 - a module that fails here is imported by each run
                    pass


class _Collector:
    """Gathers, in the child, what the learner needs to see from the run; says which koan runs."""

    def __init__(self, send: Callable[[dict[str, Any]], None]) -> None:
        self.send = send
        self.failure: dict[str, str] | None = None
        self.errors: list[dict[str, str]] = []
        self.passed = 0

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.errors.append({"nodeid": report.nodeid, "text": str(report.longrepr)})

    def pytest_runtestloop(self, session: Any) -> None:
        # The plugin replaces a koan's traceback with its short report anyway; pytest's own
        # long form (an ast parse of every frame's file) would cost a tenth of a second.
        # Collection errors keep their style: the plugin reads the file:line out of them.
        session.config.option.tbstyle = "native"

    def pytest_runtest_logstart(self, nodeid: str, location: object) -> None:
        self.send({"koan": nodeid})

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" and report.passed:
            self.passed += 1
        if report.failed and self.failure is None:
            self.failure = {"nodeid": report.nodeid, "when": report.when, "text": str(report.longrepr)}


def pytest_args(root: Path, target: str) -> list[str]:
    """The child's pytest arguments: the chapter, quietly; pytest-benchmark only where a
    lesson uses its fixture (it runs git and hg in subprocesses at every session start)."""
    # The warm parent imported the plugins before pytest's assertion rewriter existed: pytest
    # says so in a warning on every run, which nobody here needs to read.
    args = [target, "-q", "--no-header", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    try:
        texts = [f.read_text(encoding="utf-8") for f in layout.lesson_files(root / target)]
    except OSError:
        texts = ["benchmark"]
    if not any("benchmark" in t for t in texts):
        args += ["-p", "no:benchmark"]
    return args


def _koan_module(name: str, module: ModuleType | None, root: Path) -> bool:
    path = getattr(module, "__file__", None) or ""
    return (
        name.split(".")[0] in (KOANS, SOLUTIONS, "conftest")
        or name.startswith("test_")
        or path.startswith((str(root / KOANS), str(root / SOLUTIONS)))
    )


def _end_with_parent(parent: int) -> None:
    """In the child: die when the watch dies, however it dies (SIGKILL included)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the thread below
            pass
        else:
            if os.getppid() != parent:  # the parent died before prctl
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="kata-watch-parent").start()


def _child(root: Path, target: str, wfd: int, log: IO[bytes]) -> None:
    payload: dict[str, Any] = {"code": None}

    def send(message: dict[str, Any]) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(wfd, data) :]

    try:
        os.chdir(root)
        os.dup2(log.fileno(), 1)  # pytest's own output: shown only when pytest itself fails
        os.dup2(log.fileno(), 2)
        devnull = os.open(os.devnull, os.O_RDONLY)  # a koan that reads stdin gets EOF, not the terminal
        os.dup2(devnull, 0)
        os.close(devnull)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        before = set(sys.modules)
        import pytest

        collector = _Collector(send)
        try:
            fresh = rewrite_cache.install()
        except (ImportError, AttributeError):  # another pytest: it rewrites as usual
            fresh = {}
        started = time.perf_counter()
        code = pytest.main(pytest_args(root, target), plugins=[collector])
        pytest_seconds = time.perf_counter() - started
        new = sorted(n for n in set(sys.modules) - before if not _koan_module(n, sys.modules.get(n), root))
        payload = {
            "code": int(code),
            "failure": collector.failure,
            "errors": collector.errors,
            "passed": collector.passed,
            "modules": new,
            "pytest_seconds": pytest_seconds,
            "rewritten": rewrite_cache.export(fresh),
        }
        if int(code) not in (0, 1, 5):
            sys.stdout.flush()
            sys.stderr.flush()
            log.seek(0)
            payload["log"] = log.read().decode("utf-8", "replace")[-3000:]
    except BaseException as e:  # noqa: BLE001 - the parent must hear about anything
        payload = {"code": None, "crash": f"{type(e).__name__}: {e}"}
    finally:
        try:
            send({"result": payload})
        finally:
            os._exit(0)


@dataclass
class Result:
    target: str
    seconds: float
    code: int | None = None
    failure: dict[str, str] | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    passed: int = 0
    crash: str = ""
    modules: list[str] = field(default_factory=list)
    log: str = ""
    rewritten: list[list[Any]] = field(default_factory=list)
    cancelled: bool = False
    koan: str | None = None  # the koan that was running when the run ended (the last one started)


# Progress is reported after a run has gone this long, then every PROGRESS_EVERY seconds.
PROGRESS_AFTER = 2.0
PROGRESS_EVERY = 1.0
# A child that died without reporting: how long what it started (a time limit's
# report writer, say) may take to finish before its process group is killed.
GROUP_GRACE = 2.0


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group other than zombies (the unreaped child) still runs (Linux's /proc)."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return False
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and fields[2] == str(pgid):
            return True
    return False


# The reaper: a tiny process, started once, that outlives a watch killed by SIGKILL just long
# enough to kill what each run's process group still holds (the child itself dies by
# PR_SET_PDEATHSIG, but a subprocess its koan started would be orphaned).  It learns each
# group from a pipe only the watch writes to; the pipe's end (EOF) is the watch's death.
_REAPER_CODE = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
groups = set()
for line in sys.stdin:
    (groups.add if line[0] == "+" else groups.discard)(int(line[1:]))
for pgid in groups:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
"""


class _Reaper:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def fd(self) -> int | None:
        """The pipe's write end, which a forked child must close at once (only the watch may hold it)."""
        if self.proc is None or self.proc.stdin is None:
            return None
        return self.proc.stdin.fileno()

    def tell(self, op: str, pgid: int) -> None:
        if self.proc is None and op == "+":
            try:
                self.proc = subprocess.Popen(
                    [sys.executable, "-I", "-S", "-c", _REAPER_CODE], stdin=subprocess.PIPE, start_new_session=True
                )
            except OSError:  # no reaper: PR_SET_PDEATHSIG still ends the child itself
                return
        if self.proc is not None and self.proc.stdin is not None:
            try:
                self.proc.stdin.write(f"{op}{pgid}\n".encode())
                self.proc.stdin.flush()
            except OSError:
                self.proc = None


_reaper = _Reaper()


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_group(pgid: int, grace: float = 0.0) -> None:
    """Kill what is left of the child's process group, after ``grace`` seconds for it to end alone."""
    deadline = time.monotonic() + grace
    while grace and _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)
    _signal_group(pgid, signal.SIGKILL)


def _wait_exit(pid: int) -> None:
    """Wait for the child to exit without reaping it: its pid, the group's id, stays taken."""
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    except ChildProcessError:
        pass


def _reap(pid: int) -> int:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def _stop_child(pid: int, grace: float = 2.0) -> None:
    """Ctrl-C to the child's process group (pytest ends its session and writes the cache), then SIGKILL."""
    _signal_group(pid, signal.SIGINT)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                break
        except ChildProcessError:
            break
        time.sleep(0.02)
    _kill_group(pid)
    _reap(pid)
    _reaper.tell("-", pid)


def run_in_child(
    root: Path,
    target: str,
    cancel: Callable[[], bool] | None = None,
    progress: Callable[[float, str | None], None] | None = None,
    server: remote.Server | None = None,
) -> Result:
    """Run pytest on ``target`` in a forked child.

    ``cancel()``, asked every tenth of a second, interrupts the child when true (a
    new save): it gets Ctrl-C, so that pytest ends its session and writes the cache
    properly, and is killed if it has not stopped two seconds later.
    ``progress(seconds, koan)`` is called once the run has gone PROGRESS_AFTER
    seconds, then every PROGRESS_EVERY seconds, with the koan running (None while
    collecting).  ``server``: lends the parent's rank pool to the child.
    """
    import tempfile

    with tempfile.TemporaryFile() as log:
        return _run(root, target, cancel, progress, server, log)


def _run(
    root: Path,
    target: str,
    cancel: Callable[[], bool] | None,
    progress: Callable[[float, str | None], None] | None,
    server: remote.Server | None,
    log: IO[bytes],
) -> Result:
    import select

    started = time.perf_counter()
    sys.stdout.flush()
    sys.stderr.flush()
    if server is not None:
        server.open()
    rfd, wfd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.setpgid(0, 0)
            _end_with_parent(parent)
            os.close(rfd)
            if (fd := _reaper.fd()) is not None:
                os.close(fd)
            if server is not None:
                server.child_side()
        except BaseException:  # noqa: BLE001 - never return into the parent's code
            os._exit(1)
        _child(root, target, wfd, log)
    try:
        os.setpgid(pid, pid)  # both sides set it: whichever runs first, the group exists
    except (PermissionError, ProcessLookupError):  # the child set it already, or exec'd/ended
        pass
    _reaper.tell("+", pid)
    os.close(wfd)
    if server is not None:
        server.serve()
    buffer = b""
    messages: list[dict[str, Any]] = []
    koan: str | None = None
    interrupted_at = None
    shown_at = None
    try:
        while True:
            ready, _, _ = select.select([rfd], [], [], 0.1)
            if ready:
                chunk = os.read(rfd, 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    try:
                        message = json.loads(line)
                    except ValueError:
                        continue
                    koan = message.get("koan", koan)
                    messages.append(message)
                continue
            if interrupted_at is None and cancel is not None and cancel():
                interrupted_at = time.monotonic()
                _signal_group(pid, signal.SIGINT)
            elif interrupted_at is not None and time.monotonic() - interrupted_at > 2:
                _signal_group(pid, signal.SIGKILL)
            elapsed = time.perf_counter() - started
            if (
                progress is not None
                and interrupted_at is None
                and elapsed >= PROGRESS_AFTER
                and (shown_at is None or elapsed - shown_at >= PROGRESS_EVERY)
            ):
                shown_at = elapsed
                progress(elapsed, koan)
        _wait_exit(pid)
    except BaseException:  # Ctrl-C, SIGTERM: let the child end its session (and write the cache), then go
        _stop_child(pid)
        os.close(rfd)
        raise
    os.close(rfd)
    payload: dict[str, Any] = next((m["result"] for m in messages if "result" in m), {})
    # A run that reported has nothing left worth waiting for; one that died may have left
    # a report writer (a time limit's) running: it gets a moment.
    _kill_group(pid, grace=0.0 if payload else GROUP_GRACE)
    status = _reap(pid)
    _reaper.tell("-", pid)
    seconds = time.perf_counter() - started
    if interrupted_at is not None:
        return Result(target, seconds, cancelled=True, koan=koan)
    if not payload:
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}"
        log.seek(0)
        text = log.read().decode("utf-8", "replace")[-3000:]
        return Result(target, seconds, crash=f"the run died ({how}) before reporting", log=text, koan=koan)
    return Result(
        target,
        seconds,
        payload.get("code"),
        payload.get("failure"),
        payload.get("errors") or [],
        payload.get("passed", 0),
        payload.get("crash", ""),
        payload.get("modules") or [],
        payload.get("log", ""),
        payload.get("rewritten") or [],
        koan=koan,
    )
