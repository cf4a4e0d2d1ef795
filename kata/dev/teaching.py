"""The teaching lint: a koan must not hand its answer over.

A koan fails the lint when an answer of its solution shows verbatim where the
learner reads before answering:

* in the koan's docstring (its lesson or its hint);
* in the koan's test name;
* in the code of an earlier koan of the same lesson (as shipped, docstrings
  left out), where a learner has just read it.

Which answers count: literals of two or more characters (numbers, ``True`` /
``False`` / ``None``, strings, tuples and lists of literals, a dtype such as
``torch.float32``) and the text of a string answer (for a regex, its literal
words).  Code answers (calls, names, expressions) are not looked for: the
learner has to write them.  Numbers match as whole tokens (``12`` is not in
``123`` or ``1.2``); shapes match whatever their brackets and spacing.

A koan may be excused in ``teaching_exceptions.txt`` beside this module, one
``koan-id  # reason`` a line; an entry that no longer matches a flagged koan
is itself a problem, so the list cannot go stale.

``python -m kata.dev.teaching [CHAPTER ...]`` (and ``verify --static``) prints the flagged koans.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kata import layout, lessons

EXCEPTIONS_FILE = Path(__file__).with_name("teaching_exceptions.txt")
_BOOLS_AND_NONE = {True: "True", False: "False", None: "None"}


@dataclass(frozen=True)
class GiveAway:
    koan_id: str  # koans/NN_x/test_NN_y.py::test_name
    line: int  # the answer's line in the solution
    answer: str
    where: str  # "docstring", "test name" or "the code of <earlier koan>"

    def describe(self) -> str:
        return f"{self.koan_id}: the answer {self.answer} is in {self.where}"


def _literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _literal(node.operand)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return bool(node.elts) and all(_literal(e) for e in node.elts)
    # A dtype, torch.float32: the learner writes the word they read.
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "torch"
        and node.attr[:1].islower()
    )


def _regex_words(pattern: str) -> str:
    """The literal text of a regex fragment: escapes undone, anything special cut at."""
    pattern = re.sub(r"\\(.)", r"\1", pattern)
    return (
        re.split(r"[\^$*+?{}\[\]|()]", pattern)[0].strip()
        if re.search(r"[\^$*+?{}\[\]|()]", pattern)
        else pattern.strip()
    )


def _significant(number: str) -> int:
    """Significant digits of a number's text: 256 has 3, 0.25 and 10.0 have 2."""
    digits = re.sub(r"[^0-9]", "", number.split("e")[0].split("E")[0])
    return len(digits.strip("0"))


def needles(node: ast.expr, text: str, in_code: bool = False) -> list[re.Pattern[str]]:
    """Patterns that find the answer ``node`` (source ``text``) where a learner would read it.

    In code (``in_code``), the words every koan is made of are left out:
    ``True``/``None`` and dtypes (keyword arguments everywhere), numbers of
    fewer than three significant digits (``0.5``, ``10``), and brackets that
    are a call's arguments (``torch.zeros(2, 3)``, ``torch.tensor([1.0])``).
    """
    if not _literal(node):
        return []
    if in_code and not (
        isinstance(node, (ast.Tuple, ast.List, ast.Set))
        or (isinstance(node, ast.Constant) and isinstance(node.value, str))
        or (
            isinstance(node, ast.Constant)
            and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)
            and _significant(text) >= 3
        )
    ):
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        words = _regex_words(node.value)
        return [re.compile(re.escape(words))] if len(words) >= 2 else []
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool)):
        return [re.compile(rf"\b{_BOOLS_AND_NONE[node.value]}\b")]
    if isinstance(node, ast.Attribute):
        return [re.compile(rf"(?<![\w.]){re.escape(node.attr)}(?!\w)")]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        inner = [ast.unparse(e) for e in node.elts]
        if len("".join(inner)) < 2 and len(inner) < 2:
            return []
        sep = r"\s*,\s*"
        body = sep.join(re.escape(i) for i in inner) + (r"\s*,?" if len(inner) == 1 else "")
        call = r"(?<![\w)\](])" if in_code else ""  # not a call's arguments, nor one of them
        return [re.compile(call + r"[(\[{]\s*" + body + r"\s*,?\s*[)\]}]")]
    # Numbers, signed or not: whole tokens only.
    if len(text) < 2:
        return []
    return [re.compile(rf"(?<![\w.]){re.escape(text)}(?![\w]|\.\d)")]


def _name_needles(node: ast.expr) -> list[str]:
    """The answer as it would be spelled in a test name (snake case)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return [str(node.value).lower()]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        words = re.findall(r"[a-z0-9]+", _regex_words(node.value).lower())
        return ["_".join(words)] if len(words) >= 2 else []
    if isinstance(node, ast.Attribute) and _literal(node):
        return [node.attr.lower()]
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and abs(node.value) >= 10:
        return [str(node.value)]
    return []


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    """Every module-level function: the koans and the helpers they name."""
    return [n for n in tree.body if isinstance(n, ast.FunctionDef)]


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _code_without_docstrings(fn: ast.FunctionDef, source: str) -> str:
    body = fn.body[1:] if ast.get_docstring(fn) is not None else fn.body
    segments = [ast.get_source_segment(source, stmt) or "" for stmt in body]
    return "\n".join(segments)


def lesson_give_aways(root: Path, koan_path: Path) -> list[GiveAway]:
    chapter = koan_path.parent.name
    solution_path = root / layout.SOLUTIONS / chapter / koan_path.name
    if not solution_path.is_file():
        return []
    koan_lesson, solution_lesson = lessons.parse(koan_path), lessons.parse(solution_path)
    source = solution_lesson.source
    found: list[GiveAway] = []
    earlier: list[tuple[str, str]] = []  # (koan name, its shipped code)
    helpers = {f.name: f for f in _functions(koan_lesson.tree) if koan_lesson.koan(f.name) is None}
    solution_fns = {f.name: f for f in _functions(solution_lesson.tree)}
    for k_fn in _functions(koan_lesson.tree):
        koan = koan_lesson.koan(k_fn.name)
        s_fn = solution_fns.get(k_fn.name)
        if koan is None or s_fn is None:
            continue
        answers = lessons.answers(k_fn, s_fn)
        for helper in sorted(_names_in(k_fn) & helpers.keys()):  # the koan's helpers' blanks
            if helper in solution_fns:
                answers += lessons.answers(helpers[helper], solution_fns[helper])
        koan_id = layout.koan_id(layout.KOANS, chapter, koan_path.name, k_fn.name)
        docstring = ast.get_docstring(k_fn) or ""
        for node in answers:
            text = ast.get_source_segment(source, node) or ast.unparse(node)
            where = None
            pats = needles(node, text)
            if any(p.search(docstring) for p in pats):
                where = "its docstring"
            elif any(
                (n and n in k_fn.name.lower().split("_")) or (n and "_" in n and n in k_fn.name.lower())
                for n in _name_needles(node)
            ):
                where = "its test name"
            else:
                in_code = needles(node, text, in_code=True)
                where = next(
                    (
                        f"the code of the earlier koan {name}"
                        for name, code in earlier
                        if any(p.search(code) for p in in_code)
                    ),
                    None,
                )
            if where:
                found.append(GiveAway(koan_id, node.lineno, text, where))
        earlier.append((k_fn.name, _code_without_docstrings(k_fn, koan_lesson.source)))
    return found


def loose_message_blanks(root: Path, chapters: list[str]) -> list[tuple[str, int]]:
    """(koan file, line) of each ``pytest.raises/warns(..., match=__)``: any message passes it.

    Message koans use ``kata.raises`` / ``kata.warns``, which refuse an answer
    that would match every message; plain pytest accepts ``match=""``.
    """
    found = []
    for chapter in chapters:
        for path in layout.lesson_files(root / layout.KOANS / chapter):
            for node in ast.walk(lessons.parse(path).tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "pytest"
                    and node.func.attr in ("raises", "warns")
                    and any(
                        k.arg == "match" and isinstance(k.value, ast.Name) and k.value.id == lessons.BLANK
                        for k in node.keywords
                    )
                ):
                    found.append((f"{layout.KOANS}/{chapter}/{path.name}", node.lineno))
    return found


def read_exceptions(path: Path = EXCEPTIONS_FILE) -> dict[str, str]:
    """{koan id: reason} from the reviewed exception list."""
    entries: dict[str, str] = {}
    if not path.is_file():
        return entries
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        koan_id, _, reason = line.partition("#")
        entries[koan_id.strip()] = reason.strip()
    return entries


@dataclass
class LintResult:
    give_aways: list[GiveAway]  # not excused
    excused: dict[str, str]  # koan id: reason, for flagged koans on the list
    stale: list[str]  # list entries that excuse nothing, or give no reason


def lint(root: Path, chapters: list[str], exceptions: dict[str, str] | None = None) -> LintResult:
    exceptions = read_exceptions() if exceptions is None else exceptions
    flagged: list[GiveAway] = []
    for chapter in chapters:
        for path in layout.lesson_files(root / layout.KOANS / chapter):
            flagged.extend(lesson_give_aways(root, path))
    ids = {g.koan_id for g in flagged}
    in_scope = [k for k in exceptions if k.split("/")[1:2] and k.split("/")[1] in chapters]
    return LintResult(
        give_aways=[g for g in flagged if g.koan_id not in exceptions],
        excused={k: exceptions[k] for k in in_scope if k in ids},
        stale=[k for k in in_scope if k not in ids or not exceptions[k]],
    )


def main(argv: list[str] | None = None) -> int:
    root = Path.cwd()
    args = argv if argv is not None else sys.argv[1:]
    chapters = [layout.chapter_arg(a, root) for a in args] or [c.name for c in layout.chapters(root / layout.KOANS)]
    result = lint(root, chapters)
    for g in result.give_aways:
        print(g.describe())
    for k in result.stale:
        print(f"{k}: on the teaching exception list, but not flagged (or no reason given): remove it")
    koans = sum(len(lessons.parse(p).koans) for c in chapters for p in layout.lesson_files(root / layout.KOANS / c))
    print(
        f"teaching lint: {len({g.koan_id for g in result.give_aways})} koan(s) give an answer away, "
        f"{len(result.excused)} excused, of {koans} koans in {len(chapters)} chapter(s)"
    )
    return 1 if result.give_aways or result.stale else 0


if __name__ == "__main__":
    sys.exit(main())
