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


def migrate(ids) -> set[str]:
    """Koan ids with any pre-renumbering chapter name replaced by its new one."""
    out = set()
    for koan in ids:
        tree, _, rest = koan.partition("/")
        chapter, sep, tail = rest.partition("/")
        out.add(f"{tree}/{RENAMED_CHAPTERS.get(chapter, chapter)}{sep}{tail}" if sep else koan)
    return out


def load(cache) -> set[str]:
    return migrate(cache.get(CACHE_KEY, [])) if cache is not None else set()


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


# -- the cache read and written from outside a pytest session (the command line) --------

HARDWARE_KEY = "kata/hardware"  # {marker: reason it cannot run here, "" when it can}
_CACHE_README = "# pytest cache directory #\n\nSee https://docs.pytest.org/en/stable/how-to/cache.html\n"


def cache_dir(root: Path) -> Path:
    """pytest's cache folder for this checkout (``cache_dir`` in pytest.ini, else .pytest_cache)."""
    import configparser

    ini = configparser.ConfigParser(interpolation=None)
    try:
        ini.read(root / "pytest.ini", encoding="utf-8")
        configured = ini.get("pytest", "cache_dir", fallback="").strip()
    except configparser.Error:
        configured = ""
    return root / (configured or ".pytest_cache")


def cache_value_path(root: Path, key: str) -> Path:
    """Where pytest's ``config.cache.set(key, ...)`` keeps a value: ``v/<key>`` as JSON."""
    return cache_dir(root) / "v" / key


def read_value(root: Path, key: str, default=None):
    import json

    try:
        return json.loads(cache_value_path(root, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def write_value(root: Path, key: str, value) -> None:
    """Write a cache value as pytest's Cache.set would, creating the cache folder if needed."""
    import json

    folder = cache_dir(root)
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "README.md").write_text(_CACHE_README, encoding="utf-8")
        (folder / ".gitignore").write_text("# Created by pytest automatically.\n*\n", encoding="utf-8")
        (folder / "CACHEDIR.TAG").write_bytes(
            b"Signature: 8a477f597d28d172789f06886806bc55\n"
            b"# This file is a cache directory tag created by pytest.\n")
    path = cache_value_path(root, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def read_solved(root: Path) -> set[str]:
    """The koans the learner's pytest runs recorded as solved."""
    value = read_value(root, CACHE_KEY, [])
    return migrate(value) if isinstance(value, list) else set()


def write_solved(root: Path, solved: set[str]) -> None:
    write_value(root, CACHE_KEY, sorted(solved))
