"""Progress along the path: the one counter, and the koan the learner is on.

Both pytest's progress line (the learner plugin) and ``kata progress`` count
with ``count``, over the path as shipped (``kata.lessons.index``): a koan the
learner deleted still counts, unsolved; a lesson file the learner renamed
keeps its koans (found by name in the chapter's other files); a test the
learner added is no koan.  A koan is solved while its latest pass holds for
its code (``kata.state.marks``).  ``position`` answers, once for every command,
which koan the learner is on: the first unsolved one from the chapter of their
latest run on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kata import layout
from kata.layout import KOANS
from kata.lessons.index import KoanRef, index
from kata.lessons.source import defs
from kata.state import cache, hardware

BAR_WIDTH = 24

# What a hardware marker's koans need, as the progress line names it.
NEEDS = {"cuda": "a CUDA GPU", "multiprocess": "torch.distributed with gloo", "compiler": "a C++ compiler"}

Moved = dict[str, tuple[str, int]]  # shipped koan id -> (learner's file, line) where it is now


@dataclass
class ChapterCount:
    chapter: str
    solved: int = 0
    total: int = 0
    skipped: int = 0  # not solved, and cannot run here (missing hardware)
    lacking: dict[str, int] = field(default_factory=dict)  # marker -> of ``skipped``, how many need it

    @property
    def reachable(self) -> int:
        """The koans this machine can run (and those solved elsewhere)."""
        return self.total - self.skipped


def learner_id(ref: KoanRef, moved: Moved | None = None) -> str:
    """The id the learner's runs mark ``ref`` under: its shipped file, or the one it moved to."""
    where = (moved or {}).get(ref.id)
    return ref.id if where is None else layout.koan_id(KOANS, ref.chapter, where[0], ref.name)


def count(
    refs: list[KoanRef], solved: set[str], missing_hw: dict[str, str] | None = None, moved: Moved | None = None
) -> list[ChapterCount]:
    """Solved / total (/ skipped for missing hardware) per chapter of the path as shipped;
    ``solved`` holds the learner's koan ids (``learner_id``)."""
    out: dict[str, ChapterCount] = {}
    for r in refs:
        row = out.setdefault(r.chapter, ChapterCount(r.chapter))
        row.total += 1
        if learner_id(r, moved) in solved:
            row.solved += 1
        elif missing_hw is not None and r.hardware and not hardware.runs_here(r.hardware, missing_hw):
            row.skipped += 1
            row.lacking[r.hardware] = row.lacking.get(r.hardware, 0) + 1
    return list(out.values())


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    # Rounded down: the bar is full only when every koan is solved.
    filled = width * done // total if total else 0
    return "[" + "#" * filled + "." * (width - filled) + "]"


def lacking_text(lacking: dict[str, int]) -> str:
    """``1 needs a CUDA GPU it lacks`` (or, for several kinds, each with its count)."""
    n = sum(lacking.values())
    verb = "needs" if n == 1 else "need"
    if len(lacking) == 1:
        (marker,) = lacking
        return f"{n} {verb} {NEEDS.get(marker, marker + ' hardware')} it lacks"
    parts = ", ".join(f"{k} {NEEDS.get(m, m + ' hardware')}" for m, k in sorted(lacking.items()))
    return f"{n} {verb} what it lacks ({parts})"


def count_text(c: ChapterCount) -> str:
    if not c.skipped:
        return f"{c.solved:>4}/{c.total} koans"
    return f"{c.solved:>4}/{c.reachable} koans this machine can run ({c.total} in all; {lacking_text(c.lacking)})"


def lines(counts: list[ChapterCount], chapter: str | None) -> list[str]:
    """The learner's progress line: this chapter, then the whole path; each bar over the koans
    this machine can run, those it cannot said apart."""
    whole = total_of(counts)
    out = []
    here = next((c for c in counts if c.chapter == chapter), None)
    if here is not None:
        out.append(f"{here.chapter:<20} {bar(here.solved, here.reachable)} {count_text(here)}")
    out.append(f"{'the whole path':<20} {bar(whole.solved, whole.reachable)} {count_text(whole)}")
    return out


def total_of(counts: list[ChapterCount]) -> ChapterCount:
    whole = ChapterCount("the whole path")
    for c in counts:
        whole.solved += c.solved
        whole.total += c.total
        whole.skipped += c.skipped
        for m, k in c.lacking.items():
            whole.lacking[m] = whole.lacking.get(m, 0) + k
    return whole


def relocate(root: Path, refs: list[KoanRef]) -> Moved:
    """Koans missing from their shipped file but defined, under the same name, in exactly one
    other lesson file of the learner's chapter (a renamed or split file): where they are now."""
    missing: dict[str, dict[str, KoanRef]] = {}
    for r in refs:
        if r.missing:
            missing.setdefault(r.chapter, {})[r.name] = r
    shipped = {(r.chapter, r.file, r.name) for r in refs}
    moved: Moved = {}
    for chapter, by_name in missing.items():
        found: dict[str, list[tuple[str, int]]] = {}
        for path in layout.lesson_files(root / KOANS / chapter):
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for name, line, _ in defs(source):
                if name in by_name and (chapter, path.name, name) not in shipped:
                    found.setdefault(name, []).append((path.name, line))
        for name, places in found.items():
            if len(places) == 1:
                moved[by_name[name].id] = places[0]
    return moved


@dataclass
class Position:
    """Where the learner stands: the path, what they solved, what this machine lacks."""

    root: Path
    refs: list[KoanRef]
    marks: cache.Marks  # the solved marks as stored; a mark counts while it holds for the code
    missing_hw: dict[str, str]
    hw_source: str  # where the hardware facts come from, for the learner
    moved: Moved = field(default_factory=dict)
    latest_chapter: str | None = None  # the chapter of the learner's latest run
    _by_place: dict[tuple[str, str, str], KoanRef] | None = field(default=None, init=False, repr=False)

    @property
    def solved(self) -> set[str]:
        """The learner's koan ids whose latest pass holds for their code as it is now."""
        return cache.valid(self.root, self.marks)

    def runs_here(self, ref: KoanRef) -> bool:
        return hardware.runs_here(ref.hardware, self.missing_hw)

    def is_solved(self, ref: KoanRef) -> bool:
        # Checked koan by koan: `kata hint` reads the files of the koans up to the one it shows.
        koan = learner_id(ref, self.moved)
        return koan in self.marks and bool(cache.valid(self.root, {koan: self.marks[koan]}))

    def where(self, ref: KoanRef) -> str:
        """``file:line`` of the koan in the learner's tree, where they will find it."""
        moved = self.moved.get(ref.id)
        return ref.where if moved is None else f"{layout.lesson_rel(KOANS, ref.chapter, moved[0])}:{moved[1]}"

    def missing(self, ref: KoanRef) -> bool:
        return ref.missing and ref.id not in self.moved

    def koan(self, chapter: str, file: str, name: str) -> KoanRef | None:
        """The koan of the path a test of the learner's ``koans/CHAPTER/FILE`` is, if any."""
        if self._by_place is None:
            self._by_place = {}
            for r in self.refs:
                moved = self.moved.get(r.id)
                self._by_place[(r.chapter, moved[0] if moved else r.file, r.name)] = r
        return self._by_place.get((chapter, file, name))

    def first_unsolved(self, refs: list[KoanRef] | None = None) -> KoanRef | None:
        """The koan to work on (among ``refs``, default the path): the first in curriculum
        order not solved, and runnable here."""
        return next((r for r in (self.refs if refs is None else refs) if self.todo(r)), None)

    def todo(self, ref: KoanRef) -> bool:
        return not self.is_solved(ref) and self.runs_here(ref)

    def from_latest(self) -> list[KoanRef]:
        """The path from the chapter of the learner's latest run on, then the chapters before it."""
        at = next((i for i, r in enumerate(self.refs) if r.chapter == self.latest_chapter), 0)
        return self.refs[at:] + self.refs[:at]

    @property
    def current(self) -> KoanRef | None:
        """The koan the learner is on: the first unsolved one from their latest chapter on."""
        return self.first_unsolved(self.from_latest())

    def counts(self) -> list[ChapterCount]:
        return count(self.refs, self.solved, self.missing_hw, self.moved)


def position(
    root: Path,
    marks: cache.Marks | None = None,
    missing_hw: tuple[dict[str, str], str] | None = None,
    latest_chapter: str | None = None,
) -> Position:
    """The learner's position, read from the files and pytest's cache (never imports torch).
    ``marks``, ``missing_hw`` and ``latest_chapter``: what a pytest run already knows."""
    missing, source = missing_hw if missing_hw is not None else hardware.status(root)
    refs = index(root)
    stored = cache.read_marks(root) if marks is None else marks
    latest = latest_chapter if latest_chapter is not None else cache.read_latest_chapter(root)
    return Position(root, refs, stored, missing, source, relocate(root, refs), latest)
