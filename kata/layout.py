"""The on-disk contract of a kata checkout: the one module that spells it.

A checkout holds two trees, ``koans/`` (what the learner edits) and
``solutions/`` (the path as shipped), each a list of chapter folders
``NN_topic/`` of lesson files ``test_NN_subtopic.py``.  A koan is named by its
id, ``TREE/CHAPTER/FILE::NAME``.  The hardware markers a lesson may carry, the
chapters renamed by a renumbering and the ways a learner may name a chapter on
the command line are facts of the same contract, and are defined here too.

Nothing here imports more than the standard library: every ``kata`` command
and every learner's pytest start reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

KOANS = "koans"
SOLUTIONS = "solutions"
TREES = (KOANS, SOLUTIONS)

CHAPTER_RE = re.compile(r"^\d\d_[a-z0-9_]+$")
LESSON_RE = re.compile(r"^test_\d\d_[a-z0-9_]+\.py$")
LESSON_GLOB = "test_*.py"

# The hardware a koan may need, as pytest markers (``pytestmark = pytest.mark.cuda``):
# the plugin registers them from here, the index reads them from the files.
HARDWARE_MARKERS: dict[str, str] = {
    "cuda": "needs a CUDA GPU; skipped unless torch.cuda.is_available()",
    "multiprocess": "spawns a gloo process group; skipped unless torch.distributed with gloo is available",
    "compiler": "needs a C++ compiler (Inductor's C++ code, cpp_extension); skipped when none is found",
}

# The path was renumbered once (0.2.0) to make room for new chapters; solved
# marks recorded under an old chapter name still count under its new one.
RENAMED_CHAPTERS = {
    "03_autograd": "06_autograd",
    "04_inplace": "07_inplace",
    "05_hooks": "08_hooks",
    "06_custom_functions": "09_custom_functions",
    "07_torch_func": "10_torch_func",
    "08_modules": "11_modules",
    "09_layers": "12_layers",
    "10_losses": "13_losses",
    "11_optim": "15_optim",
    "12_data": "16_data",
    "13_attention": "17_attention",
    "14_training": "18_training",
    "15_precision": "19_precision",
    "16_performance": "21_performance",
    "17_fx": "22_fx",
    "18_compile": "23_compile",
    "19_export": "24_export",
    "20_dispatch": "25_dispatch",
    "21_distributed": "28_distributed",
    "22_cuda_memory": "29_cuda_memory",
    "23_cuda_execution": "30_cuda_execution",
}


class UsageError(Exception):
    """A learner's mistake the command line explains in one message (exit status 2)."""


# -- koan ids and relative paths -----------------------------------------------------------


def lesson_rel(tree: str, chapter: str, file: str | None = None) -> str:
    """``TREE/CHAPTER`` or ``TREE/CHAPTER/FILE``, as the learner reads it."""
    return f"{tree}/{chapter}" if file is None else f"{tree}/{chapter}/{file}"


def koan_id(tree: str, chapter: str, file: str, name: str) -> str:
    return f"{lesson_rel(tree, chapter, file)}::{name}"


def migrate(ids: Iterable[str]) -> set[str]:
    """Koan ids with any pre-renumbering chapter name replaced by its new one."""
    out = set()
    for koan in ids:
        tree, _, rest = koan.partition("/")
        chapter, sep, tail = rest.partition("/")
        out.add(f"{tree}/{RENAMED_CHAPTERS.get(chapter, chapter)}{sep}{tail}" if sep else koan)
    return out


# -- the folders ----------------------------------------------------------------------------


def chapters(tree: Path) -> list[Path]:
    """Chapter folders of ``koans/`` or ``solutions/``, in curriculum order."""
    if not tree.is_dir():
        return []
    return sorted(p for p in tree.iterdir() if p.is_dir() and CHAPTER_RE.match(p.name))


def lesson_files(chapter: Path) -> list[Path]:
    """Lesson files of a chapter folder, in curriculum order."""
    return sorted(p for p in chapter.glob(LESSON_GLOB) if p.is_file())


def place(path: Path | str, root: Path) -> tuple[str, str] | None:
    """(tree, chapter) when ``path`` is a lesson file of the path, else None."""
    try:
        rel = Path(path).resolve().relative_to(root)
    except ValueError:
        return None
    parts = rel.parts
    if len(parts) == 3 and parts[0] in TREES and CHAPTER_RE.match(parts[1]):
        return parts[0], parts[1]
    return None


def locate_root(start: Path | None = None) -> Path:
    """The kata's checkout at or above ``start``; UsageError when there is none, or koans/ is gone."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if not (folder / "kata").is_dir():
            continue
        if (folder / KOANS).is_dir():
            return folder
        if (folder / SOLUTIONS).is_dir() or (folder / "pytest.ini").is_file():
            raise UsageError(
                f"the {KOANS}/ folder is missing from {folder}: it holds the koans you work on "
                f"(in a git checkout, `git checkout -- {KOANS}` brings it back)"
            )
    raise UsageError(
        f"{here} is not inside the kata's checkout: run this command in the folder that holds "
        f"{KOANS}/ and kata/ (or below it)"
    )


# -- what a learner types -------------------------------------------------------------------


def strip_tree(text: str, root: Path) -> str:
    """A name the learner typed, relative to the trees: ``koans/02_strides/test_01_x.py::k``,
    ``solutions/02_strides``, an absolute path or ``./koans/...`` lose their tree prefix."""
    text = text.strip().replace("\\", "/")
    if "::" in text:
        path, _, name = text.partition("::")
        return strip_tree(path, root) + "::" + name
    p = Path(text)
    if p.is_absolute() or text.startswith("."):
        try:
            text = p.resolve().relative_to(root).as_posix()
        except ValueError:
            pass
    text = text.strip("/")
    for tree in TREES:
        if text.startswith(tree + "/"):
            return text[len(tree) + 1 :]
    return "" if text in TREES else text


def chapter_arg(text: str, root: Path) -> str:
    """The chapter a command-line argument names: ``02_strides``, ``koans/02_strides``,
    ``solutions/02_strides``, a path inside it, or its number (``2``, ``02``) when a folder
    has it.  Every command reads its chapter arguments through this one function; whether the
    chapter exists is the command's to say."""
    rest = strip_tree(text, root).partition("::")[0]
    name = rest.split("/")[0]
    if name.isdigit():
        numbered = sorted(
            {p.name for tree in TREES for p in chapters(root / tree) if p.name.startswith(name.zfill(2) + "_")}
        )
        if len(numbered) == 1:
            return numbered[0]
    if not name:
        raise UsageError(f"{text!r} names no chapter (say e.g. 02_strides or koans/02_strides)")
    return name
