"""The kata's pytest plugin, registered by the root ``conftest.py``.

Two modes share every hook, so that the learner's run and the maintainers'
check agree on what "solved" means:

- learn (default): koans in curriculum order, stop at the first unsolved
  koan, a short report (lesson, blank ``file:line``, or the assertion diff),
  then a progress line.
- verify (``--kata-verify=FILE``, used by ``python -m kata verify``): run
  everything, write one JSON line per koan outcome to FILE.

A koan item is a test in ``koans/NN_chapter/`` or ``solutions/NN_chapter/``;
every other test (the kit's own) passes through untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kata import lessons, progress, report
from kata.verdict import judge

HARDWARE_MARKERS = ("cuda", "multiprocess", "compiler")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kata", "PyTorch koans")
    group.addoption(
        "--hint", action="store_true", default=False,
        help="show the hint of the koan you are stuck on (never its answer)",
    )
    group.addoption(
        "--keep-going", action="store_true", default=False,
        help="run every selected koan instead of stopping at the first unsolved one",
    )
    group.addoption(
        "--kata-verify", metavar="FILE", default=None,
        help="for maintainers: run every koan and write each outcome as a JSON line "
             "to FILE (what `python -m kata verify` does)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Kata(config), "kata-session")


class Kata:
    """The hooks that need the session's state, in the order pytest calls them."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.root = Path(str(config.rootpath)).resolve()
        self.verify_file = config.getoption("kata_verify")
        self.worker = hasattr(config, "workerinput")  # an xdist worker: the controller reports
        self.session: pytest.Session | None = None
        self.records: list[dict] = []
        self.solved: set[str] = set()
        self.last_chapter: tuple[str, str] | None = None
        self.skipped: dict[str, int] = {}  # reason -> koans skipped for missing hardware
        if not self.verify_file:
            # A syntax error in one lesson must not stop the other chapters.
            config.option.continue_on_collection_errors = True

    def place(self, path) -> tuple[str, str] | None:
        return lessons.is_chapter_file(Path(path), self.root)

    # -- collection ---------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session
        if not self.verify_file and not self.worker:
            self.solved = progress.load(getattr(self.config, "cache", None))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector):
        outcome = yield
        rep = outcome.get_result()
        if (rep.failed and isinstance(collector, pytest.Module) and not self.verify_file
                and self.place(collector.path)):
            rep.longrepr = report.collect_error(collector.path, str(rep.longrepr))

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if not self.verify_file:
            # Curriculum order even if a shuffling plugin ran before us.
            items.sort(key=self._curriculum_key)
        in_use = [m for m in HARDWARE_MARKERS if any(i.get_closest_marker(m) for i in items)]
        missing = missing_hardware(in_use)
        xdist = self.config.pluginmanager.hasplugin("xdist")
        for item in items:
            for marker in ("cuda", "compiler"):
                if missing.get(marker) and item.get_closest_marker(marker):
                    item.add_marker(pytest.mark.skip(reason=missing[marker]))
            if item.get_closest_marker("multiprocess"):
                if missing.get("multiprocess"):
                    item.add_marker(pytest.mark.skip(reason=missing["multiprocess"]))
                if xdist:  # one xdist worker holds the process group for all of them
                    item.add_marker(pytest.mark.xdist_group("multiprocess"))

    def _curriculum_key(self, item: pytest.Item):
        line = item.reportinfo()[1] or 0
        return (0 if self.place(item.path) else 1, str(item.path), line, item.nodeid)

    # -- running ------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        rep = outcome.get_result()
        place = self.place(item.path)
        if not place:
            return
        rep.user_properties.append(("kata_place", place))
        hardware = next((m for m in HARDWARE_MARKERS if item.get_closest_marker(m)), None)
        if hardware:
            rep.user_properties.append(("kata_hardware", hardware))
        if not rep.failed or call.excinfo is None:
            return
        koan = lessons.parse_cached(item.path).koan(getattr(item, "originalname", item.name))
        if koan is None:
            return
        verdict = judge(koan, call.excinfo.value)
        rep.user_properties.append(("kata_verdict", verdict.kind))
        if not self.verify_file:
            rep.longrepr = report.failure(koan, verdict, call.excinfo,
                                          show_hint=self.config.getoption("hint"))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        if self.worker:
            return
        if self.verify_file:
            self.records.append(outcome_record(report, props))
            return
        if "kata_place" not in props:
            return
        tree, chapter = props["kata_place"]
        self.last_chapter = (tree, chapter)
        if report.skipped and props.get("kata_hardware") and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
        koan = progress.koan_id(tree, chapter, Path(report.fspath).name, report.nodeid.split("::")[-1])
        if report.when == "call" and report.passed:
            self.solved.add(koan)
        elif report.failed:
            self.solved.discard(koan)
            if not self.config.getoption("keep_going") and self.session and not self.session.shouldfail:
                self.session.shouldfail = "stopped at the first unsolved koan (pytest --keep-going runs on)"

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if self.verify_file and report.failed and not self.worker:
            self.records.append({"nodeid": report.nodeid, "when": "collect", "outcome": "failed",
                                 "message": str(report.longrepr)[-3000:]})

    # -- the end ------------------------------------------------------------------------

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.verify_file or self.last_chapter is None:
            return
        tree, chapter = self.last_chapter
        counts = progress.count(self.root, tree, self.solved)
        terminalreporter.write_line("")
        for line in progress.lines(counts, chapter):
            terminalreporter.write_line(line)
        for reason, n in sorted(self.skipped.items()):
            terminalreporter.write_line(f"skipped {n} koan{'s' if n > 1 else ''} (not counted as solved): {reason}")

    def pytest_sessionfinish(self) -> None:
        if self.worker:
            return
        if self.verify_file:
            with open(self.verify_file, "w", encoding="utf-8") as f:
                f.writelines(json.dumps(r) + "\n" for r in self.records)
        else:
            progress.store(getattr(self.config, "cache", None), self.solved)


def outcome_record(report: pytest.TestReport, props: dict) -> dict:
    skip_reason = ""
    if report.skipped and isinstance(report.longrepr, tuple):
        skip_reason = str(report.longrepr[2]).removeprefix("Skipped: ")
    return {
        "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome,
        "place": list(props["kata_place"]) if "kata_place" in props else None, "hardware": props.get("kata_hardware"),
        "verdict": props.get("kata_verdict"), "skip_reason": skip_reason,
        "message": "" if report.passed or report.skipped else str(report.longrepr)[-3000:],
    }


def missing_hardware(markers: list[str]) -> dict[str, str]:
    """For each hardware marker in use, why it cannot run here ("" when it can)."""
    reasons: dict[str, str] = {}
    if "cuda" in markers:
        import torch

        reasons["cuda"] = "" if torch.cuda.is_available() else (
            f"needs a CUDA GPU: torch.cuda.is_available() is False (torch {torch.__version__})")
    if "multiprocess" in markers:
        import torch.distributed as dist

        if not dist.is_available():
            reasons["multiprocess"] = "needs torch.distributed, which this torch build lacks"
        elif not dist.is_gloo_available():
            reasons["multiprocess"] = "needs the gloo backend of torch.distributed, missing from this torch build"
        else:
            reasons["multiprocess"] = ""
    if "compiler" in markers:
        compiler = cxx_compiler()
        reasons["compiler"] = "" if compiler else (
            "needs a C++ compiler (g++, clang++ or $CXX), which this machine lacks")
    return reasons


def cxx_compiler() -> str | None:
    """The C++ compiler torch's cpp_extension and Inductor would call, if one is on PATH."""
    import os
    import shutil

    return next((shutil.which(c) for c in (os.environ.get("CXX", ""), "g++", "c++", "clang++")
                 if c and shutil.which(c)), None)
