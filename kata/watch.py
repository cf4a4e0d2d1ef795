"""``kata watch [CHAPTER]``: rerun the chapter on every save, with feedback in a fraction of a second.

The watch process is a fork server.  It imports pytest, its plugins and what
the koan files import (torch) once, freezes those objects out of the garbage
collector's way, and then, for every run, forks a child that calls
``pytest.main`` on the chapter: the child starts warm, so a save shows its
verdict without paying for ``import torch`` again.  The child's own pytest
output goes to a temporary file (shown only when pytest itself fails); it
sends back, as JSON on a pipe, the first failure (the plugin's short report),
any lesson that does not import, which modules it had to import and the
lesson files' assertion-rewritten code, so that the parent keeps those for the
next child.  A save while a run is under way interrupts it and starts over.

A save is a change of a lesson file's (mtime, size, inode) between two scans
(a scan of the path's ~100 files costs well under a millisecond).  On Linux,
inotify (through ctypes) wakes the watch the moment a chapter folder changes;
elsewhere, or with ``--poll``, or where inotify fails (some network and
container file systems), it scans every ``--interval`` seconds.  A change
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


class _Inotify:
    """Linux file events through ctypes: wakes the watch the moment a lesson folder changes.

    Only a wake-up call: whether a lesson file really changed is still decided by
    comparing snapshots, so an event for a bytecode file or a swap file runs nothing.
    """

    _MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200  # modify attrib close_write moved create delete

    def __init__(self, root: Path) -> None:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.root = root
        self.watched: set[str] = set()
        self.rewatch()

    def rewatch(self) -> None:
        """Watch koans/ (for new chapters) and every chapter folder."""
        for folder in [self.root / "koans", *lessons.chapters(self.root / "koans")]:
            key = str(folder)
            if key not in self.watched and self._add(self.fd, os.fsencode(key), self._MASK) >= 0:
                self.watched.add(key)

    def wait(self, timeout: float) -> None:
        import select

        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                while os.read(self.fd, 65536):
                    pass
            except BlockingIOError:
                pass
            self.rewatch()

    def close(self) -> None:
        os.close(self.fd)


def file_events(root: Path) -> _Inotify | None:
    """Linux's inotify where it works; None (the watch then polls) everywhere else."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return _Inotify(root)
    except (OSError, AttributeError):
        return None


def wait_for_change(root: Path, since: Snapshot, interval: float = 0.05, debounce: float = 0.03,
                    timeout: float | None = None, events: _Inotify | None = None) -> Snapshot | None:
    """Block until a lesson file differs from ``since`` and then stays still for ``debounce``
    seconds; the settled snapshot, or None after ``timeout`` seconds without a change.

    With ``events`` it sleeps until the file system says something happened (and at
    least every half second, in case an event was missed); without, it polls every
    ``interval`` seconds.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        now = snapshot(root)
        if now != since:
            break
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return None
        pause = 0.5 if events is not None else interval
        pause = pause if left is None else min(pause, left)
        if events is not None:
            events.wait(pause)
        else:
            time.sleep(pause)
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


class _Deferred:
    """Ctrl-C (and SIGTERM) wait until the block ends: an import cut in half can leave a
    module half-built, whose exit-time hooks then fail noisily."""

    def __enter__(self):
        self.caught: list[int] = []
        self.previous = {s: signal.signal(s, lambda signum, frame: self.caught.append(signum))
                         for s in (signal.SIGINT, signal.SIGTERM)}
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
    with _Deferred():
        for name in names:
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except (Exception, SystemExit):  # a module that fails here is imported by each run
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
    # The warm parent imported the plugins before pytest's assertion rewriter existed: pytest
    # says so in a warning on every run, which nobody here needs to read.
    args = [target, "-q", "--no-header", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
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


# The lesson files' assertion-rewritten code, kept by the parent across runs:
# {(path, mtime_ns, size): marshalled code}.  pytest keeps it in __pycache__, but
# not where bytecode writing is off (PYTHONDONTWRITEBYTECODE), and there
# rewriting the chapter's asserts is the biggest cost of a warm run.
_rewritten: dict[tuple[str, int, int], bytes] = {}


def _remember_rewrites() -> dict:
    """In the child: serve rewritten lesson code from the parent's memo; the new ones are returned."""
    import marshal

    from _pytest.assertion import rewrite

    original = rewrite._rewrite_test
    fresh: dict = {}

    def rewrite_test(fn, config):
        st = os.stat(fn)
        key = (str(fn), st.st_mtime_ns, st.st_size)
        data = _rewritten.get(key)
        if data is not None:
            return st, marshal.loads(data)
        st, co = original(fn, config)
        fresh[key] = marshal.dumps(co)
        return st, co

    rewrite._rewrite_test = rewrite_test
    return fresh


def _keep_rewrites(items: list) -> None:
    import base64

    for path, mtime, size, data in items:
        for key in [k for k in _rewritten if k[0] == path]:
            del _rewritten[key]
        _rewritten[(path, mtime, size)] = base64.b64decode(data)


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
        import base64

        import pytest

        collector = _Collector()
        try:
            fresh = _remember_rewrites()
        except (ImportError, AttributeError):  # another pytest: it rewrites as usual
            fresh = {}
        started = time.perf_counter()
        code = pytest.main(pytest_args(root, target), plugins=[collector])
        pytest_seconds = time.perf_counter() - started
        new = sorted(n for n in set(sys.modules) - before if not _koan_module(n, sys.modules.get(n), root))
        payload = {"code": int(code), "failure": collector.failure, "errors": collector.errors,
                   "passed": collector.passed, "modules": new, "pytest_seconds": pytest_seconds,
                   "rewritten": [[*key, base64.b64encode(data).decode()] for key, data in fresh.items()]}
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
        how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}")
        return Result(target, seconds, crash=f"the run died ({how}) before reporting")
    return Result(target, seconds, payload.get("code"), payload.get("failure"), payload.get("errors") or [],
                  payload.get("passed", 0), payload.get("crash", ""), payload.get("modules") or [],
                  payload.get("log", ""), payload.get("rewritten") or [])


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
    elif result.code not in (0, 1, 5, None):
        out.append(f"  pytest stopped with exit code {result.code}; its output ends:")
        lines = result.log.rstrip().splitlines()
        errors = [line for line in lines if line.startswith("ERROR")]
        out.extend("    " + line for line in (errors or lines[-15:]))
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
                 debounce: float = 0.03, clear: bool = False, events: bool = True) -> None:
        out = out if out is not None else sys.stdout
        self.root, self.pinned, self.out = root, chapter, out
        self.interval, self.debounce, self.clear = interval, debounce, clear
        self.runs = 0
        self.events = file_events(root) if events else None

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

    def run(self, trigger: str, since: Snapshot) -> Result:
        chapter = self.chapter()
        result = run_in_child(self.root, f"koans/{chapter}", cancel=lambda: snapshot(self.root) != since)
        if result.cancelled:  # saved again while it ran: the next run starts at once
            self.say([f"kata watch: koans/{chapter}: saved again while it ran; starting over"])
            return result
        self.runs += 1
        lines = render(self.root, result, chapter, trigger)
        if not self.pinned and result.code == 0 and not result.errors:
            after = self.chapter()
            if after != chapter:
                lines.append(f"next: koans/{after}, from your next save")
        self.say(lines + ["", WAITING])
        import_more(result.modules)
        _keep_rewrites(result.rewritten)
        gc.freeze()
        return result

    def loop(self, max_runs: int | None = None) -> int:
        since = snapshot(self.root)
        self.out.write("kata watch: ready; the first run starts\n")
        self.out.flush()
        self.run("first run", since)
        while max_runs is None or self.runs < max_runs:
            now = wait_for_change(self.root, since, self.interval, self.debounce, events=self.events)
            names = [Path(p).name for p in changed_files(since, now)]
            since = now
            self.run("saved " + ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""), since)
        return 0


def main(root: Path, chapter: str | None, max_runs: int | None = None, interval: float = 0.05,
         debounce: float = 0.03, clear: bool | None = None, poll: bool = False, out=None) -> int:
    out = out if out is not None else sys.stdout
    if not hasattr(os, "fork"):
        print("kata watch needs os.fork (Linux or macOS); run pytest on the chapter instead", file=out)
        return 2
    if chapter is not None:
        target = finder.resolve(finder.index(root), chapter, root, kinds=("chapter",))
        chapter = target.chapter
    watch = Watch(root, chapter, out, interval, debounce,
                  clear if clear is not None else out.isatty(), events=not poll)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        how = "file events (inotify)" if watch.events else f"polling every {interval:g} s"
        print(f"kata watch: warming up (importing pytest and what the koans import, once); saves are "
              f"noticed by {how}", file=out, flush=True)
        warm_up(root)
        gc.collect()
        gc.freeze()
        return watch.loop(max_runs)
    except KeyboardInterrupt:
        print("\nkata watch: stopped", file=out)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if watch.events is not None:
            watch.events.close()
