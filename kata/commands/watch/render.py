"""What the learner sees after each run of ``kata watch``, and while a long one goes on."""

from __future__ import annotations

import re
from pathlib import Path

from kata.commands.watch.forkserver import Result
from kata.lessons.index import index
from kata.state import cache, progress

# How a koan ended by the time limit reads: the kata's own report ("... did not finish
# in 5 s") or pytest-timeout's ("Timeout (>5.0s) from pytest-timeout", or, for its thread
# method, the "+++ Timeout +++" banner before it ends the run).
_LIMIT_RES = (
    re.compile(r"did not finish in (\d+(?:\.\d+)?) ?s\b"),
    re.compile(r"Timeout \(>(\d+(?:\.\d+)?)s\) from pytest-timeout"),
    re.compile(r"^\++ Timeout \++$()", re.MULTILINE),
)


def _time_limit(text: str) -> str | None:
    """The limit a report says ended a koan ("" when it does not say how long); None if it says none."""
    for pattern in _LIMIT_RES:
        m = pattern.search(text)
        if m:
            return f"{float(m[1]):g}" if m[1] else ""
    return None


def stopped(result: Result) -> str | None:
    """The line saying the time limit stopped the run, and on which koan; None if it did not."""
    if result.failure and (limit := _time_limit(result.failure["text"])) is not None:
        koan = result.failure["nodeid"]
    elif result.crash and result.koan and (limit := _time_limit(result.log)) is not None:
        koan = result.koan
    else:
        return None
    took = f" in {limit} s" if limit else ""
    return f"⏱ stopped by the time limit: {koan} did not finish{took}"


def running(chapter: str, seconds: float, koan: str | None) -> str:
    """The line shown while a run goes on."""
    where = f"koan {koan}" if koan else "collecting the koans"
    return f"kata watch: koans/{chapter}: still running ({seconds:.0f} s; {where})"


def render(root: Path, result: Result, chapter: str, trigger: str) -> list[str]:
    out = [f"kata watch: koans/{chapter} ({trigger}; {result.seconds:.2f} s)", ""]
    stop = stopped(result)
    if stop:
        out.extend([stop, ""])
    if result.crash and stop:
        # The limit's watchdog ended the whole run (an answer stuck in C code); its report is in the log.
        lines = result.log.rstrip().splitlines()
        first = next((i for i, line in enumerate(lines) if _time_limit(line) is not None), max(0, len(lines) - 15))
        out.append("  stuck where Python could not interrupt it, so the run ended there; its report:")
        out.extend("  " + line for line in lines[first : first + 15])
    elif result.crash:
        during = f" while {result.koan} was running" if result.koan else ""
        out.append(f"  the run failed: {result.crash}{during}")
        if result.log.strip():
            out.append("  its output ends:")
            out.extend("    " + line for line in result.log.rstrip().splitlines()[-15:])
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
    counts = progress.count(index(root), cache.read_solved(root))
    out.extend(progress.lines(counts, chapter))
    return out
