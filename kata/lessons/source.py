"""Reading koan files: the koans in a lesson, their lessons, hints and blanks.

The koan files are the single source of truth for order, lesson and hint;
everything in the kit that needs those facts reads them through this module.
It also decides, once, what a koan is: a module-level function of a lesson
file whose name starts with ``test`` (pytest's own rule for test functions),
whether the file is parsed (``parse``) or, when it must cost nothing or does
not parse, read line by line (``defs``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kata.layout import HARDWARE_MARKERS

BLANK = "__"
KOAN_PREFIX = "test"
_HINT_RE = re.compile(r"^\s*Hint:\s*", re.MULTILINE)
# The same rule as ``is_koan`` for a file read as text: a top-level (async) def.
_KOAN_DEF_RE = re.compile(rf"^(?:async\s+)?def\s+({KOAN_PREFIX}\w*)")
_MARKS = "|".join(HARDWARE_MARKERS)
_FILE_MARK_RE = re.compile(rf"^pytestmark\s*=.*\bpytest\.mark\.({_MARKS})\b", re.MULTILINE)
_DECORATOR_MARK_RE = re.compile(rf"^@pytest\.mark\.({_MARKS})\b")


def is_koan(node: ast.stmt) -> bool:
    """Whether a module-level statement of a lesson file is a koan."""
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(KOAN_PREFIX)


@dataclass(frozen=True, order=True)
class Blank:
    """One ``__`` in a file: 1-based line, 0-based byte columns (as ast gives them)."""

    line: int
    col: int
    end_col: int


@dataclass
class Koan:
    name: str
    path: Path
    line: int  # the ``def`` line
    end_line: int
    lesson: str  # the docstring before its Hint: paragraph ("" if none)
    hint: str  # the Hint: paragraph ("" if none)
    has_docstring: bool
    # The koan's own blanks and those of the module-level helpers it names,
    # each function as (start line, end line, blanks).
    regions: list[tuple[int, int, list[Blank]]] = field(default_factory=list)
    # (first, last) line of every statement in those functions (defs excluded).
    statements: list[tuple[int, int]] = field(default_factory=list)

    @property
    def blanks(self) -> list[Blank]:
        return sorted(b for _, _, bs in self.regions for b in bs)

    def reached_blanks(self, frames: list[tuple[str, int]]) -> list[Blank]:
        """Blanks the execution got to: those up to the end of the statement a frame stopped in.

        Koans are straight-line code, so a blank above the statement where a
        frame stopped was evaluated on the way there; so was a blank on a
        later line of that same statement (a multi-line assert reports its
        first line).
        """
        reached: set[Blank] = set()
        here = str(self.path)
        for filename, lineno in frames:
            if filename != here:
                continue
            last = self.statement_end(lineno)
            for start, end, blanks in self.regions:
                if start <= lineno <= end:
                    reached.update(b for b in blanks if b.line <= last)
        return sorted(reached)

    def statement_end(self, line: int) -> int:
        """Last line of the innermost statement that holds ``line`` (``line`` if none)."""
        holding = [(last - first, last) for first, last in self.statements if first <= line <= last]
        return min(holding)[1] if holding else line


@dataclass
class Lesson:
    path: Path
    tree: ast.Module
    source: str
    koans: list[Koan]
    module_blanks: list[Blank]  # blanks outside any function body: never allowed
    orphan_blanks: list[tuple[str, Blank]]  # blanks in helpers no single koan names

    def koan(self, name: str) -> Koan | None:
        return next((k for k in self.koans if k.name == name), None)


def answers(koan_node: object, solution_node: object) -> list[ast.expr]:
    """The solution's expression at each blank of the koan, by walking both trees together."""
    found: list[ast.expr] = []

    def walk(k: object, s: object) -> None:
        if isinstance(k, ast.Name) and k.id == BLANK:
            found.append(s)  # type: ignore[arg-type]
        elif isinstance(k, list):
            # Not strict: the teaching lint walks pairs static has not checked; a length mismatch is its finding.
            for a, b in zip(k, s, strict=False):  # type: ignore[call-overload]
                walk(a, b)
        elif isinstance(k, ast.AST):
            for name in k._fields:
                walk(getattr(k, name, None), getattr(s, name, None))

    walk(koan_node, solution_node)
    return found


def split_docstring(doc: str | None) -> tuple[str, str]:
    """A koan docstring's (lesson, hint)."""
    if not doc:
        return "", ""
    parts = _HINT_RE.split(doc, maxsplit=1)
    lesson = " ".join(parts[0].split())
    hint = " ".join(parts[1].split()) if len(parts) > 1 else ""
    return lesson, hint


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _blanks_in(node: ast.AST) -> list[Blank]:
    return sorted(
        # ast.parse always sets end_col_offset; a hand-built node lacks it, and a blank is len(BLANK) wide.
        Blank(n.lineno, n.col_offset, n.end_col_offset if n.end_col_offset is not None else n.col_offset + len(BLANK))
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and n.id == BLANK
    )


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def parse_source(path: Path, source: str) -> Lesson:
    """Parse a lesson; raises SyntaxError as ``ast.parse`` does."""
    tree = ast.parse(source, filename=str(path))
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    tests = [f for f in functions if is_koan(f)]
    helpers = {f.name: f for f in functions if not is_koan(f)}

    in_functions = {b for f in functions for b in _blanks_in(f)}
    module_blanks = [b for b in _blanks_in(tree) if b not in in_functions]
    # Blanks inside a class body's methods are outside any koan too.
    users: dict[str, list[str]] = {name: [] for name in helpers}
    for t in tests:
        for name in _names_in(t) & users.keys():
            users[name].append(t.name)

    koans = []
    for t in tests:
        doc = ast.get_docstring(t, clean=True)
        lesson, hint = split_docstring(doc)
        functions_of_koan = [t]
        for name in sorted(_names_in(t) & helpers.keys()):
            if _blanks_in(helpers[name]) and len(users[name]) == 1:
                functions_of_koan.append(helpers[name])
        regions = [(f.lineno, f.end_lineno or f.lineno, _blanks_in(f)) for f in functions_of_koan]
        statements = [
            (n.lineno, n.end_lineno or n.lineno)
            for f in functions_of_koan
            for n in ast.walk(f)
            if isinstance(n, ast.stmt) and not isinstance(n, _DEFS)
        ]
        koans.append(
            Koan(t.name, path, t.lineno, t.end_lineno or t.lineno, lesson, hint, doc is not None, regions, statements)
        )

    orphans = [(name, b) for name, h in helpers.items() if len(users[name]) != 1 for b in _blanks_in(h)]
    return Lesson(path, tree, source, koans, module_blanks, orphans)


def parse(path: Path) -> Lesson:
    path = Path(path).resolve()
    return parse_source(path, path.read_text(encoding="utf-8"))


@cache
def _parse_cached(path: Path, mtime_ns: int) -> Lesson:
    return parse(path)


def parse_cached(path: Path) -> Lesson:
    """``parse`` memoised on the file's modification time (the plugin's hot path)."""
    path = Path(path).resolve()
    return _parse_cached(path, path.stat().st_mtime_ns)


# -- a lesson read as text: cheap, and whether it parses or not ------------------------


def defs(source: str) -> list[tuple[str, int, str | None]]:
    """(name, def line, hardware marker) of each koan in a lesson's source, syntax errors or not."""
    lines = source.splitlines()
    file_mark = _FILE_MARK_RE.search(source)
    out = []
    for i, text in enumerate(lines):
        m = _KOAN_DEF_RE.match(text)
        if not m:
            continue
        mark = file_mark[1] if file_mark else None
        j = i - 1
        while j >= 0 and lines[j].startswith("@"):
            d = _DECORATOR_MARK_RE.match(lines[j])
            mark = mark or (d[1] if d else None)
            j -= 1
        out.append((m[1], i + 1, mark))
    return out


def koan_regions(source: str, name: str) -> list[tuple[int, int]] | None:
    """1-based inclusive line ranges of a koan: its function, then any module-level helper
    whose blanks belong to it alone.  A file that does not parse still gives the function,
    from its ``def`` line to the line before the next top-level statement.  None if absent.
    """
    try:
        lesson = parse_source(Path("<koan>"), source)
    except (SyntaxError, ValueError):
        lesson = None
    if lesson is not None:
        koan = lesson.koan(name)
        if koan is None:
            return None
        return [(start, end) for start, end, _ in koan.regions]
    lines = source.splitlines()
    start = next((i for i, t in enumerate(lines) if (m := _KOAN_DEF_RE.match(t)) and m[1] == name), None)
    if start is None:
        return None
    end = start
    for i in range(start + 1, len(lines)):
        text = lines[i]
        if text.strip() and not text[0].isspace() and not text.startswith("#"):
            break
        if text.strip():
            end = i
    return [(start + 1, end + 1)]
