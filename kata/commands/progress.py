"""``kata progress``: the whole path as a table, and the next koan to work on.

By default it reads what the learner's latest pytest runs recorded in pytest's
cache (``.pytest_cache/v/kata/solved``), which costs no run at all; a koan
counts while the code that passed is still its code.  With
``--run`` it first runs every koan under pytest-xdist (the recorder plugin
writes each outcome) and records the results in that same cache, as the
learner's own runs would have.  The counts are ``kata.state.progress.count``'s,
the same counter as pytest's progress line.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TextIO

from kata.layout import KOANS
from kata.lessons.index import KoanRef
from kata.runs.child import run_pytest
from kata.runs.record import Record, fold
from kata.state import cache, progress
from kata.state.progress import ChapterCount


def table(rows: list[ChapterCount]) -> list[str]:
    width = max([len("the whole path"), *(len(r.chapter) for r in rows)])
    lines = [f"{'chapter':<{width}}  {'done':>5} {'total':>5} {'skipped':>7}"]
    for r in rows:
        lines.append(
            f"{r.chapter:<{width}}  {r.solved:>5} {r.total:>5} {r.skipped:>7}  {progress.bar(r.solved, r.reachable)}"
        )
    w = progress.total_of(rows)
    lines.append(
        f"{'the whole path':<{width}}  {w.solved:>5} {w.total:>5} {w.skipped:>7}  {progress.bar(w.solved, w.reachable)}"
    )
    return lines


def show(root: Path, source: str, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    pos = progress.position(root)
    rows = pos.counts()
    print(source, file=out)
    print("", file=out)
    for line in table(rows):
        print(line, file=out)
    whole = progress.total_of(rows)
    if whole.skipped:
        reasons = sorted(
            {
                pos.missing_hw[r.hardware]
                for r in pos.refs
                if r.hardware and not pos.is_solved(r) and not pos.runs_here(r)
            }
        )
        print(
            f"\nthis machine can run {whole.reachable} of the {whole.total} koans; "
            f"{progress.lacking_text(whole.lacking)} "
            f"({'; '.join(reasons)}; {pos.hw_source})",
            file=out,
        )
    nxt = pos.current
    print("", file=out)
    if nxt is None:
        print("next: nothing left to solve here; every koan this machine can run is solved", file=out)
    else:
        print(f"next: {pos.where(nxt)}  {nxt.name}{missing_note(root, pos, nxt)}", file=out)
    return 0


def missing_note(root: Path, pos: progress.Position, ref: KoanRef) -> str:
    if not pos.missing(ref):
        return ""
    if (root / ref.rel).is_file():
        return f"  (this koan is missing from your file: `kata reset {ref.rel}::{ref.name}` brings it back)"
    return f"  (the lesson file is missing: `kata reset {ref.rel}` brings it back)"


# -- --run: every koan, in parallel, recorded in the cache ----------------------------------


def record(root: Path, records: list[Record]) -> tuple[int, int]:
    """Fold a run's outcome records into the cache; (koans run, koans passed)."""
    pos = progress.position(root, marks={}, missing_hw=({}, ""))
    outcomes: dict[str, str] = {}
    hardware: dict[str, str] = {}
    for nodeid, o in fold(records).outcomes.items():
        if o.place is None or o.place[0] != KOANS or o.outcome == "missing":
            continue
        path, _, name = nodeid.partition("::")
        ref = pos.koan(o.place[1], Path(path).name, name.split("[")[0])
        if ref is None:
            continue  # a test the learner added to a lesson file: no koan
        outcomes[progress.learner_id(ref, pos.moved)] = o.outcome
        if o.hardware:
            if o.outcome == "skipped":
                hardware[o.hardware] = o.skip_reason or f"needs {o.hardware} hardware"
            else:
                hardware.setdefault(o.hardware, "")
    passed = {k: cache.signature_of(root, k) for k, o in outcomes.items() if o == "passed"}
    cache.merge(cache.DirCache(root), cache.lock_path(root), passed, set(outcomes) - set(passed))
    if hardware:
        known = cache.read_value(root, cache.HARDWARE_KEY)
        known = known if isinstance(known, dict) else {}
        cache.write_value(root, cache.HARDWARE_KEY, {**known, **hardware})
    return len(outcomes), len(passed)


def run_all(root: Path, workers: str = "auto", out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    started = time.monotonic()
    print(f"kata progress: running every koan (pytest-xdist, {workers} workers)...", file=out, flush=True)
    run = run_pytest(root, [KOANS], workers, extra=["--keep-going"])
    for stopped in run.stopped:  # an answer that held its interpreter: ended with its process, and the run there
        print(f"kata progress: {stopped.message}\n  (the run stopped there: the koans after it did not run)", file=out)
    if run.broke:
        print(f"kata progress: pytest exited with code {run.returncode}; its output ends:", file=out)
        print("\n".join("  " + line for line in run.output_tail.splitlines()[-30:]), file=out)
        return 2
    ran, passed = record(root, run.records)
    code = show(
        root,
        f"kata progress: from a run of every koan just now ({ran} koans ran, {passed} passed, "
        f"{time.monotonic() - started:.0f} s); the results are recorded in pytest's cache",
        out,
    )
    broken = sorted({r.nodeid for r in fold(run.records).loose if r.outcome == "failed"})
    if broken:
        print(
            f"\n{len(broken)} lesson file(s) did not import, so their koans did not run (`pytest FILE` shows why):",
            file=out,
        )
        for nodeid in broken:
            print(f"  {nodeid}", file=out)
    return code


def main(root: Path, run: bool, workers: str, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    if run:
        return run_all(root, workers, out)
    where = os.path.relpath(cache.value_path(root, cache.SOLVED_KEY))
    return show(
        root,
        f"kata progress: from the results your latest pytest runs recorded ({where}); "
        "`kata progress --run` runs every koan first",
        out,
    )
