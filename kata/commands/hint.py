"""``kata hint [KOAN]``: the hint of the koan you are on (or of the one you name), never its answer.

The koan you are on is the first unsolved one from the chapter of your latest
pytest run on (``kata.state.progress.Position.current``).

Hints live in the koan's docstring, after ``Hint:``.  When the learner's file
does not parse (a half-typed answer), the docstring is read from the
solution, which carries the same docstring by the kata's rules.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from kata.layout import TREES
from kata.lessons import parse
from kata.lessons.index import KoanRef, resolve
from kata.state.progress import position


def koan_text(root: Path, ref: KoanRef) -> tuple[str, str]:
    """(lesson, hint) of a koan, from the learner's file, else from its solution."""
    for tree in TREES:
        path = root / tree / ref.chapter / ref.file
        try:
            koan = parse(path).koan(ref.name)
        except (OSError, SyntaxError, ValueError):
            continue
        if koan is not None and koan.has_docstring:
            return koan.lesson, koan.hint
    return "", ""


def main(root: Path, query: str | None, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    pos = position(root)
    if query is None:
        ref = pos.current
        if ref is None:
            print(
                "kata hint: every koan this machine can run is solved; name one to see its hint (kata hint KOAN)",
                file=out,
            )
            return 0
    else:
        target = resolve(pos.refs, query, root)
        ref = target.koans[0] if target.kind == "koan" else pos.first_unsolved(target.koans)
        if ref is None:
            ref = target.koans[0]
    lesson, hint = koan_text(root, ref)
    state = "solved" if pos.is_solved(ref) else "not solved yet"
    print(f"{pos.where(ref)}  {ref.name}  ({state})", file=out)
    if lesson:
        print(f"  {lesson}", file=out)
    print(f"  Hint: {hint}" if hint else "  (this koan has no hint)", file=out)
    return 0
