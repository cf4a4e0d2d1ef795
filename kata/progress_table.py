"""``kata progress``: the whole path as a table, and the next koan to work on.

By default it reads what the learner's latest pytest runs recorded in pytest's
cache (``.pytest_cache/v/kata/solved``), which costs no run at all.  With
``--run`` it first runs every koan under pytest-xdist (the plugin's
``--kata-verify`` mode writes each outcome as a JSON line) and records the
results in that same cache, as the learner's own runs would have.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kata import finder, progress, runner
from kata.finder import KoanRef


@dataclass
class Row:
    chapter: str
    done: int = 0
    total: int = 0
    skipped: int = 0


def rows(refs: list[KoanRef], solved: set[str], missing_hw: dict[str, str]) -> list[Row]:
    out: dict[str, Row] = {}
    for r in refs:
        row = out.setdefault(r.chapter, Row(r.chapter))
        row.total += 1
        if r.id in solved:
            row.done += 1
        elif finder.skipped_here(r, missing_hw):
            row.skipped += 1
    return list(out.values())


def table(rows_: list[Row]) -> list[str]:
    width = max([len("the whole path"), *(len(r.chapter) for r in rows_)])
    lines = [f"{'chapter':<{width}}  {'done':>5} {'total':>5} {'skipped':>7}"]
    for r in rows_:
        lines.append(f"{r.chapter:<{width}}  {r.done:>5} {r.total:>5} {r.skipped:>7}  {progress.bar(r.done, r.total)}")
    done, total, skipped = (sum(getattr(r, a) for r in rows_) for a in ("done", "total", "skipped"))
    lines.append(f"{'the whole path':<{width}}  {done:>5} {total:>5} {skipped:>7}  {progress.bar(done, total)}")
    return lines


def show(root: Path, source: str, out=None) -> int:
    out = out if out is not None else sys.stdout
    refs = finder.index(root)
    solved = progress.read_solved(root)
    missing_hw, hw_source = finder.hardware_status(root)
    rows_ = rows(refs, solved, missing_hw)
    print(source, file=out)
    print("", file=out)
    for line in table(rows_):
        print(line, file=out)
    skipped = sum(r.skipped for r in rows_)
    if skipped:
        reasons = sorted({missing_hw[r.hardware] for r in refs
                          if r.id not in solved and finder.skipped_here(r, missing_hw)})
        print(f"\nskipped: {skipped} koans need hardware this machine lacks ({'; '.join(reasons)}; "
              f"{hw_source})", file=out)
    nxt = finder.current(refs, solved, missing_hw)
    print("", file=out)
    if nxt is None:
        print("next: nothing left to solve here; every koan this machine can run is solved", file=out)
    else:
        note = "  (the lesson file is missing: `kata reset` brings it back)" if nxt.missing else ""
        print(f"next: {nxt.where}  {nxt.name}{note}", file=out)
    return 0


# -- --run: every koan, in parallel, recorded in the cache ----------------------------------

def record(root: Path, records: list[dict]) -> tuple[int, int]:
    """Fold a run's outcome records into the cache; (koans run, koans passed)."""
    outcomes: dict[str, str] = {}
    hardware: dict[str, str] = {}
    for r in records:
        if r.get("when") == "collect" or not r.get("place") or r["place"][0] != "koans":
            continue
        _, chapter = r["place"]
        path, _, name = r["nodeid"].partition("::")
        kid = progress.koan_id("koans", chapter, Path(path).name, name)
        before = outcomes.get(kid)
        if r["outcome"] == "failed":
            outcomes[kid] = "failed"
        elif r["outcome"] == "skipped" and before is None:
            outcomes[kid] = "skipped"
        elif r["outcome"] == "passed" and r["when"] == "call" and before is None:
            outcomes[kid] = "passed"
        if r.get("hardware"):
            if r["outcome"] == "skipped":
                hardware[r["hardware"]] = r.get("skip_reason") or f"needs {r['hardware']} hardware"
            else:
                hardware.setdefault(r["hardware"], "")
    solved = progress.read_solved(root)
    solved -= set(outcomes)
    solved |= {k for k, o in outcomes.items() if o == "passed"}
    progress.write_solved(root, solved)
    if hardware:
        known = progress.read_value(root, progress.HARDWARE_KEY)
        known = known if isinstance(known, dict) else {}
        progress.write_value(root, progress.HARDWARE_KEY, {**known, **hardware})
    return len(outcomes), sum(o == "passed" for o in outcomes.values())


def run_all(root: Path, workers: str = "auto", out=None) -> int:
    out = out if out is not None else sys.stdout
    started = time.monotonic()
    print(f"kata progress: running every koan (pytest-xdist, {workers} workers)...", file=out, flush=True)
    run = runner.run_pytest(root, ["koans"], workers, extra=["--keep-going"])
    if run.broke:
        print(f"kata progress: pytest exited with code {run.returncode}; its output ends:", file=out)
        print("\n".join("  " + line for line in run.output_tail.splitlines()[-30:]), file=out)
        return 2
    records = run.records
    ran, passed = record(root, records)
    code = show(root, f"kata progress: from a run of every koan just now ({ran} koans ran, {passed} passed, "
                      f"{time.monotonic() - started:.0f} s); the results are recorded in pytest's cache", out)
    broken = sorted({r["nodeid"] for r in records if r.get("when") == "collect" and r.get("outcome") == "failed"})
    if broken:
        print(f"\n{len(broken)} lesson file(s) did not import, so their koans did not run "
              "(`pytest FILE` shows why):", file=out)
        for nodeid in broken:
            print(f"  {nodeid}", file=out)
    return code


def main(root: Path, run: bool, workers: str, out=None) -> int:
    out = out if out is not None else sys.stdout
    if run:
        return run_all(root, workers, out)
    where = os.path.relpath(progress.cache_value_path(root, progress.CACHE_KEY))
    return show(root, f"kata progress: from the results your latest pytest runs recorded ({where}); "
                      "`kata progress --run` runs every koan first", out)
