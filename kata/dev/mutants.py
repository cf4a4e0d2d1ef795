"""``python -m kata mutants``: does a plausible wrong answer fail each koan?

For every answer in ``solutions/`` that is a literal a learner could get
slightly wrong (a number, a bool, a shape, a dtype, an exception class), this
writes a *mutant* solution with that answer nudged (``3`` -> ``4``, ``True`` ->
``False``, ``(2, 3)`` -> ``(2, 4)``, ``torch.float32`` -> ``torch.float64``,
``RuntimeError`` -> ``ValueError``) and runs it.
A mutant that passes is a koan whose blank does not decide its result.

Each koan is its own test, so one mutant per koan can share a file: round k
nudges the k-th answer of every koan into its own copy of the files it
touches (``r1/solutions/...``, ``r2/solutions/...``), and one pytest run takes
every round at once.  Answers that are code or text (calls, strings) are left
alone: there is no single plausible wrong version of them.
"""

from __future__ import annotations

import ast
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kata import layout, lessons
from kata.dev import static
from kata.layout import KOANS, SOLUTIONS
from kata.runs.child import run_pytest
from kata.runs.record import fold

DTYPE_SWAPS = {
    "float32": "float64",
    "float": "float64",
    "float64": "float32",
    "double": "float32",
    "float16": "bfloat16",
    "half": "bfloat16",
    "bfloat16": "float16",
    "int64": "int32",
    "long": "int32",
    "int32": "int64",
    "int": "int64",
    "int16": "int32",
    "int8": "uint8",
    "uint8": "int8",
    "bool": "uint8",
    "complex64": "complex128",
    "complex128": "complex64",
}

# Another exception (or warning) class a learner might name instead.
CLASS_SWAPS = {
    "RuntimeError": "ValueError",
    "ValueError": "RuntimeError",
    "TypeError": "ValueError",
    "IndexError": "ValueError",
    "KeyError": "IndexError",
    "NotImplementedError": "RuntimeError",
    "AssertionError": "RuntimeError",
    "AttributeError": "TypeError",
    "StopIteration": "RuntimeError",
    "ZeroDivisionError": "ValueError",
    "UserWarning": "DeprecationWarning",
    "DeprecationWarning": "FutureWarning",
    "FutureWarning": "DeprecationWarning",
}


@dataclass
class Mutant:
    chapter: str
    file: str
    koan: str
    line: int
    answer: str
    wrong: str
    col: int
    end_col: int

    @property
    def id(self) -> str:
        return layout.koan_id(SOLUTIONS, self.chapter, self.file, self.koan)


def nudge(node: ast.expr, text: str) -> str | None:
    """A plausible wrong version of the answer ``text`` (parsed as ``node``), or None."""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            return repr(not v)
        if isinstance(v, int):
            return repr(v + 1)
        if isinstance(v, float):
            return repr(v + 1.0) if v in (0.0, -1.0) else repr(v * 2)
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        v = node.operand.value
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return repr(-v + 1)
        return None
    if isinstance(node, (ast.Tuple, ast.List)):
        # Nudge the last element that can be nudged: (2, 3) -> (2, 4), [1.0, 2.0] -> [1.0, 4.0].
        for element in reversed(node.elts):
            wrong = nudge(element, ast.unparse(element))
            if wrong is not None:
                rebuilt = [ast.unparse(e) if e is not element else wrong for e in node.elts]
                if isinstance(node, ast.Tuple):
                    return "(" + ", ".join(rebuilt) + ("," if len(rebuilt) == 1 else "") + ")"
                return "[" + ", ".join(rebuilt) + "]"
        return None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "torch":
        swap = DTYPE_SWAPS.get(node.attr)
        return f"torch.{swap}" if swap else None
    if isinstance(node, ast.Name) and node.id in CLASS_SWAPS:
        return CLASS_SWAPS[node.id]
    return None


def mutants(root: Path, chapters: list[str]) -> list[list[Mutant]]:
    """Every koan's mutants, in its answers' order: one list per koan."""
    per_koan = []
    for chapter in chapters:
        for kpath in layout.lesson_files(root / KOANS / chapter):
            spath = root / SOLUTIONS / chapter / kpath.name
            koan_lesson, solution_lesson = lessons.parse(kpath), lessons.parse(spath)
            source = solution_lesson.source
            for k_fn, s_fn in zip(_functions(koan_lesson.tree), _functions(solution_lesson.tree), strict=True):
                koan = koan_lesson.koan(k_fn.name)
                if koan is None:
                    continue
                found = lessons.answers(k_fn, s_fn)
                ms = []
                for node in found:
                    text = ast.get_source_segment(source, node) or ""
                    wrong = nudge(node, text)
                    if wrong is not None and node.lineno == node.end_lineno and node.end_col_offset is not None:
                        ms.append(
                            Mutant(
                                chapter,
                                kpath.name,
                                _owner(koan_lesson, node.lineno, k_fn.name),
                                node.lineno,
                                text,
                                wrong,
                                node.col_offset,
                                node.end_col_offset,
                            )
                        )
                if ms:
                    per_koan.append(ms)
    return _merge_helpers(per_koan)


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The koans of a lesson's tree, by ``lessons.is_koan``."""
    return [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and lessons.is_koan(n)]


def _owner(lesson: lessons.Lesson, line: int, fallback: str) -> str:
    """The koan whose blank stands at ``line`` (a helper's blank belongs to the koan naming it)."""
    for k in lesson.koans:
        if any(b.line == line for b in k.blanks):
            return k.name
    return fallback


def _merge_helpers(per_function: list[list[Mutant]]) -> list[list[Mutant]]:
    by_koan: dict[str, list[Mutant]] = {}
    for ms in per_function:
        for m in ms:
            by_koan.setdefault(m.id, []).append(m)
    return list(by_koan.values())


def write_round(root: Path, work: Path, chosen: list[Mutant]) -> list[str]:
    """Copy the solutions of the files ``chosen`` touches under ``work``, with the mutants applied."""
    by_file: dict[tuple[str, str], list[Mutant]] = {}
    for m in chosen:
        by_file.setdefault((m.chapter, m.file), []).append(m)
    targets = []
    for (chapter, file), ms in by_file.items():
        lines = (root / SOLUTIONS / chapter / file).read_text(encoding="utf-8").splitlines(keepends=True)
        for m in sorted(ms, key=lambda m: (m.line, m.col), reverse=True):
            raw = lines[m.line - 1].encode("utf-8")
            lines[m.line - 1] = (raw[: m.col] + m.wrong.encode("utf-8") + raw[m.end_col :]).decode("utf-8")
        out = work / SOLUTIONS / chapter / file
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(lines), encoding="utf-8")
        targets.append(str(out))
    return targets


@dataclass
class Result:
    koans: int  # koans with at least one nudged answer
    killed: int
    survivors: list[Mutant]
    unverified: int  # skipped here (missing hardware)
    broken: str = ""  # pytest's output when a round could not run


def check(root: Path, chapters: list[str], workers: str = "auto") -> Result:
    per_koan = mutants(root, chapters)
    result = Result(len(per_koan), 0, [], 0)
    rounds = [[ms[k] for ms in per_koan if len(ms) > k] for k in range(max(map(len, per_koan), default=0))]
    if not rounds:
        return result
    with tempfile.TemporaryDirectory(prefix="kata-mutants-") as tmp:
        work = Path(tmp)
        for name in ("pytest.ini", "conftest.py"):
            shutil.copy(root / name, work / name)
        (work / "kata").symlink_to(root / "kata", target_is_directory=True)
        targets = [t for k, chosen in enumerate(rounds, start=1) for t in write_round(root, work / f"r{k}", chosen)]
        run = run_pytest(work, [str(Path(t).relative_to(work)) for t in targets], workers, extra=["--tb=no"])
    if run.broke:
        result.broken = run.output_tail
        return result
    outcomes = fold(run.records).outcomes
    for k, chosen in enumerate(rounds, start=1):
        for m in chosen:
            found = outcomes.get(f"r{k}/{m.id}")
            o = found.outcome if found is not None else "missing"
            if o == "failed":
                result.killed += 1
            elif o == "skipped":
                result.unverified += 1
            else:
                result.survivors.append(m)
    return result


def describe(m: Mutant) -> str:
    return f"{layout.lesson_rel(SOLUTIONS, m.chapter, m.file)}:{m.line} {m.koan}: {m.answer} -> {m.wrong} still passes"


def run(root: Path, chapters: list[str] | None = None, workers: str = "auto", out: TextIO = sys.stdout) -> int:
    checked = static.check(root, chapters)
    if checked.problems:
        print("kata mutants: fix the problems `python -m kata verify --static` reports first", file=out)
        return 2
    result = check(root, checked.chapters, workers)
    if result.broken:
        print(f"kata mutants: pytest broke:\n{result.broken}", file=out)
        return 2
    for m in result.survivors:
        print(f"  {describe(m)}", file=out)
    print(
        f"kata mutants: {result.killed} killed, {len(result.survivors)} survived, "
        f"{result.unverified} unverified (skipped here), in {result.koans} koans "
        f"({checked.koans - result.koans} koans have only code or text answers)",
        file=out,
    )
    return 1 if result.survivors else 0
