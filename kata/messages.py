"""``kata.raises`` and ``kata.warns``: ``pytest.raises``/``pytest.warns`` for message koans, strict about the answer.

A message koan asks for the part of an error message that takes understanding::

    with raises(RuntimeError, match=__):
        ...

With plain ``pytest.raises``, ``match=""``, ``match=".*"`` or ``match=None``
passes any such koan, and a wrong pattern is reported at the line that raised,
with the real message to copy.  This wrapper is ``pytest.raises`` (the public
API does the catching and the type check) plus three rules:

* ``match=__`` unfilled is a blank, reported as "fill in the blank";
* a pattern that would match any message is refused, and the learner is told
  why: ``None``, a non-string, or a pattern that matches the empty string or
  every one of a few unrelated one-character messages (``"."``, ``"\\S"``);
* a pattern that does not match fails as a wrong answer at the ``with`` line,
  the line that holds the blank, and shows the message to think again about.
"""

from __future__ import annotations

import re
from types import TracebackType

import pytest

from kata.blank import BlankError, __

__all__ = ["MatchesAnything", "raises", "warns"]

# A pattern that matches all of these, or the empty string, fits any message.
_UNRELATED = ("a", "Z", "0", " ", ".")


class MatchesAnything(AssertionError):
    """The answer to a message koan would match every message."""


def matches_anything(pattern: str) -> bool:
    compiled = re.compile(pattern)
    return compiled.search("") is not None or all(compiled.search(s) for s in _UNRELATED)


def checked_pattern(match: object) -> str:
    """The learner's answer to a message koan, refused if unfilled or if it would match anything."""
    if match is __:
        raise BlankError("the message pattern (match=__)")
    if not isinstance(match, str):
        raise MatchesAnything(f"match={match!r}: a message koan needs a piece of the message, as a string")
    if matches_anything(match):
        raise MatchesAnything(
            f"match={match!r} would match any message; name the part of the message that says what went wrong"
        )
    return match


class raises:  # noqa: N801 - named and used like pytest.raises
    """Context manager: the block must raise ``expected`` with a message that ``match`` finds."""

    def __init__(self, expected: type[BaseException] | tuple[type[BaseException], ...], *, match: object) -> None:
        self.pattern = checked_pattern(match)
        self._raises = pytest.raises(expected)
        self.info: pytest.ExceptionInfo[BaseException] | None = None

    def __enter__(self) -> pytest.ExceptionInfo[BaseException]:
        self.info = self._raises.__enter__()
        return self.info

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> bool:
        # pytest.raises fails on no exception and lets a wrong type through.
        handled = self._raises.__exit__(kind, value, tb)
        if handled and value is not None and not re.search(self.pattern, str(value)):
            message = str(value).strip()
            raise AssertionError(
                f"the pattern {self.pattern!r} is not in the message of {type(value).__name__}:\n{message}"
            ) from None
        return bool(handled)


class warns:  # noqa: N801 - named and used like pytest.warns
    """Context manager: the block must warn ``expected`` with a message that ``match`` finds."""

    def __init__(self, expected: type[Warning] | tuple[type[Warning], ...], *, match: object) -> None:
        self.pattern = checked_pattern(match)
        self.expected = expected
        self._warns = pytest.warns(expected)

    def __enter__(self) -> object:
        return self._warns.__enter__()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self._warns.__exit__(kind, value, tb)  # fails when no warning of the class came
        if kind is not None:
            return
        messages = [str(w.message) for w in self._warns if issubclass(w.category, self.expected)]
        if not any(re.search(self.pattern, m) for m in messages):
            raise AssertionError(
                f"the pattern {self.pattern!r} is in no message of the warnings caught:\n" + "\n".join(messages)
            )
