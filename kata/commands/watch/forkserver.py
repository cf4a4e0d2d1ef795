"""The warm fork server: import once, then run each save's pytest in a forked child.

The watch process imports pytest, its plugins and what the koan files import
(torch) once; for every run it forks a child that calls ``pytest.main`` on the
chapter, so the child starts warm.  The child's own pytest output goes to a
temporary file (shown only when pytest itself fails); it sends back, as JSON
on a pipe, the first failure (the plugin's short report), any lesson that does
not import, which modules it had to import and the lesson files'
assertion-rewritten code (``rewrite_cache``), so that the parent keeps those
for the next child.  A save while a run is under way interrupts it.  The
parent never imports a koan file, so a learner's syntax error is just a
verdict.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from kata import layout
from kata.commands.watch import rewrite_cache
from kata.layout import KOANS, SOLUTIONS


_IMPORT_RE = re.compile(r"^(?:import|from)\s+([A-Za-z_][\w]*)", re.MULTILINE)


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


class _Deferred:
    """Ctrl-C (and SIGTERM) wait until the block ends: an import cut in half can leave a
    module half-built, whose exit-time hooks then fail noisily."""

    def __enter__(self):
        self.caught: list[int] = []
        self.previous = {
            s: signal.signal(s, lambda signum, frame: self.caught.append(signum))
            for s in (signal.SIGINT, signal.SIGTERM)
        }
        return self

    def __exit__(self, *exc) -> None:
        for s, handler in self.previous.items():
            signal.signal(s, handler)
        if self.caught and exc[0] is None:
            raise KeyboardInterrupt


def warm_up(root: Path) -> list[str]:
    """Import, once, everything a run needs before it gets to the koans; the names imported."""
    with _Deferred():
        return _warm_up(root)


def _warm_up(root: Path) -> list[str]:
    done = []
    import pytest  # noqa: F401
    import _pytest.config  # noqa: F401
    from importlib import metadata

    for ep in metadata.entry_points(group="pytest11"):
        try:
            importlib.import_module(ep.module)
            done.append(ep.module)
        except Exception:  # a broken plugin fails in the child, where pytest reports it
            pass
    for name in ("kata.plugin", "kata.plugin.classify", "kata.plugin.learner", "kata.plugin.report", "kata.ranks"):
        importlib.import_module(name)
    for name in koan_imports(root):
        try:
            importlib.import_module(name)
            done.append(name)
        except Exception:
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
                except (Exception, SystemExit):  # a module that fails here is imported by each run
                    pass


class _Collector:
    """Gathers, in the child, what the learner needs to see from the run."""

    def __init__(self) -> None:
        self.failure: dict | None = None
        self.errors: list[dict] = []
        self.passed = 0

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.errors.append({"nodeid": report.nodeid, "text": str(report.longrepr)})

    def pytest_runtestloop(self, session) -> None:
        # The plugin replaces a koan's traceback with its short report anyway; pytest's own
        # long form (an ast parse of every frame's file) would cost a tenth of a second.
        # Collection errors keep their style: the plugin reads the file:line out of them.
        session.config.option.tbstyle = "native"

    def pytest_runtest_logreport(self, report) -> None:
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


def _koan_module(name: str, module, root: Path) -> bool:
    path = getattr(module, "__file__", None) or ""
    return (
        name.split(".")[0] in (KOANS, SOLUTIONS, "conftest")
        or name.startswith("test_")
        or path.startswith((str(root / KOANS), str(root / SOLUTIONS)))
    )


def _child(root: Path, target: str, wfd: int) -> None:
    payload: dict = {"code": None}
    try:
        os.chdir(root)
        import tempfile

        log = tempfile.TemporaryFile()  # pytest's own output: shown only when pytest itself fails
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        before = set(sys.modules)
        import pytest

        collector = _Collector()
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
        ranks = sys.modules.get("kata.ranks")
        if ranks is not None:
            ranks.close_pool()
    except BaseException as e:  # noqa: BLE001 - the parent must hear about anything
        payload = {"code": None, "crash": f"{type(e).__name__}: {e}"}
    finally:
        try:
            data = json.dumps(payload).encode()
            while data:
                data = data[os.write(wfd, data) :]
        finally:
            os._exit(0)


@dataclass
class Result:
    target: str
    seconds: float
    code: int | None = None
    failure: dict | None = None
    errors: list[dict] = field(default_factory=list)
    passed: int = 0
    crash: str = ""
    modules: list[str] = field(default_factory=list)
    log: str = ""
    rewritten: list = field(default_factory=list)
    cancelled: bool = False


def _stop_child(pid: int, grace: float = 2.0) -> None:
    try:
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
            time.sleep(0.02)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass


def run_in_child(root: Path, target: str, cancel=None) -> Result:
    """Run pytest on ``target`` in a forked child; ``cancel()``, asked every tenth of a second,
    interrupts the child when true (a new save): it gets Ctrl-C, so that pytest ends its session
    and writes the cache properly, and is killed if it has not stopped two seconds later."""
    import select

    started = time.perf_counter()
    sys.stdout.flush()
    sys.stderr.flush()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        _child(root, target, wfd)
    os.close(wfd)
    chunks = []
    interrupted_at = None
    try:
        while True:
            ready, _, _ = select.select([rfd], [], [], 0.1)
            if ready:
                chunk = os.read(rfd, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
                continue
            if interrupted_at is None and cancel is not None and cancel():
                interrupted_at = time.monotonic()
                os.kill(pid, signal.SIGINT)
            elif interrupted_at is not None and time.monotonic() - interrupted_at > 2:
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    except BaseException:  # Ctrl-C: let the child end its session (and write the cache), then go
        _stop_child(pid)
        raise
    finally:
        os.close(rfd)
    if interrupted_at is not None:
        return Result(target, time.perf_counter() - started, cancelled=True)
    seconds = time.perf_counter() - started
    try:
        payload = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        payload = {}
    if not payload:
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}"
        return Result(target, seconds, crash=f"the run died ({how}) before reporting")
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
    )
