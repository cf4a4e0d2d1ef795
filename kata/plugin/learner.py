"""The learner's session (plugin mode "learn"): curriculum order, stop at the first
unsolved koan, short reports, and the progress line.

Registered by ``kata.plugin`` only when ``--kata-verify`` is not given.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from kata import layout
from kata.lessons.index import index
from kata.plugin import report as reports
from kata.plugin.classify import FAILURE, Classifier, props, skip_reason
from kata.state import cache, compat, progress


class LearnerSession:
    """The hooks that need the learner's session state, in the order pytest calls them."""

    def __init__(self, config: pytest.Config, classifier: Classifier) -> None:
        self.config = config
        self.classifier = classifier
        self.root = classifier.root
        self.worker = classifier.worker
        self.session: pytest.Session | None = None
        self.solved: set[str] = set()
        self.last_chapter: tuple[str, str] | None = None
        self.skipped: dict[str, int] = {}  # reason -> koans skipped for missing hardware
        # A syntax error in one lesson must not stop the other chapters.
        config.option.continue_on_collection_errors = True

    # -- collection ---------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session
        if not self.worker:
            self.solved = cache.load(getattr(self.config, "cache", None))
            note = compat.release_note()
            terminal = self.config.pluginmanager.get_plugin("terminalreporter")
            if note and terminal is not None:
                terminal.write_line(note, yellow=True)

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

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # Curriculum order even if a shuffling plugin ran before us.
        items.sort(key=self.curriculum_key)

    def curriculum_key(self, item: pytest.Item) -> tuple[int, str, int, str]:
        """Koans first, by lesson file and then by line within it; other tests after them."""
        line = item.reportinfo()[1] or 0
        return (0 if self.classifier.place(item.path) else 1, str(item.path), line, item.nodeid)

    # -- running ------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item) -> Generator[None, Any, None]:
        # tryfirst: the outermost wrapper, so the classifier has judged the failure when we resume.
        outcome = yield
        rep: pytest.TestReport = outcome.get_result()
        failure = item.stash.get(FAILURE, None)
        if failure is None:
            return
        del item.stash[FAILURE]
        if rep.failed:
            rep.longrepr = reports.failure(
                failure.koan, failure.verdict, failure.excinfo, show_hint=self.config.getoption("hint")
            )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        p = props(report)
        if self.worker or "kata_place" not in p:
            return
        tree, chapter = p["kata_place"]
        self.last_chapter = (tree, chapter)
        reason = skip_reason(report)
        if reason and p.get("kata_hardware"):
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
        koan = layout.koan_id(tree, chapter, Path(report.fspath).name, report.nodeid.split("::")[-1])
        if report.when == "call" and report.passed:
            self.solved.add(koan)
        elif report.failed:
            self.solved.discard(koan)
            if not self.config.getoption("keep_going") and self.session and not self.session.shouldfail:
                self.session.shouldfail = "stopped at the first unsolved koan (pytest --keep-going runs on)"

    # -- the end ------------------------------------------------------------------------

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.last_chapter is None:
            return
        tree, chapter = self.last_chapter
        counts = progress.count(index(self.root), self.solved, tree=tree)
        terminalreporter.write_line("")
        for line in progress.lines(counts, chapter):
            terminalreporter.write_line(line)
        for reason, n in sorted(self.skipped.items()):
            terminalreporter.write_line(f"skipped {n} koan{'s' if n > 1 else ''} (not counted as solved): {reason}")

    def pytest_sessionfinish(self) -> None:
        if not self.worker:
            cache.store(getattr(self.config, "cache", None), self.solved)
