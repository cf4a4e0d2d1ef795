"""``kata watch [CHAPTER]``: rerun the chapter on every save, with feedback in a fraction of a second.

The watch process is a fork server.  It imports pytest, its plugins and what
the koan files import (torch) once, freezes those objects out of the garbage
collector's way, and then, for every run, forks a child that calls
``pytest.main`` on the chapter: the child starts warm, so a save shows its
verdict without paying for ``import torch`` again.  The child's own pytest
output goes nowhere; it sends back, as JSON on a pipe, the first failure (the
plugin's short report), any lesson that does not import, and which modules it
had to import, so that the parent can import those too before the next run.

Saves are noticed by polling the lesson files' (mtime, size, inode) every
``--interval`` seconds: it works on every platform and file system, and a
scan of the path's ~100 files costs well under a millisecond.  A change
starts a run only once the files have been still for ``--debounce`` seconds,
so an editor's several writes for one save make one run.  The parent never
imports a koan file, so a learner's syntax error is just a verdict.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata import finder, lessons, progress

WAITING = "kata watch: waiting for a save (Ctrl-C to stop)"
Snapshot = dict[str, tuple[int, int, int]]


def snapshot(root: Path) -> Snapshot:
    """(mtime_ns, size, inode) of every lesson file under koans/; a deleted file drops out."""
    out: Snapshot = {}
    for chapter in lessons.chapters(root / "koans"):
        try:
            entries = list(os.scandir(chapter))
        except OSError:
            continue
        for e in entries:
            if e.name.startswith("test_") and e.name.endswith(".py"):
                try:
                    st = e.stat()
                except OSError:
                    continue
                out[e.path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return out


def wait_for_change(root: Path, since: Snapshot, interval: float = 0.05, debounce: float = 0.03,
                    timeout: float | None = None) -> Snapshot | None:
    """Block until a lesson file differs from ``since`` and then stays still for ``debounce``
    seconds; the settled snapshot, or None after ``timeout`` seconds without a change."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        now = snapshot(root)
        if now != since:
            break
        if deadline is not None and time.monotonic() >= deadline:
            return None
        time.sleep(interval)
    while True:  # settle: one save can be several writes (truncate, write, rename, chmod)
        time.sleep(debounce)
        later = snapshot(root)
        if later == now:
            return now
        now = later


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


# -- the warm parent ----------------------------------------------------------------------

_IMPORT_RE = re.compile(r"^(?:import|from)\s+([A-Za-z_][\w]*)", re.MULTILINE)


def koan_imports(root: Path) -> list[str]:
    """Top-level packages the lesson files import (torch, numpy, ...), read without importing them."""
    names: set[str] = set()
    for chapter in lessons.chapters(root / "koans"):
        for f in lessons.lesson_files(chapter):
            try:
                names.update(_IMPORT_RE.findall(f.read_text(encoding="utf-8")))
            except OSError:
                pass
    names -= {"kata", "__future__"}
    return sorted(names)


def warm_up(root: Path) -> list[str]:
    """Import, once, everything a run needs before it gets to the koans; the names imported."""
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
    for name in ("kata.plugin", "kata.ranks", "kata.verdict", "kata.report"):
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
    for name in names:
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001 - anything a module raises on import stays out
                pass


# -- one run, in a forked child -------------------------------------------------------------

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
    args = [target, "-q", "--no-header"]
    try:
        texts = [f.read_text(encoding="utf-8") for f in lessons.lesson_files(root / target)]
    except OSError:
        texts = ["benchmark"]
    if not any("benchmark" in t for t in texts):
        args += ["-p", "no:benchmark"]
    return args


def _koan_module(name: str, module, root: Path) -> bool:
    path = getattr(module, "__file__", None) or ""
    return (name.split(".")[0] in ("koans", "solutions", "conftest") or name.startswith("test_")
            or path.startswith((str(root / "koans"), str(root / "solutions"))))


def _child(root: Path, target: str, wfd: int) -> None:
    payload: dict = {"code": None}
    try:
        os.chdir(root)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        before = set(sys.modules)
        import pytest

        collector = _Collector()
        code = pytest.main(pytest_args(root, target), plugins=[collector])
        new = sorted(n for n in set(sys.modules) - before if not _koan_module(n, sys.modules.get(n), root))
        payload = {"code": int(code), "failure": collector.failure, "errors": collector.errors,
                   "passed": collector.passed, "modules": new}
        ranks = sys.modules.get("kata.ranks")
        if ranks is not None:
            ranks.close_pool()
    except BaseException as e:  # noqa: BLE001 - the parent must hear about anything
        payload = {"code": None, "crash": f"{type(e).__name__}: {e}"}
    finally:
        try:
            data = json.dumps(payload).encode()
            while data:
                data = data[os.write(wfd, data):]
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


def run_in_child(root: Path, target: str) -> Result:
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
    try:
        while True:
            chunk = os.read(rfd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
    except BaseException:
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except OSError:
            pass
        raise
    finally:
        os.close(rfd)
    seconds = time.perf_counter() - started
    try:
        payload = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        payload = {}
    if not payload:
        how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}")
        return Result(target, seconds, crash=f"the run died ({how}) before reporting")
    return Result(target, seconds, payload.get("code"), payload.get("failure"), payload.get("errors") or [],
                  payload.get("passed", 0), payload.get("crash", ""), payload.get("modules") or [])


# -- what the learner sees ------------------------------------------------------------------------

def render(root: Path, result: Result, chapter: str, trigger: str) -> list[str]:
    out = [f"kata watch: koans/{chapter} ({trigger}; {result.seconds:.2f} s)", ""]
    if result.crash:
        out.append(f"  the run failed: {result.crash}")
    for e in result.errors:
        out.append(f"✗ {e['nodeid']} does not import:")
        out.append(e["text"].rstrip())
        out.append("")
    if result.failure:
        f = result.failure
        phase = "" if f["when"] == "call" else f" (error in {f['when']})"
        out.append(f"✗ {f['nodeid']}{phase}")
        out.append(f["text"].rstrip())
    elif not result.errors and not result.crash:
        if result.code == 5:
            out.append(f"  koans/{chapter} has no koans to run")
        else:
            out.append(f"✓ every koan of koans/{chapter} that runs here is solved ({result.passed} passed this run)")
    out.append("")
    counts = progress.count(root, "koans", progress.read_solved(root))
    out.extend(progress.lines(counts, chapter))
    return out


class Watch:
    def __init__(self, root: Path, chapter: str | None, out=None, interval: float = 0.05,
                 debounce: float = 0.03, clear: bool = False) -> None:
        out = out if out is not None else sys.stdout
        self.root, self.pinned, self.out = root, chapter, out
        self.interval, self.debounce, self.clear = interval, debounce, clear
        self.runs = 0

    def chapter(self) -> str:
        if self.pinned:
            return self.pinned
        refs = finder.index(self.root)
        missing_hw, _ = finder.hardware_status(self.root)
        here = finder.current(refs, progress.read_solved(self.root), missing_hw)
        if here is not None:
            return here.chapter
        names = finder.chapter_names(self.root)
        return names[-1] if names else ""

    def say(self, lines: list[str]) -> None:
        if self.clear:
            self.out.write("\x1b[2J\x1b[H")
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def run(self, trigger: str) -> Result:
        chapter = self.chapter()
        result = run_in_child(self.root, f"koans/{chapter}")
        self.runs += 1
        self.say(render(self.root, result, chapter, trigger) + ["", WAITING])
        import_more(result.modules)
        gc.freeze()
        return result

    def loop(self, max_runs: int | None = None) -> int:
        since = snapshot(self.root)
        self.run("first run")
        while max_runs is None or self.runs < max_runs:
            now = wait_for_change(self.root, since, self.interval, self.debounce)
            names = [Path(p).name for p in changed_files(since, now)]
            since = now
            self.run("saved " + ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""))
        return 0


def main(root: Path, chapter: str | None, max_runs: int | None = None, interval: float = 0.05,
         debounce: float = 0.03, clear: bool | None = None, out=None) -> int:
    out = out if out is not None else sys.stdout
    if not hasattr(os, "fork"):
        print("kata watch needs os.fork (Linux or macOS); run pytest on the chapter instead", file=out)
        return 2
    if chapter is not None:
        target = finder.resolve(finder.index(root), chapter, root, kinds=("chapter",))
        chapter = target.chapter
    watch = Watch(root, chapter, out, interval, debounce,
                  clear if clear is not None else out.isatty())

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        print("kata watch: warming up (importing pytest and what the koans import, once)...", file=out, flush=True)
        warm_up(root)
        gc.collect()
        gc.freeze()
        return watch.loop(max_runs)
    except KeyboardInterrupt:
        print("\nkata watch: stopped", file=out)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
