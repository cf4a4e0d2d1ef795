"""Progress along the path: the one counter, and the koan the learner is on.

Both pytest's progress line (the learner plugin) and ``kata progress`` count
with ``count``, over the path as shipped (``kata.lessons.index``): a lesson
file the learner deleted or renamed still counts, with its koans unsolved,
and one the learner added counts not at all, so the two can never disagree.
``position`` answers, once for every command, which koan the learner is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kata import layout
from kata.layout import KOANS
from kata.lessons.index import KoanRef, index
from kata.state import cache, hardware

BAR_WIDTH = 24


@dataclass
class ChapterCount:
    chapter: str
    solved: int = 0
    total: int = 0
    skipped: int = 0  # not solved, and cannot run here (missing hardware)


def count(
    refs: list[KoanRef], solved: set[str], missing_hw: dict[str, str] | None = None, tree: str = KOANS
) -> list[ChapterCount]:
    """Solved / total (/ skipped for missing hardware) per chapter of the path as shipped.
    ``tree`` is the tree whose ids ``solved`` holds (a maintainer's run of ``solutions/``)."""
    out: dict[str, ChapterCount] = {}
    for r in refs:
        row = out.setdefault(r.chapter, ChapterCount(r.chapter))
        row.total += 1
        if layout.koan_id(tree, r.chapter, r.file, r.name) in solved:
            row.solved += 1
        elif missing_hw is not None and not hardware.runs_here(r.hardware, missing_hw):
            row.skipped += 1
    return list(out.values())


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


@dataclass
class Position:
    """Where the learner stands: the path, what they solved, what this machine lacks."""

    refs: list[KoanRef]
    solved: set[str]
    missing_hw: dict[str, str]
    hw_source: str  # where the hardware facts come from, for the learner

    def runs_here(self, ref: KoanRef) -> bool:
        return hardware.runs_here(ref.hardware, self.missing_hw)

    def first_unsolved(self, refs: list[KoanRef] | None = None) -> KoanRef | None:
        """The koan to work on (among ``refs``, default the path): the first in curriculum
        order not solved, and runnable here."""
        return next(
            (r for r in (self.refs if refs is None else refs) if r.id not in self.solved and self.runs_here(r)), None
        )

    @property
    def current(self) -> KoanRef | None:
        return self.first_unsolved()

    def counts(self) -> list[ChapterCount]:
        return count(self.refs, self.solved, self.missing_hw)


def position(root: Path) -> Position:
    """The learner's position, read from the files and pytest's cache (never imports torch)."""
    missing_hw, source = hardware.status(root)
    return Position(index(root), cache.read_solved(root), missing_hw, source)
