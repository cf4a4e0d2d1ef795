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

# In the parent: {(path, mtime_ns, size): marshalled code}, kept across runs.
_rewritten: dict[Key, bytes] = {}


def install() -> dict[Key, bytes]:
    """In the child: serve rewritten lesson code from the parent's memo; the dict it fills
    with the code rewritten fresh in this run.  ImportError or AttributeError when this
    pytest has no such function (the child then rewrites as usual)."""
    from _pytest.assertion import rewrite

    original: Callable[[Any, Any], tuple[os.stat_result, CodeType]] = rewrite._rewrite_test
    fresh: dict[Key, bytes] = {}

    def rewrite_test(fn: Any, config: Any) -> tuple[os.stat_result, CodeType]:
        st = os.stat(fn)
        key = (str(fn), st.st_mtime_ns, st.st_size)
        data = _rewritten.get(key)
        if data is not None:
            return st, marshal.loads(data)
        st, co = original(fn, config)
        fresh[key] = marshal.dumps(co)
        return st, co

    rewrite._rewrite_test = rewrite_test
    return fresh


def export(fresh: dict[Key, bytes]) -> list[list[Any]]:
    """The child's fresh rewrites as JSON for the pipe to the parent."""
    return [[*key, base64.b64encode(data).decode()] for key, data in fresh.items()]


def keep(items: list[list[Any]]) -> None:
    """In the parent: remember a child's fresh rewrites, the newest version of each file only."""
    for path, mtime, size, data in items:
        for key in [k for k in _rewritten if k[0] == path]:
            del _rewritten[key]
        _rewritten[(path, mtime, size)] = base64.b64decode(data)
