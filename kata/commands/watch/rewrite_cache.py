"""The one place the watch reaches into pytest's private internals: the assertion rewriter.

Why: pytest keeps a lesson file's assertion-rewritten code in ``__pycache__``,
but not where bytecode writing is off (PYTHONDONTWRITEBYTECODE, read-only
checkouts), and there rewriting the chapter's asserts is the biggest cost of a
warm run.  pytest has no public hook to serve rewritten code, so each forked
child wraps ``_pytest.assertion.rewrite._rewrite_test(fn, config) -> (stat,
code)`` to serve what the parent remembered from earlier runs.

``tests/test_watch.py::test_the_rewrite_cache_adapter_still_fits_pytest`` fails
loudly when a pytest release changes that function; the watch itself falls back
to pytest's own rewriting (``install`` raises, the child goes on without it).
"""

from __future__ import annotations

import base64
import marshal
import os
from collections.abc import Callable
from types import CodeType
from typing import Any

Key = tuple[str, int, int]  # (path, mtime_ns, size)
# (pytest's source hash, or None where pytest wants a stat; the marshalled code)
Memo = tuple[bytes | None, bytes]

# In the parent: {(path, mtime_ns, size): memo}, kept across runs.
_rewritten: dict[Key, Memo] = {}


def install() -> dict[Key, Memo]:
    """In the child: serve rewritten lesson code from the parent's memo; the dict it fills
    with the code rewritten fresh in this run.  ImportError or AttributeError when this
    pytest has no such function (the child then rewrites as usual)."""
    from _pytest.assertion import rewrite

    original: Callable[[Any, Any], tuple[Any, CodeType]] = rewrite._rewrite_test
    fresh: dict[Key, Memo] = {}

    def rewrite_test(fn: Any, config: Any) -> tuple[Any, CodeType]:
        st = os.stat(fn)
        key = (str(fn), st.st_mtime_ns, st.st_size)
        memo = _rewritten.get(key)
        if memo is not None:
            source_hash, data = memo
            return (st if source_hash is None else source_hash), marshal.loads(data)
        first, co = original(fn, config)
        fresh[key] = (first if isinstance(first, bytes) else None, marshal.dumps(co))
        return first, co

    rewrite._rewrite_test = rewrite_test
    return fresh


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


def export(fresh: dict[Key, Memo]) -> list[list[Any]]:
    """The child's fresh rewrites as JSON for the pipe to the parent."""
    return [[*key, _b64(source_hash), _b64(data)] for key, (source_hash, data) in fresh.items()]


def keep(items: list[list[Any]]) -> None:
    """In the parent: remember a child's fresh rewrites, the newest version of each file only."""
    for path, mtime, size, source_hash, data in items:
        for key in [k for k in _rewritten if k[0] == path]:
            del _rewritten[key]
        _rewritten[(path, mtime, size)] = (
            None if source_hash is None else base64.b64decode(source_hash),
            base64.b64decode(data),
        )
