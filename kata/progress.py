"""Progress along the path: which koans the learner has solved.

Outcomes are kept in pytest's own cache (``.pytest_cache``), keyed by koan id,
so that a run of one chapter still knows what earlier runs solved.  The path's
size comes from the koan files themselves, read without importing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kata import lessons

CACHE_KEY = "kata/solved"
BAR_WIDTH = 24


def koan_id(tree: str, chapter: str, file: str, name: str) -> str:
    return f"{tree}/{chapter}/{file}::{name}"


def load(cache) -> set[str]:
    return set(cache.get(CACHE_KEY, [])) if cache is not None else set()


def store(cache, solved: set[str]) -> None:
    if cache is not None:
        cache.set(CACHE_KEY, sorted(solved))


@dataclass
class ChapterCount:
    chapter: str
    solved: int
    total: int


def count(root: Path, tree: str, solved: set[str]) -> list[ChapterCount]:
    counts = []
    for chapter in lessons.chapters(root / tree):
        ids = [koan_id(tree, chapter.name, f.name, name)
               for f in lessons.lesson_files(chapter) for name in lessons.koan_names_fast(f)]
        counts.append(ChapterCount(chapter.name, sum(i in solved for i in ids), len(ids)))
    return counts


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    filled = round(width * done / total) if total else 0
    return "[" + "#" * filled + "." * (width - filled) + "]"


def lines(counts: list[ChapterCount], chapter: str | None) -> list[str]:
    """The learner's progress line: this chapter, then the whole path."""
    total = sum(c.total for c in counts)
    done = sum(c.solved for c in counts)
    out = []
    here = next((c for c in counts if c.chapter == chapter), None)
    if here is not None:
        out.append(f"{here.chapter:<20} {bar(here.solved, here.total)} {here.solved:>4}/{here.total} koans")
    out.append(f"{'the whole path':<20} {bar(done, total)} {done:>4}/{total} koans")
    return out
