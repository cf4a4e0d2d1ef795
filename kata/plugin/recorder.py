"""The outcome recorder (plugin mode "verify", ``--kata-verify=FILE``): run everything and
write one ``kata.runs.record.Record`` per report to FILE.

Registered by ``kata.plugin`` only in that mode.  Under pytest-xdist it writes
in the controller, from the reports the workers send back.
"""

from __future__ import annotations

import pytest

from kata.plugin.classify import Classifier, props, skip_reason
from kata.runs.record import MESSAGE_LIMIT, Record, write


class Recorder:
    def __init__(self, config: pytest.Config, classifier: Classifier, path: str) -> None:
        self.path = path
        self.worker = classifier.worker
        self.records: list[Record] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.worker:
            return
        p = props(report)
        place = p.get("kata_place")
        self.records.append(
            Record(
                nodeid=report.nodeid,
                when=report.when,
                outcome=report.outcome,
                place=(place[0], place[1]) if place else None,
                hardware=p.get("kata_hardware"),
                verdict=p.get("kata_verdict"),
                skip_reason=skip_reason(report),
                message="" if report.passed or report.skipped else str(report.longrepr)[-MESSAGE_LIMIT:],
            )
        )

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and not self.worker:
            self.records.append(
                Record(report.nodeid, "collect", "failed", message=str(report.longrepr)[-MESSAGE_LIMIT:])
            )

    def pytest_sessionfinish(self) -> None:
        if not self.worker:
            write(self.path, self.records)
