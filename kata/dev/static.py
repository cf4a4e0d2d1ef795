"""The static half of ``python -m kata verify``: rules a file must keep without running.

4. ``koans/`` and ``solutions/`` hold the same files and the same koans, in order.
5. Each koan file equals its solution with some expressions replaced by ``__``
   (line by line, and as syntax trees); every koan has a lesson, a hint and a
   blank; no blank stands outside a function, or in a helper no single koan names.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from kata import lessons
from kata.layout import CHAPTER_RE, KOANS, LESSON_RE, SOLUTIONS, TREES, lesson_rel
from kata.lessons import BLANK


@dataclass
class Problem:
    where: str  # file, file:line or koan id
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class StaticResult:
    problems: list[Problem]
    koans: int
    chapters: list[str]


def check(root: Path, only: list[str] | None = None) -> StaticResult:
    problems: list[Problem] = []
    koan_count = 0
    chapter_names = _chapter_names(root, problems, only)
    for chapter in chapter_names:
        names = {t: _files(root / t / chapter) for t in TREES}
        for extra in sorted(names[KOANS] ^ names[SOLUTIONS]):
            tree = KOANS if extra in names[KOANS] else SOLUTIONS
            other = SOLUTIONS if tree == KOANS else KOANS
            problems.append(
                Problem(lesson_rel(tree, chapter, extra), f"has no counterpart in {lesson_rel(other, chapter)}/")
            )
        for name in sorted(names[KOANS] & names[SOLUTIONS]):
            if not LESSON_RE.match(name):
                problems.append(Problem(lesson_rel(KOANS, chapter, name), "lesson files are named test_NN_topic.py"))
                continue
            koan_count += _check_pair(root, chapter, name, problems)
    return StaticResult(problems, koan_count, chapter_names)


def _chapter_names(root: Path, problems: list[Problem], only: list[str] | None) -> list[str]:
    found = {
        t: {p.name for p in (root / t).iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
        if (root / t).is_dir()
        else set()
        for t in TREES
    }
    if not found[KOANS]:
        problems.append(Problem(f"{KOANS}/", "no chapters found"))
    for tree in TREES:
        for name in sorted(found[tree]):
            if not CHAPTER_RE.match(name):
                problems.append(Problem(f"{tree}/{name}", "chapter folders are named NN_topic"))
    for extra in sorted(found[KOANS] ^ found[SOLUTIONS]):
        tree = KOANS if extra in found[KOANS] else SOLUTIONS
        problems.append(Problem(f"{tree}/{extra}", "chapter has no counterpart in the other tree"))
    names = sorted(n for n in found[KOANS] & found[SOLUTIONS] if CHAPTER_RE.match(n))
    if only:
        unknown = [c for c in only if c not in names]
        for c in unknown:
            problems.append(Problem(c, "no such chapter in both koans/ and solutions/"))
        names = [n for n in names if n in only]
    return names


def _files(chapter_dir: Path) -> set[str]:
    if not chapter_dir.is_dir():
        return set()
    return {p.name for p in chapter_dir.iterdir() if p.is_file() and p.suffix == ".py"}


def _check_pair(root: Path, chapter: str, name: str, problems: list[Problem]) -> int:
    kpath, spath = root / KOANS / chapter / name, root / SOLUTIONS / chapter / name
    krel, srel = lesson_rel(KOANS, chapter, name), lesson_rel(SOLUTIONS, chapter, name)
    try:
        koan = lessons.parse(kpath)
    except SyntaxError as e:
        problems.append(Problem(f"{krel}:{e.lineno}", f"syntax error: {e.msg}"))
        return 0
    try:
        solution = lessons.parse(spath)
    except SyntaxError as e:
        problems.append(Problem(f"{srel}:{e.lineno}", f"syntax error: {e.msg}"))
        return len(koan.koans)

    if not _imports_blank(koan.tree):
        problems.append(Problem(krel, "does not import the blank: `from kata import __`"))
    for b in koan.module_blanks:
        problems.append(Problem(f"{krel}:{b.line}", "blank outside any function (it would run at import)"))
    for helper, b in koan.orphan_blanks:
        problems.append(
            Problem(f"{krel}:{b.line}", f"blank in helper {helper}() that is not named by exactly one koan")
        )
    for line in _all_blanks(solution.tree):
        problems.append(Problem(f"{srel}:{line}", "solution still has a blank"))

    knames = [k.name for k in koan.koans]
    snames = [k.name for k in solution.koans]
    if knames != snames:
        problems.append(Problem(krel, f"koans differ from the solution's: {knames} vs {snames}"))
    if len(set(knames)) != len(knames):
        problems.append(Problem(krel, "two koans share a name"))
    for k in koan.koans:
        kid = f"{krel}::{k.name}"
        if not k.has_docstring or not k.lesson:
            problems.append(Problem(kid, "no docstring stating the lesson"))
        if not k.hint:
            problems.append(Problem(kid, "no `Hint:` paragraph at the end of its docstring"))
        if not k.blanks:
            problems.append(Problem(kid, "no blank to fill in"))

    problems.extend(_compare_lines(koan, solution, krel, srel))
    mismatch = _compare_trees(koan.tree, solution.tree)
    if mismatch is not None:
        problems.append(Problem(f"{srel}:{mismatch}", "differs from its koan file by more than the blanks' answers"))
    return len(koan.koans)


def _imports_blank(tree: ast.Module) -> bool:
    return any(
        isinstance(n, ast.ImportFrom) and n.module == "kata" and any(a.name == BLANK for a in n.names)
        for n in tree.body
    )


def _all_blanks(tree: ast.AST) -> list[int]:
    return sorted(n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == BLANK)


def _compare_lines(koan: lessons.Lesson, solution: lessons.Lesson, krel: str, srel: str) -> list[Problem]:
    """Same lines, except that each blank is replaced by an answer on its own line."""
    klines = koan.source.splitlines()
    slines = solution.source.splitlines()
    if len(klines) != len(slines):
        return [
            Problem(
                srel,
                f"has {len(slines)} lines, its koan file {len(klines)}: each answer must stand on its blank's line",
            )
        ]
    by_line: dict[int, list[lessons.Blank]] = {}
    for k in koan.koans:
        for b in k.blanks:
            by_line.setdefault(b.line, []).append(b)
    for b in koan.module_blanks + [b for _, b in koan.orphan_blanks]:
        by_line.setdefault(b.line, []).append(b)
    problems = []
    for i, (kl, sl) in enumerate(zip(klines, slines, strict=True), start=1):
        blanks = sorted(set(by_line.get(i, [])))
        if not blanks:
            if kl != sl:
                problems.append(Problem(f"{srel}:{i}", "line differs from its koan's, which has no blank"))
            continue
        raw = kl.encode("utf-8")
        pattern, pos = "", 0
        for b in blanks:
            pattern += re.escape(raw[pos : b.col].decode("utf-8")) + r"(.+)"
            pos = b.end_col
        pattern += re.escape(raw[pos:].decode("utf-8"))
        m = re.fullmatch(pattern, sl)
        if not m:
            problems.append(Problem(f"{srel}:{i}", "line differs from its koan's by more than the blank's answer"))
        elif any(g.strip() in ("", BLANK) for g in m.groups()):
            problems.append(Problem(f"{srel}:{i}", "an answer is empty"))
    return problems


def _compare_trees(k: object, s: object) -> int | None:
    """Line of the first place where the trees differ other than at a blank, or None."""
    if isinstance(k, ast.Name) and k.id == BLANK:
        return None if isinstance(s, ast.expr) else getattr(s, "lineno", 0)
    if type(k) is not type(s):
        return getattr(s, "lineno", None) or getattr(k, "lineno", 0)
    if isinstance(k, list):
        if len(k) != len(s):  # type: ignore[arg-type]
            return 0
        for a, b in zip(k, s, strict=True):  # type: ignore[call-overload]
            line = _compare_trees(a, b)
            if line is not None:
                return line
        return None
    if isinstance(k, ast.AST):
        for field in k._fields:
            line = _compare_trees(getattr(k, field, None), getattr(s, field, None))
            if line is not None:
                return line if line else getattr(k, "lineno", 0)
        return None
    return None if k == s else 0
