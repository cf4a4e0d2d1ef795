"""What both modes of the plugin agree on: which tests are koans, the hardware they need,
and why a failed koan failed.

For each koan report it adds ``user_properties`` (they travel from pytest-xdist's
workers to the controller): ``kata_place`` (tree, chapter), ``kata_hardware``
(the marker) and, for a failure, ``kata_verdict`` ("blank" or "wrong").  The
learner's plugin finds the failure's verdict and koan in the item's stash.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kata import layout
from kata.layout import HARDWARE_MARKERS
from kata.lessons import Koan, parse_cached
from kata.plugin.verdict import Verdict, judge
from kata.state.hardware import missing_hardware


@dataclass
class Failure:
    """A koan's failure, as judged: for the learner's short report."""

    koan: Koan
    verdict: Verdict
    excinfo: pytest.ExceptionInfo[BaseException]


FAILURE = pytest.StashKey[Failure]()
# Why this item is skipped for missing hardware (set where the classifier adds that skip): a skip
# without it is the koan's own doing.
HARDWARE_SKIP = pytest.StashKey[str]()


def props(report: pytest.TestReport) -> dict[str, Any]:
    return dict(report.user_properties)


def skip_reason(report: pytest.TestReport) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return ""


class Classifier:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.root = Path(str(config.rootpath)).resolve()
        self.worker = hasattr(config, "workerinput")  # an xdist worker: the controller reports

    def place(self, path: Path | str) -> tuple[str, str] | None:
        return layout.place(path, self.root)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        in_use = [m for m in HARDWARE_MARKERS if any(i.get_closest_marker(m) for i in items)]
        missing = missing_hardware(in_use)
        xdist = self.config.pluginmanager.hasplugin("xdist")
        for item in items:
            for marker in ("cuda", "compiler", "multiprocess"):
                if missing.get(marker) and item.get_closest_marker(marker):
                    item.add_marker(pytest.mark.skip(reason=missing[marker]))
                    item.stash[HARDWARE_SKIP] = missing[marker]
            if xdist and item.get_closest_marker("multiprocess"):
                # one xdist worker holds the process group for all of them
                item.add_marker(pytest.mark.xdist_group("multiprocess"))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
        outcome = yield
        if outcome.exception is not None:
            return  # raised inside (a Ctrl-C): it goes on up; re-raising it here warns PluggyTeardownRaisedWarning
        rep: pytest.TestReport = outcome.get_result()
        place = self.place(item.path)
        if not place:
            return
        rep.user_properties.append(("kata_place", place))
        hardware = next((m for m in HARDWARE_MARKERS if item.get_closest_marker(m)), None)
        if hardware:
            rep.user_properties.append(("kata_hardware", hardware))
        if not rep.failed or call.excinfo is None:
            return
        koan = parse_cached(item.path).koan(getattr(item, "originalname", item.name))
        if koan is None:
            return
        verdict = judge(koan, call.excinfo.value)
        rep.user_properties.append(("kata_verdict", verdict.kind))
        item.stash[FAILURE] = Failure(koan, verdict, call.excinfo)
