"""``python -m kata verify``: the proof that the kata is honest.

It fails, naming the koan and the reason, unless
1. the kit's own tests (``tests/``) pass;
2. every solution passes, under pytest-xdist with pytest-randomly shuffling;
3. every koan, as shipped, fails, and fails at a blank;
   and with a literal answer nudged (3 -> 4, True -> False: ``kata.mutants``) fails too;
4-5. the static rules of ``kata.static`` hold.
6. Koans skipped for missing hardware are listed as unverified, never passed.

Checks 1-3 run in one pytest session (one torch import per xdist worker); the
plugin writes each outcome as a JSON line, and this module judges them.  Every
koan runs under the per-koan time limit (``kata.plugin.timeout``, the ini
setting ``kata_timeout``): one that does not finish is named, with its line.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kata import layout
from kata.dev import static, teaching
from kata.dev.static import Problem
from kata.layout import KOANS, SOLUTIONS, TREES
from kata.lessons import parse
from kata.runs.child import run_pytest
from kata.runs.record import Outcome, Record, fold


@dataclass
class Judgement:
    problems: list[Problem] = field(default_factory=list)
    passed: int = 0
    unverified: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # reason -> koan ids


def expected_koans(root: Path, chapters: list[str]) -> list[tuple[str, str, str]]:
    """(chapter, file, koan) for every koan of the chosen chapters, in path order."""
    out: list[tuple[str, str, str]] = []
    for chapter in chapters:
        for f in layout.lesson_files(root / KOANS / chapter):
            try:
                names = [k.name for k in parse(f).koans]
            except SyntaxError:
                continue
            out.extend((chapter, f.name, n) for n in names)
    return out


def judge(
    expected: list[tuple[str, str, str]], outcomes: dict[str, Outcome], loose: list[Record], kit_ids: list[str]
) -> Judgement:
    j = Judgement()
    for r in loose:
        j.problems.append(Problem(r.nodeid or "collection", "could not be collected:\n" + _indent(r.message)))
    for nodeid in kit_ids:
        o = outcomes[nodeid]
        if o.outcome == "failed":
            j.problems.append(Problem(nodeid, "kit test failed:\n" + _indent(o.message)))
    for chapter, file, name in expected:
        kid = layout.koan_id(KOANS, chapter, file, name)
        sid = layout.koan_id(SOLUTIONS, chapter, file, name)
        k, s = outcomes.get(kid, Outcome()), outcomes.get(sid, Outcome())
        hardware_skip = [o for o in (k, s) if o.outcome == "skipped" and o.hardware]
        if hardware_skip:
            j.unverified[hardware_skip[0].skip_reason].append(kid)
            continue
        ok = True
        if s.outcome != "passed":
            ok = False
            j.problems.append(Problem(sid, _solution_problem(s)))
        if not (k.outcome == "failed" and k.verdict == "blank"):
            ok = False
            j.problems.append(Problem(kid, _koan_problem(k)))
        j.passed += ok
    return j


_STOPPED = re.compile(r"did not finish in (?P<limit>\S+) s(?:; stopped at:\n\s+(?P<where>\S+:\d+):)?")


def _stopped(o: Outcome) -> str:
    """ "did not finish in N s, stopped at FILE:LINE" from a timed-out koan's report (``kata.plugin.timeout``)."""
    m = _STOPPED.search(o.message)
    if m is None:
        return "did not finish in time"
    return f"did not finish in {m['limit']} s" + (f", stopped at {m['where']}" if m["where"] else "")


def _solution_problem(o: Outcome) -> str:
    if o.verdict == "timeout":
        return "solution " + _stopped(o)
    if o.outcome == "missing":
        return "solution did not run (collection error?)"
    if o.outcome == "skipped":
        return f"solution was skipped ({o.skip_reason}), not for missing hardware"
    return "solution fails:\n" + _indent(o.message)


def _koan_problem(o: Outcome) -> str:
    if o.verdict == "timeout":
        return "koan " + _stopped(o)
    if o.outcome == "missing":
        return "koan did not run (collection error?)"
    if o.outcome == "passed":
        return "koan passes as shipped: its blank does not decide the result"
    if o.outcome == "skipped":
        return f"koan was skipped ({o.skip_reason}), not for missing hardware"
    if o.verdict and o.verdict.startswith("error in"):
        return f"koan fails with an {o.verdict}, not at a blank:\n" + _indent(o.message)
    return "koan fails, but not because of a blank:\n" + _indent(o.message)


def _indent(text: str, limit: int = 25) -> str:
    lines = text.rstrip().splitlines()
    if len(lines) > limit:
        lines = ["...", *lines[-limit:]]
    return "\n".join("      " + line for line in lines)


def run(
    root: Path,
    chapters: list[str] | None = None,
    static_only: bool = False,
    workers: str = "auto",
    seed: int | None = None,
    mutate: bool = True,
    out: TextIO = sys.stdout,
) -> int:
    started = time.monotonic()

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    result = static.check(root, chapters)
    # The teaching lint is a file rule too: a koan must not hand its answer over.
    taught = teaching.lint(root, result.chapters)
    result.problems += [
        Problem(g.koan_id, f"gives its answer away: {g.answer} is in {g.where}") for g in taught.give_aways
    ]
    result.problems += [
        Problem(
            f"{file}:{line}",
            "pytest.raises/warns(..., match=__) passes with any message: "
            "use `from kata import raises` (or warns), which refuses that",
        )
        for file, line in teaching.loose_message_blanks(root, result.chapters)
    ]
    result.problems += [
        Problem(k, "on the teaching exception list but not flagged, or without a reason: remove it")
        for k in taught.stale
    ]
    say(
        f"verify: static checks on {result.koans} koans in {len(result.chapters)} chapters: "
        f"{'ok' if not result.problems else f'{len(result.problems)} problem(s)'}"
    )
    for p in result.problems:
        say(f"  {p}")
    if static_only:
        say(
            f"verify --static: {result.koans} koans, {len(result.chapters)} chapters, {len(result.problems)} problem(s)"
        )
        return 1 if result.problems else 0

    seed = seed if seed is not None else random.randrange(1, 2**31)
    targets = ([] if chapters else ["tests"]) + [layout.lesson_rel(tree, c) for tree in TREES for c in result.chapters]
    say(
        f"verify: running {'the kit tests, ' if not chapters else ''}solutions and koans under pytest "
        f"(pytest-randomly seed {seed}; repeat with --seed {seed})"
    )
    run = run_pytest(
        root,
        targets,
        workers,
        extra=["-p", "randomly", f"--randomly-seed={seed}", "-p", "unraisableexception", "--tb=short"],
    )
    if run.stopped:
        # Its answer held the interpreter: the watchdog ended its process, and with it the run.
        for nodeid, o in fold(run.stopped).outcomes.items():
            what = _solution_problem(o) if nodeid.startswith(SOLUTIONS + "/") else _koan_problem(o)
            say(f"  {Problem(nodeid, what)}")
        say(
            f"verify: FAILED in {time.monotonic() - started:.0f} s: the run stopped at {len(run.stopped)} koan(s) "
            "that held their interpreter (each was ended with its pytest process); the koans after them did not run"
        )
        return 1
    if run.broke:
        say(f"verify: pytest exited with code {run.returncode}; its output ends:")
        say(_indent(run.output_tail, 40))
        return 2
    folded = fold(run.records)
    outcomes, loose = folded.outcomes, folded.loose
    kit_ids = [n for n in outcomes if n.startswith("tests/")]
    expected = expected_koans(root, result.chapters)
    j = judge(expected, outcomes, loose, kit_ids)
    problems = result.problems + j.problems
    for p in j.problems:
        say(f"  {p}")
    kit = Counter(outcomes[n].outcome for n in kit_ids)
    if kit_ids:
        say(f"verify: kit tests: {kit['passed']} passed, {kit['failed']} failed, {kit['skipped']} skipped")
    if mutate and not problems:
        from kata.dev import mutants

        m = mutants.check(root, result.chapters, workers)
        if m.broken:
            problems.append(Problem("mutants", "pytest broke:\n" + _indent(m.broken)))
        for mutant in m.survivors:
            problems.append(Problem(mutant.id, f"a wrong answer passes: {mutants.describe(mutant)}"))
            say(f"  {problems[-1]}")
        say(
            f"verify: wrong answers (an answer nudged: 3->4, True->False, another dtype or exception class): "
            f"{m.killed} failed their koans, {len(m.survivors)} passed, {m.unverified} unverified"
        )
    unverified = sum(len(v) for v in j.unverified.values())
    if unverified:
        say("verify: unverified on this machine (skipped for missing hardware, not counted as passed):")
        for reason, ids in sorted(j.unverified.items()):
            by_chapter = Counter(i.split("/")[1] for i in ids)
            say(f"  {reason}: " + ", ".join(f"{c} ({n})" for c, n in sorted(by_chapter.items())))
    say(
        f"verify: {'FAILED' if problems else 'OK'} in {time.monotonic() - started:.0f} s: "
        f"{len(expected)} koans, {len(result.chapters)} chapters, {j.passed} passed, "
        f"{unverified} unverified, {len(problems)} problem(s)"
    )
    return 1 if problems else 0
