"""``kata compare [KOAN|FILE|CHAPTER]``: your koan against its solution, as a unified diff.

Only koans you have solved (as your latest pytest runs recorded them in
pytest's cache) are shown; the others wait for ``--spoil``.  Line numbers in
the diff are those of the two real files.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import TextIO

from kata.layout import KOANS, SOLUTIONS, UsageError, lesson_rel
from kata.lessons import koan_regions
from kata.lessons.index import KoanRef, resolve
from kata.state.progress import position

_HUNK_RE = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def region_diff(mine: list[str], mine_start: int, theirs: list[str], theirs_start: int, context: int = 3) -> list[str]:
    """A unified diff of two slices, its hunk headers moved to the slices' places in their files."""
    out = []
    for line in difflib.unified_diff(mine, theirs, lineterm="", n=context):
        if line.startswith(("---", "+++")):
            continue
        m = _HUNK_RE.match(line)
        if m:
            a, b = int(m[1]) + mine_start - 1, int(m[3]) + theirs_start - 1
            line = f"@@ -{a}{m[2] or ''} +{b}{m[4] or ''} @@"
        out.append(line)
    return out


def koan_diff(mine_src: str, theirs_src: str, name: str) -> list[str] | None:
    """The diff of one koan (its function and its own helpers); None if it is not in your file."""
    mine_regions = koan_regions(mine_src, name)
    theirs_regions = koan_regions(theirs_src, name) or []
    if mine_regions is None:
        return None
    mine_lines, theirs_lines = mine_src.splitlines(), theirs_src.splitlines()
    out: list[str] = []
    for i, (a0, a1) in enumerate(mine_regions):
        if i >= len(theirs_regions):
            break
        b0, b1 = theirs_regions[i]
        out += region_diff(mine_lines[a0 - 1 : a1], a0, theirs_lines[b0 - 1 : b1], b0)
    return out


def main(root: Path, query: str | None, spoil: bool, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    pos = position(root)
    refs = pos.refs
    if query is None:
        here = pos.current or (refs[-1] if refs else None)
        if here is None:
            raise UsageError("there are no koans to compare")
        query = here.chapter
    target = resolve(refs, query, root)
    if target.kind == "koan" and not pos.is_solved(target.koans[0]) and not spoil:
        ref = target.koans[0]
        print(
            f"kata compare: {ref.name} is not solved yet (as your latest pytest runs recorded it); "
            f"solve it first, or add --spoil to see the answer:\n  kata compare {ref.file}::{ref.name} --spoil",
            file=out,
        )
        return 1
    files: dict[tuple[str, str], list[KoanRef]] = {}
    for r in target.koans:
        files.setdefault((r.chapter, r.file), []).append(r)
    withheld: list[KoanRef] = []
    shown = identical = 0
    problems = False
    for (chapter, file), koans in files.items():
        mine_path, theirs_path = root / KOANS / chapter / file, root / SOLUTIONS / chapter / file
        rel, srel = lesson_rel(KOANS, chapter, file), lesson_rel(SOLUTIONS, chapter, file)
        if not theirs_path.is_file():
            print(f"{rel}: has no solution file ({srel} is missing)", file=out)
            problems = True
            continue
        if not mine_path.is_file():
            print(f"{rel}: you deleted this lesson file; `kata reset {rel}` brings back its shipped version", file=out)
            problems = True
            continue
        mine_src = mine_path.read_text(encoding="utf-8")
        theirs_src = theirs_path.read_text(encoding="utf-8")
        header_done = False
        for ref in koans:
            if not pos.is_solved(ref) and not spoil:
                withheld.append(ref)
                continue
            diff = koan_diff(mine_src, theirs_src, ref.name)
            if diff is None:
                print(
                    f"{rel}: {ref.name} is missing from your file; `kata reset {rel}` brings back the shipped file",
                    file=out,
                )
                problems = True
                continue
            shown += 1
            if not diff:
                identical += 1
                continue
            if not header_done:
                print(f"--- {rel}\t(yours)", file=out)
                print(f"+++ {srel}\t(the solution)", file=out)
                header_done = True
            for line in diff:
                print(line, file=out)
    summary = [f"{shown} koan{'s' if shown != 1 else ''} compared"]
    if identical:
        summary.append(f"{identical} identical to the solution")
    if withheld:
        summary.append(f"{len(withheld)} not solved yet, withheld (--spoil shows them)")
    print(f"kata compare {target.label}: " + "; ".join(summary), file=out)
    return 1 if problems and not shown else 0
