"""The path's index: every koan of the path as shipped, and the koan a learner names.

The path is what ``solutions/`` ships: its chapters, lesson files and koans,
in curriculum order.  Each koan is placed in the learner's ``koans/`` file
where it still is there; a lesson file (or a koan) the learner deleted or
renamed still counts, flagged ``missing``, and a file the learner added is no
part of the path.  Everything is read from the files as text (``lessons.defs``),
without importing them, so these answers cost a fraction of a second and
never need torch.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from kata import layout
from kata.layout import KOANS, SOLUTIONS, UsageError
from kata.lessons.source import defs

# -- every koan of the path -----------------------------------------------------------------


@dataclass
class KoanRef:
    chapter: str
    file: str
    name: str
    line: int  # the ``def`` line in the learner's file (in the solution's when the koan is missing)
    hardware: str | None  # "cuda" / "multiprocess" when the koan needs hardware
    missing: bool = False  # the learner's koans/ file (or this koan in it) is gone

    @property
    def id(self) -> str:
        return layout.koan_id(KOANS, self.chapter, self.file, self.name)

    @property
    def rel(self) -> str:
        return layout.lesson_rel(KOANS, self.chapter, self.file)

    @property
    def where(self) -> str:
        return f"{self.rel}:{self.line}"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def shipped_tree(root: Path) -> str:
    """The tree that defines the path: ``solutions/``; ``koans/`` only where a learner's
    checkout has lost its solutions (then the learner's own files are all there is)."""
    return SOLUTIONS if layout.chapters(root / SOLUTIONS) else KOANS


def index(root: Path) -> list[KoanRef]:
    """Every koan of the path as shipped, in curriculum order: chapter, lesson file, then
    the order of the shipped file; each placed at its line in the learner's file."""
    refs: list[KoanRef] = []
    shipped_root = root / shipped_tree(root)
    for chapter_dir in layout.chapters(shipped_root):
        chapter = chapter_dir.name
        for shipped_path in layout.lesson_files(chapter_dir):
            file = shipped_path.name
            shipped = _read(shipped_path) or ""
            mine = _read(root / KOANS / chapter / file)
            lines = {n: line for n, line, _ in defs(mine)} if mine is not None else {}
            for name, line, mark in defs(shipped):
                here = lines.get(name)
                refs.append(KoanRef(chapter, file, name, here or line, mark, missing=here is None))
    return refs


# -- what a learner names ----------------------------------------------------------------


@dataclass
class Target:
    kind: str  # "koan" | "file" | "chapter"
    chapter: str
    file: str | None
    koans: list[KoanRef]

    @property
    def label(self) -> str:
        if self.kind == "chapter":
            return layout.lesson_rel(KOANS, self.chapter)
        if self.kind == "file":
            return layout.lesson_rel(KOANS, self.chapter, self.file)
        return self.koans[0].id


def resolve(
    refs: list[KoanRef], query: str, root: Path, kinds: tuple[str, ...] = ("koan", "file", "chapter")
) -> Target:
    """The koan, lesson file or chapter a learner names; UsageError listing close matches if none."""
    q = layout.strip_tree(query, root)
    chapters = list(dict.fromkeys(r.chapter for r in refs))
    files = list(dict.fromkeys((r.chapter, r.file) for r in refs))
    if "chapter" in kinds:
        name = layout.chapter_arg(query, root) if q and "::" not in q and q.count("/") == 0 else None
        hit = [c for c in chapters if name == c]
        if len(hit) == 1:
            return Target("chapter", hit[0], None, [r for r in refs if r.chapter == hit[0]])
    if "::" in q:
        path, _, name = q.partition("::")
        found = [r for r in refs if r.name == name and _path_matches(r, path)]
    else:
        found = [r for r in refs if r.name == q] if "koan" in kinds else []
        if not found and "file" in kinds:
            file_hits = [f for f in files if _path_matches_file(f, q)]
            if len(file_hits) == 1:
                c, f = file_hits[0]
                return Target("file", c, f, [r for r in refs if (r.chapter, r.file) == file_hits[0]])
            if len(file_hits) > 1:
                raise UsageError(
                    f"{query!r} names more than one lesson file; say which:\n"
                    + "\n".join(f"  {layout.lesson_rel(KOANS, c, f)}" for c, f in file_hits)
                )
    if "koan" in kinds and len(found) == 1:
        r = found[0]
        return Target("koan", r.chapter, r.file, [r])
    if len(found) > 1:
        raise UsageError(
            f"{query!r} names more than one koan; name one as listed here:\n" + "\n".join(f"  {r.id}" for r in found)
        )
    raise UsageError(_unknown(query, q, refs, kinds))


def _path_matches_file(f: tuple[str, str], q: str) -> bool:
    chapter, file = f
    return q in (file, f"{chapter}/{file}", file.removesuffix(".py"), f"{chapter}/{file.removesuffix('.py')}")


def _path_matches(r: KoanRef, path: str) -> bool:
    return _path_matches_file((r.chapter, r.file), path)


def _unknown(query: str, q: str, refs: list[KoanRef], kinds: tuple[str, ...]) -> str:
    words = [{"koan": "koan", "file": "lesson file", "chapter": "chapter"}[k] for k in kinds]
    what = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    candidates: dict[str, str] = {}
    if "koan" in kinds:
        for r in refs:
            candidates.setdefault(r.name, r.id)
            candidates.setdefault(f"{r.chapter}/{r.file}::{r.name}", r.id)
            candidates.setdefault(f"{r.file}::{r.name}", r.id)
    if "file" in kinds:
        for r in refs:
            candidates.setdefault(r.file, r.rel)
            candidates.setdefault(f"{r.chapter}/{r.file}", r.rel)
    if "chapter" in kinds:
        for r in refs:
            candidates.setdefault(r.chapter, layout.lesson_rel(KOANS, r.chapter))
    low = q.lower()
    contains = [c for c in candidates if low and low in c.lower()] if len(low) >= 3 else []
    close = contains + difflib.get_close_matches(q, list(candidates), n=5, cutoff=0.6)
    shown = list(dict.fromkeys(candidates[c] for c in close))[:5]
    message = f"no {what} named {query!r} on the path"
    if shown:
        return message + "; did you mean:\n" + "\n".join(f"  {s}" for s in shown)
    return message + " (`kata progress` lists the chapters)"
