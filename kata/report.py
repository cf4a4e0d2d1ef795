"""The learner's short reports: what to fill in, or what was wrong, and where.

No wall of traceback: the koan's id, its lesson, and the lines that matter.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kata.lessons import Koan
from kata.verdict import Verdict

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


def _exception_text(excinfo) -> str:
    lines = excinfo.exconly().rstrip().splitlines()
    if len(lines) > _MAX_MESSAGE_LINES:
        lines = lines[:_MAX_MESSAGE_LINES] + ["..."]
    return "\n".join("    " + line for line in lines)


def failure(koan: Koan, verdict: Verdict, excinfo, show_hint: bool) -> str:
    out = [f"  {koan.lesson}" if koan.lesson else "", ""]
    if verdict.kind == "blank":
        out.append("  Fill in the blank:")
        for b in koan.blanks:
            out.append(f"    {shown(koan.path)}:{b.line}:  {source_line(koan.path, b.line)}")
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


_SYNTAX_RE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
_FRAME_RE = re.compile(r"^(?P<file>\S+\.py):(?P<line>\d+): in ", re.MULTILINE)


def collect_error(path: Path, longrepr: str) -> str:
    """A lesson that does not import: its file:line and the error, nothing else."""
    import ast

    try:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as e:
        where = f"{shown(path)}:{e.lineno}"
        text = (e.text or "").rstrip("\n")
        caret = ""
        if text and e.offset:
            stripped = text.lstrip()
            caret = " " * (e.offset - 1 - (len(text) - len(stripped))) + "^"
            text = stripped
        return "\n".join(filter(None, [
            f"  {where}: SyntaxError: {e.msg}",
            f"    {text}" if text else "",
            f"    {caret}" if caret else "",
            "  Fix the syntax; the other lessons still run.",
        ]))
    # An error while importing: the deepest line of the lesson file, and the error.
    line = None
    for m in _FRAME_RE.finditer(longrepr):
        if Path(m["file"]).name == path.name:
            line = m["line"]
    errors = [ln[1:].strip() for ln in longrepr.splitlines() if ln.startswith("E ")]
    where = f"{shown(path)}:{line}" if line else shown(path)
    code = f"\n    {source_line(path, int(line))}" if line else ""
    return f"  {where}: {errors[-1] if errors else 'error while importing'}{code}\n  The other lessons still run."
