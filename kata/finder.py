"""Finding things on the path for the command line: the checkout, every koan, and the koan a learner names.

Everything is read from the koan files themselves (and from ``solutions/``
for a lesson file the learner deleted), without importing them, so these
commands answer in a fraction of a second and never need torch.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from kata import lessons, progress
from kata.lessons import CHAPTER_RE

HARDWARE_MARKERS = ("cuda", "multiprocess", "compiler")  # the plugin's markers for koans that need hardware
_FILE_MARK_RE = re.compile(r"^pytestmark\s*=.*\bpytest\.mark\.(cuda|multiprocess|compiler)\b", re.MULTILINE)
_DECORATOR_MARK_RE = re.compile(r"^@pytest\.mark\.(cuda|multiprocess|compiler)\b")


class UsageError(Exception):
    """A learner's mistake the command line explains in one message (exit status 2)."""


# -- the checkout -----------------------------------------------------------------------

def locate_root(start: Path | None = None) -> Path:
    """The kata's checkout at or above ``start``; UsageError when there is none, or koans/ is gone."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if not (folder / "kata").is_dir():
            continue
        if (folder / "koans").is_dir():
            return folder
        if (folder / "solutions").is_dir() or (folder / "pytest.ini").is_file():
            raise UsageError(
                f"the koans/ folder is missing from {folder}: it holds the koans you work on "
                "(in a git checkout, `git checkout -- koans` brings it back)")
    raise UsageError(
        f"{here} is not inside the kata's checkout: run this command in the folder that holds "
        "koans/ and kata/ (or below it)")


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
        return progress.koan_id("koans", self.chapter, self.file, self.name)

    @property
    def rel(self) -> str:
        return f"koans/{self.chapter}/{self.file}"

    @property
    def where(self) -> str:
        return f"{self.rel}:{self.line}"


def _defs(source: str) -> list[tuple[str, int, str | None]]:
    """(name, def line, hardware marker) of each koan in a lesson's source, syntax errors or not."""
    lines = source.splitlines()
    file_mark = _FILE_MARK_RE.search(source)
    out = []
    for i, text in enumerate(lines):
        m = re.match(r"def (test_\w+)", text)
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


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def index(root: Path) -> list[KoanRef]:
    """Every koan of the path in curriculum order: chapter, lesson file, then line.

    A lesson file (or a koan) the learner deleted still counts, read from its
    solution and flagged ``missing``, so that the path keeps its length.
    """
    refs: list[KoanRef] = []
    names = sorted({p.name for tree in ("koans", "solutions") for p in lessons.chapters(root / tree)})
    for chapter in names:
        files = sorted({p.name for tree in ("koans", "solutions")
                        for p in lessons.lesson_files(root / tree / chapter)})
        for file in files:
            mine = _read(root / "koans" / chapter / file)
            shipped = _read(root / "solutions" / chapter / file)
            have = _defs(mine) if mine is not None else []
            seen = {name for name, _, _ in have}
            refs.extend(KoanRef(chapter, file, n, line, mark) for n, line, mark in have)
            if shipped is not None:
                refs.extend(KoanRef(chapter, file, n, line, mark, missing=True)
                            for n, line, mark in _defs(shipped) if n not in seen)
    return refs


def hardware_status(root: Path) -> tuple[dict[str, str], str]:
    """({marker: why it cannot run here, "" when it can}, where that knowledge comes from).

    The answer recorded by the last ``kata progress --run`` wins; otherwise a
    cheap look at the installed torch build, without importing it.
    """
    recorded = progress.read_value(root, progress.HARDWARE_KEY)
    if isinstance(recorded, dict) and all(isinstance(v, str) for v in recorded.values()):
        return {m: recorded.get(m, "") for m in HARDWARE_MARKERS}, "recorded by the last `kata progress --run`"
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.origin:
        reason = "needs torch, which is not installed"
        return {m: reason for m in HARDWARE_MARKERS}, "torch is not installed"
    version = _read(Path(spec.origin).parent / "version.py") or ""
    builds = [m[2] for m in re.finditer(r"^(cuda|hip)\s*(?::[^=]*)?=\s*(.+)$", version, re.MULTILINE)]
    has_gpu_build = any(b.strip() not in ("None", "") for b in builds)
    has_device = any(Path(p).exists() for p in ("/dev/nvidia0", "/dev/nvidiactl", "/dev/kfd"))
    cuda = "" if has_gpu_build and has_device else (
        "needs a CUDA GPU" + ("" if has_gpu_build else ": this torch build has no CUDA"))
    import shutil

    compiler = "" if any(shutil.which(c) for c in ("g++", "c++", "clang++")) else "needs a C++ compiler"
    return {"cuda": cuda, "multiprocess": "", "compiler": compiler}, "guessed from the torch build (`kata progress --run` checks)"


def skipped_here(ref: KoanRef, missing_hw: dict[str, str]) -> bool:
    return bool(ref.hardware and missing_hw.get(ref.hardware))


def current(refs: list[KoanRef], solved: set[str], missing_hw: dict[str, str]) -> KoanRef | None:
    """The koan to work on: the first in curriculum order not solved, and runnable here."""
    return next((r for r in refs if r.id not in solved and not skipped_here(r, missing_hw)), None)


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
            return f"koans/{self.chapter}"
        if self.kind == "file":
            return f"koans/{self.chapter}/{self.file}"
        return self.koans[0].id


def _strip_tree(text: str, root: Path) -> str:
    text = text.strip().replace("\\", "/")
    if "::" in text:
        path, _, name = text.partition("::")
        return _strip_tree(path, root) + "::" + name
    p = Path(text)
    if p.is_absolute() or text.startswith("."):
        try:
            text = p.resolve().relative_to(root).as_posix()
        except ValueError:
            pass
    text = text.strip("/")
    for tree in ("koans/", "solutions/"):
        if text.startswith(tree):
            return text[len(tree):]
    return "" if text in ("koans", "solutions") else text


def resolve(refs: list[KoanRef], query: str, root: Path,
            kinds: tuple[str, ...] = ("koan", "file", "chapter")) -> Target:
    """The koan, lesson file or chapter a learner names; UsageError listing close matches if none."""
    q = _strip_tree(query, root)
    chapters = list(dict.fromkeys(r.chapter for r in refs))
    files = list(dict.fromkeys((r.chapter, r.file) for r in refs))
    if "chapter" in kinds:
        hit = [c for c in chapters if q == c or (q.isdigit() and c.startswith(q.zfill(2) + "_"))]
        if len(hit) == 1:
            return Target("chapter", hit[0], None, [r for r in refs if r.chapter == hit[0]])
    if "::" in q:
        path, _, name = q.partition("::")
        found = [r for r in refs if r.name == name and _path_matches(r, path)]
    else:
        found = [r for r in refs if r.name == q] if "koan" in kinds else []
        if not found and "file" in kinds:
            hit = [f for f in files if _path_matches_file(f, q)]
            if len(hit) == 1:
                c, f = hit[0]
                return Target("file", c, f, [r for r in refs if (r.chapter, r.file) == hit[0]])
            if len(hit) > 1:
                raise UsageError(f"{query!r} names more than one lesson file; say which:\n"
                                 + "\n".join(f"  koans/{c}/{f}" for c, f in hit))
    if "koan" in kinds and len(found) == 1:
        r = found[0]
        return Target("koan", r.chapter, r.file, [r])
    if len(found) > 1:
        raise UsageError(f"{query!r} names more than one koan; name one as listed here:\n"
                         + "\n".join(f"  {r.id}" for r in found))
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
            candidates.setdefault(r.chapter, f"koans/{r.chapter}")
    low = q.lower()
    contains = [c for c in candidates if low and low in c.lower()] if len(low) >= 3 else []
    close = contains + difflib.get_close_matches(q, list(candidates), n=5, cutoff=0.6)
    shown = list(dict.fromkeys(candidates[c] for c in close))[:5]
    message = f"no {what} named {query!r} on the path"
    if shown:
        return message + "; did you mean:\n" + "\n".join(f"  {s}" for s in shown)
    return message + " (`kata progress` lists the chapters)"


def chapter_names(root: Path) -> list[str]:
    return [p.name for p in lessons.chapters(root / "koans") if CHAPTER_RE.match(p.name)]


# -- where a koan's source lines are ----------------------------------------------------------

def koan_regions(source: str, name: str) -> list[tuple[int, int]] | None:
    """1-based inclusive line ranges of a koan: its function, then any module-level helper
    whose blanks belong to it alone.  A file that does not parse still gives the function,
    from its ``def`` line to the line before the next top-level statement.  None if absent.
    """
    try:
        lesson = lessons.parse_source(Path("<koan>"), source)
    except (SyntaxError, ValueError):
        lesson = None
    if lesson is not None:
        koan = lesson.koan(name)
        if koan is None:
            return None
        return [(start, end) for start, end, _ in koan.regions]
    lines = source.splitlines()
    start = next((i for i, t in enumerate(lines) if re.match(rf"def {re.escape(name)}\b", t)), None)
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
