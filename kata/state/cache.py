"""The learner's state in pytest's cache: solved koans, and the hardware found missing.

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
from pathlib import Path
from typing import Any, Protocol

from kata.layout import migrate

SOLVED_KEY = "kata/solved"
HARDWARE_KEY = "kata/hardware"  # {marker: reason it cannot run here, "" when it can}
_CACHE_README = "# pytest cache directory #\n\nSee https://docs.pytest.org/en/stable/how-to/cache.html\n"


class PytestCache(Protocol):
    """The part of pytest's ``Cache`` the plugin uses (``config.cache``)."""

    def get(self, key: str, default: Any) -> Any: ...

    def set(self, key: str, value: object) -> None: ...


# -- inside pytest: its Cache API -----------------------------------------------------------


def load(cache: PytestCache | None) -> set[str]:
    value = cache.get(SOLVED_KEY, []) if cache is not None else []
    return migrate(value) if isinstance(value, list) else set()


def store(cache: PytestCache | None, solved: set[str]) -> None:
    if cache is not None:
        cache.set(SOLVED_KEY, sorted(solved))


# -- outside pytest: the command line -------------------------------------------------------


def cache_dir(root: Path) -> Path:
    """pytest's cache folder for this checkout (``cache_dir`` in pytest.ini, else .pytest_cache)."""
    ini = configparser.ConfigParser(interpolation=None)
    try:
        ini.read(root / "pytest.ini", encoding="utf-8")
        configured = ini.get("pytest", "cache_dir", fallback="").strip()
    except configparser.Error:
        configured = ""
    return root / (configured or ".pytest_cache")


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


def read_solved(root: Path) -> set[str]:
    """The koans the learner's pytest runs recorded as solved."""
    value = read_value(root, SOLVED_KEY, [])
    return migrate(value) if isinstance(value, list) else set()


def write_solved(root: Path, solved: set[str]) -> None:
    write_value(root, SOLVED_KEY, sorted(solved))
