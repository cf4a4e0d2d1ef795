"""The learner's state in pytest's cache: solved koans, the hardware found missing, the
chapter of the latest run.

A solved mark is the learner's koan id with the signature of the code that
passed (``kata.state.marks``); a koan counts as solved while its code is still
that code.  Runs read, merge and write the marks under a file lock
(``filelock``), mark by mark as koans pass, so two runs at once keep each
other's marks and a run killed midway keeps those it wrote.

Inside a pytest session the plugin uses pytest's public Cache API
(``config.cache.get``/``set``).  The ``kata`` commands run outside any pytest
session, and pytest offers no public way to open a checkout's cache without
building a whole pytest ``Config`` (a second or more with the plugins, on every
``kata hint``).  So the readers below know where ``Cache.set`` puts a value:
``<cache_dir>/v/<key>``, as JSON, ``cache_dir`` from pytest.ini (default
``.pytest_cache``).  ``tests/test_cli_progress.py`` checks, in both directions,
that pytest and this reader agree; if a pytest release moves its cache, that
test fails.
"""

from __future__ import annotations

import configparser
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from kata.layout import RENAMED_CHAPTERS, migrate
from kata.state.marks import file_signatures

SOLVED_KEY = "kata/solved"  # {learner's koan id: signature of the code that passed}
HARDWARE_KEY = "kata/hardware"  # {marker: reason it cannot run here, "" when it can}
LATEST_KEY = "kata/latest"  # {"chapter": the chapter of the learner's latest run}
_CACHE_README = "# pytest cache directory #\n\nSee https://docs.pytest.org/en/stable/how-to/cache.html\n"
_LOCK_WAIT_S = 10.0  # a run holds the lock for one read and one write: milliseconds
_READ_TRIES = 25  # half a second of a writer's time

Marks = dict[str, str]


class PytestCache(Protocol):
    """The part of pytest's ``Cache`` the plugin uses (``config.cache``)."""

    def get(self, key: str, default: Any) -> Any: ...

    def set(self, key: str, value: object) -> None: ...


def marks_of(value: object) -> Marks:
    """Solved marks as stored; a list (before signatures) holds ids whose code is not known."""
    if isinstance(value, dict):
        marks = {k: v for k, v in value.items() if isinstance(v, str)}
        # Ids from before the renumbering (rare): renamed one by one; the rest as they are.
        old = [k for k in marks if k.partition("/")[2].partition("/")[0] in RENAMED_CHAPTERS]
        for k in old:
            marks[next(iter(migrate([k])))] = marks.pop(k)
        return marks
    if isinstance(value, list):
        return dict.fromkeys(migrate(v for v in value if isinstance(v, str)), "")
    return {}


@contextmanager
def locked(lock: Path) -> Iterator[None]:
    """Hold the marks' lock: two runs at once each read, merge and write in turn.  A lock not
    had in ``_LOCK_WAIT_S`` (a stuck run) is gone without: a mark may be lost, nothing hangs."""
    # Imported here: filelock costs tens of milliseconds, and the commands that only read
    # (kata hint, kata progress) do without it.
    from filelock import FileLock
    from filelock import Timeout as FileLockTimeout

    held: FileLock | None = None
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        held = FileLock(lock, timeout=_LOCK_WAIT_S)
        held.acquire()
    except (FileLockTimeout, OSError):
        held = None
    try:
        yield
    finally:
        if held is not None:
            held.release()


def merge(cache: PytestCache, lock: Path, passed: Marks, dropped: set[str]) -> Marks:
    """Read the marks, add ``passed``, remove ``dropped``, write them back, under the lock;
    what is stored now.  Marks another run wrote meanwhile are kept."""
    with locked(lock):
        marks = marks_of(cache.get(SOLVED_KEY, {}))
        for koan in dropped:
            marks.pop(koan, None)
        marks.update(passed)
        if passed or dropped:
            cache.set(SOLVED_KEY, dict(sorted(marks.items())))
        return marks


# -- inside pytest: its Cache API -----------------------------------------------------------


def plugin_lock(cache: Any) -> Path:
    """The marks' lock inside pytest: ``<cache_dir>/d/kata/solved.lock`` (``Cache.mkdir``)."""
    return Path(cache.mkdir("kata")) / "solved.lock"


# -- outside pytest: the command line -------------------------------------------------------


def cache_dir(root: Path) -> Path:
    """pytest's cache folder for this checkout (``cache_dir`` in pytest.ini, else .pytest_cache)."""
    ini = configparser.ConfigParser(interpolation=None)
    try:
        ini.read(root / "pytest.ini", encoding="utf-8")
        configured = ini.get("pytest", "cache_dir", fallback="").strip()
    except configparser.Error:
        configured = ""
    # As pytest resolves it (_pytest.pathlib.resolve_from_str, private; importing pytest would cost the
    # ~0.1 s commands most of their time): ~ and $VARS expanded, a relative path taken from the root.
    return root / os.path.expandvars(os.path.expanduser(configured or ".pytest_cache"))


def value_path(root: Path, key: str) -> Path:
    """Where pytest's ``config.cache.set(key, ...)`` keeps a value: ``v/<key>`` as JSON."""
    return cache_dir(root) / "v" / key


def read_value(root: Path, key: str, default: Any = None) -> Any:
    try:
        return json.loads(value_path(root, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def write_value(root: Path, key: str, value: object) -> None:
    """Write a cache value as pytest's Cache.set would, creating the cache folder if needed."""
    folder = cache_dir(root)
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "README.md").write_text(_CACHE_README, encoding="utf-8")
        (folder / ".gitignore").write_text("# Created by pytest automatically.\n*\n", encoding="utf-8")
        (folder / "CACHEDIR.TAG").write_bytes(
            b"Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by pytest.\n"
        )
    path = value_path(root, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


class DirCache:
    """pytest's cache of a checkout read and written from outside pytest (``PytestCache``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, key: str, default: Any) -> Any:
        return read_value(self.root, key, default)

    def set(self, key: str, value: object) -> None:
        write_value(self.root, key, value)


def lock_path(root: Path) -> Path:
    """Where ``plugin_lock`` is, for this checkout."""
    return cache_dir(root) / "d" / "kata" / "solved.lock"


def read_marks(root: Path) -> Marks:
    """The marks as stored.  Read without the lock: pytest's ``Cache.set`` writes in place, so a
    read that meets a half-written file (not JSON) waits a moment and reads again."""
    path = value_path(root, SOLVED_KEY)
    for _ in range(_READ_TRIES):
        try:
            return marks_of(json.loads(path.read_text(encoding="utf-8")))
        except OSError:
            return {}
        except ValueError:
            time.sleep(0.02)
    return {}


def valid(root: Path, marks: Marks) -> set[str]:
    """The marked koans whose code is still the code that passed (a mark without a signature,
    from before signatures, holds while the koan is in its file)."""
    by_file: dict[str, list[tuple[str, str, str]]] = {}
    for koan, signature in marks.items():
        rel, _, name = koan.partition("::")
        by_file.setdefault(rel, []).append((koan, name, signature))
    out: set[str] = set()
    base = os.fspath(root)
    for rel, koans in by_file.items():
        now = file_signatures(os.path.join(base, rel))
        out.update(koan for koan, name, signature in koans if name in now and signature in ("", now[name]))
    return out


def read_solved(root: Path) -> set[str]:
    """The learner's koan ids their pytest runs recorded as passing, for the code as it is now."""
    return valid(root, read_marks(root))


def signature_of(root: Path, koan: str) -> str:
    rel, _, name = koan.partition("::")
    return file_signatures(root / rel).get(name, "")


def write_solved(root: Path, solved: set[str]) -> None:
    """Make ``solved`` the marked koans: a mark kept keeps its signature, a new one is for the
    code as it is now."""
    with locked(lock_path(root)):
        marks = marks_of(read_value(root, SOLVED_KEY, {}))
        kept = {k: marks[k] if k in marks else signature_of(root, k) for k in solved}
        write_value(root, SOLVED_KEY, dict(sorted(kept.items())))


def read_latest_chapter(root: Path) -> str | None:
    value = read_value(root, LATEST_KEY)
    chapter = value.get("chapter") if isinstance(value, dict) else None
    return chapter if isinstance(chapter, str) else None
