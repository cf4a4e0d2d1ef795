"""The learner's short reports: what to fill in, or what was wrong, and where.

No wall of traceback: the koan's id, its lesson, and the lines that matter.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

from kata import layout
from kata.lessons import Koan, parse_cached
from kata.plugin.verdict import Verdict, exception_chain, frames_of

_MAX_MESSAGE_LINES = 12


def shown(path: Path | str) -> str:
    """A path as the learner should read it: relative to where they stand."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def source_line(path: Path | str, line: int) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()[line - 1].strip()
    except (OSError, IndexError):
        return ""


def _exception_text(excinfo: Any) -> str:
    lines = excinfo.exconly().rstrip().splitlines()
    if len(lines) > _MAX_MESSAGE_LINES:
        lines = [*lines[:_MAX_MESSAGE_LINES], "..."]
    return "\n".join("    " + line for line in lines)


def failure(koan: Koan, verdict: Verdict, excinfo: Any, show_hint: bool) -> str:
    out = [f"  {koan.lesson}" if koan.lesson else "", ""]
    if verdict.kind == "blank":
        out.append("  Fill in the blank:")
        for b in koan.blanks:
            out.append(f"    {shown(koan.path)}:{b.line}:  {source_line(koan.path, b.line)}")
    else:
        answered = [n for n in answer_lines(koan) if verdict.where is None or n != verdict.where[1]]
        if answered:
            # The check that failed is not where the answer is: point at the answer first.
            out.append("  Not yet: think again about your answer")
            out.extend(f"    {shown(koan.path)}:{n}:  {source_line(koan.path, n)}" for n in answered)
            out.append("  which did not pass")
        else:
            out.append("  Not yet:")
        if verdict.where:
            file, line = verdict.where
            out.append(f"    {shown(file)}:{line}:  {source_line(file, line)}")
        out.append(_exception_text(excinfo))
    out.append("")
    if show_hint:
        out.append(f"  Hint: {koan.hint}" if koan.hint else "  (this koan has no hint)")
    else:
        out.append("  Stuck? pytest --hint shows a hint.")
    return "\n".join(out)


def answer_lines(koan: Koan) -> list[int]:
    """Lines of the koan (and the helpers it names) where the learner's file differs from the solution's.

    A solution is its koan with each blank filled and nothing else different, so these are the lines the
    learner answered otherwise than the solution did.  Empty when there is no solution to compare with, or
    when the learner's file no longer lines up with it (lines added or removed).
    """
    path = koan.path.resolve()
    chapter, tree = path.parent, path.parent.parent
    if tree.name != layout.KOANS:
        return []
    solution_path = tree.parent / layout.SOLUTIONS / chapter.name / path.name
    try:
        mine = koan.path.read_text(encoding="utf-8").splitlines()
        theirs = solution_path.read_text(encoding="utf-8").splitlines()
        solved = parse_cached(solution_path).koan(koan.name)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return []
    if solved is None or len(mine) != len(theirs) or solved.line != koan.line:
        return []
    lines = sorted({n for start, end, _ in koan.regions for n in range(start, end + 1)})
    return [n for n in lines if mine[n - 1].strip() != theirs[n - 1].strip()]


def skipped_by_learner(path: Path, where: tuple[int, str], koan: Koan | None, name: str) -> str:
    """A koan the learner's own skip (or xfail) kept from running: where, and that it is not solved."""
    if koan is None:
        try:
            koan = parse_cached(path).koan(name)
        except (OSError, SyntaxError, ValueError):
            koan = None
    line, text = where
    return "\n".join(
        [
            f"  {koan.lesson}" if koan is not None and koan.lesson else "",
            "",
            "  Skipped, and a skipped koan is not solved:",
            f"    {shown(path)}:{line}:  {text}",
            "",
            "  Take the skip out: a koan counts when it passes.",
        ]
    )


def missing_package(package: str, lessons: int) -> str:
    """The one line for a package the koans import that this interpreter lacks."""
    python = sys.executable or "python"
    files = f"{lessons} lesson file{'s' if lessons != 1 else ''}"
    return (
        f"kata: {package} is missing in this interpreter ({python}), so {files} that import it did not run; "
        f"`{python} -m pip install {package}` installs it (or `pip install -e .` in the checkout, "
        "everything the kata needs)"
    )


def collect_error(path: Path, exc: BaseException) -> str:
    """A lesson that does not import: its file:line and the error, nothing else.

    ``exc`` is what pytest hands to ``pytest_exception_interact``: the error
    itself, or pytest's ``CollectError`` raised from it (an ImportError, a
    SyntaxError).
    """
    chain = exception_chain(exc)
    syntax = next((e for e in chain if isinstance(e, SyntaxError)), None)
    if syntax is not None:
        where = f"{shown(path)}:{syntax.lineno}"
        text = (syntax.text or "").rstrip("\n")
        caret = ""
        if text and syntax.offset:
            stripped = text.lstrip()
            caret = " " * (syntax.offset - 1 - (len(text) - len(stripped))) + "^"
            text = stripped
        return "\n".join(
            filter(
                None,
                [
                    f"  {where}: SyntaxError: {syntax.msg}",
                    f"    {text}" if text else "",
                    f"    {caret}" if caret else "",
                    "  Fix the syntax; the other lessons still run.",
                ],
            )
        )
    # An error while importing: the deepest line of the lesson file, and the error.
    cause = chain[-1]
    here = str(path)
    lines = [line for e in chain for file, line in frames_of(e) if file == here]
    line = lines[-1] if lines else None
    error = traceback.format_exception_only(type(cause), cause)[-1].strip()
    where = f"{shown(path)}:{line}" if line else shown(path)
    code = f"\n    {source_line(path, line)}" if line else ""
    return f"  {where}: {error}{code}\n  The other lessons still run."
