"""The outcome record: what the recorder plugin writes for each report, and its one fold.

One JSON line per pytest report (setup, call, teardown) and per collection
error.  ``fold`` turns a run's records into one ``Outcome`` per test id, with
one rule (a failure in any phase wins; a skip counts when nothing failed; a
pass is a passed call) that ``verify``, ``mutants`` and ``kata progress --run``
share.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MESSAGE_LIMIT = 3000  # the end of a long report is where the error is


@dataclass(frozen=True)
class Record:
    nodeid: str
    when: str  # setup | call | teardown | collect
    outcome: str  # passed | failed | skipped
    place: tuple[str, str] | None = None  # (tree, chapter) of a koan; None for other tests
    hardware: str | None = None  # the koan's hardware marker
    verdict: str | None = None  # a failed koan's: "blank" or "wrong"
    skip_reason: str = ""
    message: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, line: str) -> Record:
        data: dict[str, Any] = json.loads(line)
        place = data.get("place")
        return cls(
            nodeid=data["nodeid"],
            when=data["when"],
            outcome=data["outcome"],
            place=(place[0], place[1]) if place else None,
            hardware=data.get("hardware"),
            verdict=data.get("verdict"),
            skip_reason=data.get("skip_reason") or "",
            message=data.get("message") or "",
        )


def write(path: Path | str, records: list[Record]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(r.to_json() + "\n" for r in records)


def read(path: Path) -> list[Record]:
    if not path.exists():
        return []
    return [Record.from_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class Outcome:
    outcome: str = "missing"  # passed | failed | skipped | missing
    verdict: str | None = None  # "blank", "wrong", or "error in setup" / "error in teardown"
    hardware: str | None = None
    skip_reason: str = ""
    message: str = ""
    place: tuple[str, str] | None = None


@dataclass
class Folded:
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # test id -> its outcome
    loose: list[Record] = field(default_factory=list)  # collection errors, which belong to no test


def fold(records: list[Record]) -> Folded:
    """One Outcome per test id from its setup/call/teardown reports; collection errors apart."""
    folded = Folded()
    for r in records:
        if r.when == "collect":
            folded.loose.append(r)
            continue
        o = folded.outcomes.setdefault(r.nodeid, Outcome())
        o.hardware = o.hardware or r.hardware
        o.place = o.place or r.place
        if r.outcome == "failed":
            if o.outcome != "failed":
                o.outcome, o.message = "failed", r.message
            o.verdict = o.verdict or r.verdict
            if r.when != "call":
                o.verdict = "error in " + r.when
        elif r.outcome == "skipped" and o.outcome == "missing":
            o.outcome, o.skip_reason = "skipped", r.skip_reason
        elif r.outcome == "passed" and r.when == "call" and o.outcome == "missing":
            o.outcome = "passed"
    return folded
