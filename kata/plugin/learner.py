"""The learner's session (plugin mode "learn"): curriculum order, stop at the first
unsolved koan, short reports, the progress line and what to run next.

Registered by ``kata.plugin`` only when ``--kata-verify`` is not given.  The
koans are those of the path as shipped (``kata.state.progress``): a test the
learner added to a lesson file runs as a plain test.  Solved marks are written
as each koan passes (``kata.state.cache.merge``), only for ``koans/``; a run
over ``solutions/`` leaves them alone.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import sys
from collections.abc import Generator
from functools import cache as memoized
from pathlib import Path
from typing import Any

import pytest

from kata import layout
from kata.layout import HARDWARE_MARKERS, KOANS, SOLUTIONS
from kata.lessons.index import KoanRef
from kata.plugin import report as reports
from kata.plugin.classify import FAILURE, HARDWARE_SKIP, Classifier, props, skip_reason
from kata.state import cache, compat, hardware, marks, progress

STOP = "stopped at the first unsolved koan (pytest --keep-going runs on)"
# The packages the koans import (pyproject's dependencies besides pytest's own): a lesson
# that imports one this interpreter lacks is not collected, and one line says how to install it.
PACKAGES = ("torch", "numpy")
_IMPORTS_RE = re.compile(rf"^\s*(?:import|from)\s+({'|'.join(PACKAGES)})\b", re.MULTILINE)


@memoized
def package_missing(name: str) -> bool:
    if name in sys.modules:
        return False
    try:
        return importlib.util.find_spec(name) is None
    except (ImportError, ValueError):
        return True


def asked_for_benchmarks(config: pytest.Config) -> bool:
    """Whether the learner gave a pytest-benchmark option (``--benchmark-enable`` and the rest)."""
    args = [*config.invocation_params.args, *shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))]
    return any(str(a).startswith("--benchmark") for a in args)


class LearnerSession:
    """The hooks that need the learner's session state, in the order pytest calls them."""

    def __init__(self, config: pytest.Config, classifier: Classifier) -> None:
        self.config = config
        self.classifier = classifier
        self.root = classifier.root
        self.worker = classifier.worker
        self.session: pytest.Session | None = None
        self.xdist = False  # this process is an xdist controller: the workers run the koans
        self.pos: progress.Position | None = None  # the path, built at the first koan
        self.marks: cache.Marks = {}
        self.pending: dict[str, str] = {}  # koan id -> signature: its call passed, its teardown to come
        self.latest: str | None = None  # the chapter of the latest koan report
        self.unsolved: list[KoanRef] = []  # koans this run found unsolved
        self.broken: list[str] = []  # lesson files that did not import
        self.solutions_run = False
        self.benchmarks: set[str] = set()  # tests that use pytest-benchmark's fixture
        self.benchmarked = False  # one of them passed
        self.skipped: dict[str, int] = {}  # reason -> koans skipped for missing hardware
        self.missing_packages: dict[str, int] = {}  # package -> lesson files not collected for it
        # A syntax error in one lesson must not stop the other chapters.
        config.option.continue_on_collection_errors = True
        # pytest-benchmark's table and legend, on every run, bury the koan's report: timings
        # appear when the learner asks for them (--benchmark-enable, or any --benchmark option).
        self.benchmarks_off = not asked_for_benchmarks(config)
        if self.benchmarks_off:
            config.option.benchmark_disable = True
        # A koan that fails before it times anything is the learner's next step, not a misuse.
        config.addinivalue_line("filterwarnings", "ignore:Benchmark fixture was not used at all")

    @property
    def pytest_cache(self) -> cache.PytestCache | None:
        return getattr(self.config, "cache", None)

    def path(self) -> progress.Position:
        if self.pos is None:
            self.pos = progress.position(self.root, marks={}, missing_hw=({}, ""))
        return self.pos

    # -- collection ---------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session
        self.xdist = self.config.pluginmanager.has_plugin("dsession")
        if not self.worker:
            # Without pytest's cache (-p no:cacheprovider) the marks are read, never written.
            stored = self.pytest_cache.get(cache.SOLVED_KEY, {}) if self.pytest_cache is not None else None
            self.marks = cache.marks_of(stored) if stored is not None else cache.read_marks(self.root)
            note = compat.release_note()
            terminal = self.config.pluginmanager.get_plugin("terminalreporter")
            if note and terminal is not None:
                terminal.write_line(note, yellow=True)

    def pytest_ignore_collect(self, collection_path: Path) -> bool | None:
        # Without torch every lesson would fail to import, each with its own traceback.
        if collection_path.suffix != ".py" or not self.classifier.place(collection_path):
            return None
        try:
            imported = set(_IMPORTS_RE.findall(collection_path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            return None
        lacking = [p for p in PACKAGES if p in imported and package_missing(p)]
        for p in lacking:
            self.missing_packages[p] = self.missing_packages.get(p, 0) + 1
        return True if lacking else None

    def pytest_exception_interact(
        self,
        node: pytest.Item | pytest.Collector,
        call: pytest.CallInfo[Any],
        report: pytest.CollectReport | pytest.TestReport,
    ) -> None:
        # pytest hands over the exception of a lesson file that does not import.
        if (
            isinstance(node, pytest.Module)
            and isinstance(report, pytest.CollectReport)
            and report.failed
            and call.excinfo is not None
            and self.classifier.place(node.path)
        ):
            report.longrepr = reports.collect_error(node.path, call.excinfo.value)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and self.classifier.place(self.root / report.nodeid.split("::")[0]):
            self.broken.append(report.nodeid)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # Curriculum order even if a shuffling plugin ran before us.
        items.sort(key=self.curriculum_key)
        self.benchmarks = {i.nodeid for i in items if "benchmark" in getattr(i, "fixturenames", ())}

    def curriculum_key(self, item: pytest.Item) -> tuple[int, str, int, str]:
        """Koans first, by lesson file and then by line within it; other tests after them."""
        line = item.reportinfo()[1] or 0
        return (0 if self.classifier.place(item.path) else 1, str(item.path), line, item.nodeid)

    # -- which tests are koans ------------------------------------------------------------

    def koan(self, tree: str, chapter: str, file: str, name: str) -> KoanRef | None:
        """The koan of the path a test in a lesson file is; None for a test the learner added."""
        name = name.split("[")[0]
        pos = self.path()
        if tree == KOANS:
            return pos.koan(chapter, file, name)
        return next((r for r in pos.refs if (r.chapter, r.file, r.name) == (chapter, file, name)), None)

    # -- running ------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
        # tryfirst: the outermost wrapper, so the classifier has judged the failure when we resume.
        outcome = yield
        if outcome.exception is not None:
            return  # raised inside (a Ctrl-C): it goes on up; re-raising it here warns PluggyTeardownRaisedWarning
        rep: pytest.TestReport = outcome.get_result()
        failure = item.stash.get(FAILURE, None)
        if failure is not None:
            del item.stash[FAILURE]
        place = self.classifier.place(item.path)
        name = getattr(item, "originalname", item.name)
        ref = self.koan(place[0], place[1], item.path.name, name) if place else None
        if place is None or ref is None:
            return  # not a koan: pytest's own report
        if rep.skipped and item.stash.get(HARDWARE_SKIP, None) is None:
            added = self.added_skips(place[1], ref, item.path, name)
            if added:
                # The learner's own skip: not solved, and the run stops here as at a failure.
                rep.outcome = "failed"
                if hasattr(rep, "wasxfail"):
                    del rep.wasxfail  # an xfail is a skip here too, not pytest's "xfailed"
                rep.longrepr = reports.skipped_by_learner(item.path, added[0], None, name)
                rep.user_properties.append(("kata_verdict", "skipped"))
                return
        if failure is not None and rep.failed:
            rep.longrepr = reports.failure(
                failure.koan, failure.verdict, failure.excinfo, show_hint=self.config.getoption("hint")
            )
        if rep.when == "call" and rep.passed:
            rep.user_properties.append(("kata_sig", marks.file_signatures(item.path).get(name, "")))

    def added_skips(self, chapter: str, ref: KoanRef, path: Path, name: str) -> list[tuple[int, str]]:
        try:
            mine = path.read_text(encoding="utf-8")
            solution = (self.root / SOLUTIONS / chapter / ref.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return []
        return marks.added_skips(mine, solution, name)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        p = props(report)
        if self.worker or "kata_place" not in p:
            return
        tree, chapter = p["kata_place"]
        file, name = Path(report.fspath).name, report.nodeid.split("::")[-1]
        ref = self.koan(tree, chapter, file, name)
        if ref is None:
            return  # a test the learner added: no koan, no mark, no stop
        if tree != KOANS:
            self.solutions_run = True
            if report.failed:
                self.stop()
            return
        self.note_chapter(chapter)
        koan = progress.learner_id(ref, self.path().moved)
        reason = skip_reason(report)
        if reason and p.get("kata_hardware"):
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
        if report.failed:
            self.pending.pop(koan, None)
            self.update({}, {koan})
            self.unsolved.append(ref)
            self.stop()
        elif report.when == "call" and report.passed:
            self.pending[koan] = str(p.get("kata_sig", ""))
            self.benchmarked |= report.nodeid in self.benchmarks
        elif report.when == "teardown" and koan in self.pending:
            signature = self.pending.pop(koan)
            if self.marks.get(koan) != signature:
                self.update({koan: signature}, set())

    def update(self, passed: cache.Marks, dropped: set[str]) -> None:
        """Write marks as they change, so that a run killed midway keeps them."""
        if self.pytest_cache is None:
            self.marks = {k: v for k, v in {**self.marks, **passed}.items() if k not in dropped}
            return
        self.marks = cache.merge(self.pytest_cache, cache.plugin_lock(self.pytest_cache), passed, dropped)

    def note_chapter(self, chapter: str) -> None:
        if chapter != self.latest:
            self.latest = chapter
            if self.pytest_cache is not None:
                self.pytest_cache.set(cache.LATEST_KEY, {"chapter": chapter})

    def stop(self) -> None:
        # Under -n the workers run on whatever the controller says: every koan runs, and the
        # summary says so instead of claiming a stop.
        if self.config.getoption("keep_going") or self.xdist:
            return
        if self.session is not None and not self.session.shouldfail:
            self.session.shouldfail = STOP

    # -- the end ------------------------------------------------------------------------

    def hardware_here(self) -> tuple[dict[str, str], str]:
        """What this machine lacks: asked of torch when this run imported it (and recorded for
        ``kata progress``), else what an earlier run recorded or the build suggests."""
        if "torch" not in sys.modules:
            return hardware.status(self.root)
        missing = hardware.missing_hardware(list(HARDWARE_MARKERS))
        if self.pytest_cache is not None:
            self.pytest_cache.set(cache.HARDWARE_KEY, missing)
        return missing, "as this run found"

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        write = terminalreporter.write_line
        for package, n in sorted(self.missing_packages.items()):
            write(reports.missing_package(package, n), red=True)
        if self.solutions_run:
            write("kata: a run over solutions/ (the answers) shows and changes nothing of your progress")
        if self.latest is None:
            return
        pos = self.path()
        if self.pytest_cache is not None:
            with cache.locked(cache.plugin_lock(self.pytest_cache)):
                self.marks = cache.marks_of(self.pytest_cache.get(cache.SOLVED_KEY, {}))
        pos.marks = self.marks
        pos.missing_hw, pos.hw_source = self.hardware_here()
        pos.latest_chapter = self.latest
        write("")
        if self.benchmarked and self.benchmarks_off:
            write("benchmark timings are off in a learner's run; add --benchmark-enable to see them")
        if self.xdist:
            first = min(self.unsolved, key=pos.refs.index, default=None)
            shown = f"; first unsolved: {pos.where(first)}  {first.name}" if first else ""
            write(f"kata: with -n every selected koan runs (no stop at the first unsolved one){shown}")
        for line in progress.lines(pos.counts(), self.latest):
            write(line)
        for reason, n in sorted(self.skipped.items()):
            write(f"skipped {n} koan{'s' if n > 1 else ''} (not counted as solved): {reason}")
        if not self.unsolved and not self.broken and not self.missing_packages:
            write(next_chapter(pos))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.missing_packages and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED  # lessons did not run: not green


def next_chapter(pos: progress.Position) -> str:
    """After a green run: the chapter to run next, from the latest one on, or that the path is done."""
    ref = pos.current
    if ref is None:
        return "the whole path is done: every koan this machine can run is solved"
    return f"next: pytest {layout.lesson_rel(KOANS, ref.chapter)}"
