"""A solved mark holds for the code that passed: each koan's signature, and the skips a learner added.

A koan's signature is a hash of its own lines (its decorators, ``def`` and body)
and of every line of its file outside any koan (imports, helpers, module
constants).  Editing another koan leaves it as it was; editing this koan, or
anything it may use, changes it, and the mark recorded for the old code no
longer counts (it counts again if the edit is undone).  The file is read as
text, so a file that does not parse has signatures too, and nothing is
imported: ``kata progress`` validates every mark in a few milliseconds.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

from kata.lessons.source import defs

# A pytest construct that skips or expects to fail: a koan that uses one its solution does not
# use was skipped by the learner, not by the machine.
_SKIP_RE = re.compile(r"\b(?:skip|skipif|importorskip|xfail)\b")
_CONTINUATION = (")", "]", "}")


def spans(source: str) -> dict[str, tuple[int, int]]:
    """Each koan's lines as 0-based [first, last): its decorators, its ``def``, its body up to
    the next top-level statement (comments and blank lines before that go with it)."""
    lines = source.splitlines()
    top = [
        i
        for i, text in enumerate(lines)
        if text and not text[0].isspace() and not text.startswith(("#", *_CONTINUATION))
    ]
    out: dict[str, tuple[int, int]] = {}
    for name, line, _ in defs(source):
        first = line - 1
        while first > 0 and lines[first - 1].startswith("@"):
            first -= 1
        after = bisect.bisect_right(top, line - 1)
        out.setdefault(name, (first, top[after] if after < len(top) else len(lines)))
    return out


def signatures(source: str) -> dict[str, str]:
    """``{koan name: signature}`` for every koan of a lesson's source."""
    lines = source.splitlines()
    found = spans(source)
    inside = bytearray(len(lines))
    for first, end in found.values():
        inside[first:end] = b"\1" * (end - first)
    outside = hashlib.sha1("\n".join(t for t, i in zip(lines, inside, strict=True) if not i).encode())
    shared = outside.hexdigest().encode()
    return {
        name: hashlib.sha1("\n".join(lines[first:end]).encode() + b"\0" + shared).hexdigest()[:16]
        for name, (first, end) in found.items()
    }


@lru_cache(maxsize=512)
def _file_signatures(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as f:
            return signatures(f.read())
    except (OSError, UnicodeDecodeError):
        return {}


def file_signatures(path: Path | str) -> dict[str, str]:
    """``signatures`` of a file as it is now; empty when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return {}
    return _file_signatures(os.fspath(path), st.st_mtime_ns, st.st_size)


def added_skips(mine: str, solution: str, name: str) -> list[tuple[int, str]]:
    """(1-based line, text) of the skip constructs in the learner's koan ``name`` (and in the
    lines of its file outside any koan) that the solution does not have: the learner's own
    ``pytest.skip()``, ``@pytest.mark.skip`` or ``xfail``.  Empty when the skip is the
    solution's too (a koan that skips where its machine lacks something)."""
    mine_lines, theirs_lines = mine.splitlines(), solution.splitlines()
    mine_spans, theirs_spans = spans(mine), spans(solution)

    def regions(lines: list[str], found: dict[str, tuple[int, int]]) -> tuple[list[int], list[int]]:
        own = list(range(*found[name])) if name in found else []
        inside = {i for first, end in found.values() for i in range(first, end)}
        return own, [i for i in range(len(lines)) if i not in inside]

    out: list[tuple[int, str]] = []
    for mine_region, theirs_region in zip(
        regions(mine_lines, mine_spans), regions(theirs_lines, theirs_spans), strict=True
    ):
        theirs_texts = [theirs_lines[i].strip() for i in theirs_region if _SKIP_RE.search(theirs_lines[i])]
        for i in mine_region:
            text = mine_lines[i].strip()
            if _SKIP_RE.search(mine_lines[i]) and not text.startswith("#"):
                if text in theirs_texts:
                    theirs_texts.remove(text)
                else:
                    out.append((i + 1, text))
    return out
