"""Reading koan files (``source``) and the path's index of every koan (``index``).

``kata.lessons.source`` is the single rule for what a koan is and how its
lesson, hint and blanks are read; ``kata.lessons.index`` lists the path as
shipped and resolves the names a learner types.  Neither imports a koan file.
"""

from kata.lessons.source import (
    BLANK,
    Blank,
    Koan,
    Lesson,
    answers,
    defs,
    is_koan,
    koan_regions,
    parse,
    parse_cached,
    parse_source,
    split_docstring,
)

__all__ = [
    "BLANK",
    "Blank",
    "Koan",
    "Lesson",
    "answers",
    "defs",
    "is_koan",
    "koan_regions",
    "parse",
    "parse_cached",
    "parse_source",
    "split_docstring",
]
