"""What the learner sees after each run of ``kata watch``."""

from __future__ import annotations

from pathlib import Path

from kata.commands.watch.forkserver import Result
from kata.lessons.index import index
from kata.state import cache, progress


def render(root: Path, result: Result, chapter: str, trigger: str) -> list[str]:
    out = [f"kata watch: koans/{chapter} ({trigger}; {result.seconds:.2f} s)", ""]
    if result.crash:
        out.append(f"  the run failed: {result.crash}")
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
