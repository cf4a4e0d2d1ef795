"""Reading koan files: lessons, hints, blanks and which blanks a failure reached."""

import textwrap
from pathlib import Path

from kata import layout, lessons
from kata.lessons.index import index as path_index

SOURCE = textwrap.dedent('''
    """A lesson."""
    from kata import __

    LIMIT = 3


    def on_rank_send(rank, world_size):
        return rank * __


    def test_first():
        """Lesson one.

        Hint: think.
        """
        x = __
        assert x == 1


    def test_uses_helper(ranks):
        """Lesson two spans
        two lines.

        Hint: the helper
        holds the blank.
        """
        assert ranks(on_rank_send) == [0, 1]


    def test_no_docstring():
        assert 1 == __
''').lstrip()


def parsed():
    return lessons.parse_source(Path("/k/koans/01_x/test_01_y.py"), SOURCE)


def test_koans_are_the_test_functions_in_file_order():
    assert [k.name for k in parsed().koans] == ["test_first", "test_uses_helper", "test_no_docstring"]


def test_docstring_splits_into_lesson_and_hint():
    first, second, third = parsed().koans
    assert (first.lesson, first.hint) == ("Lesson one.", "think.")
    assert (second.lesson, second.hint) == ("Lesson two spans two lines.", "the helper holds the blank.")
    assert (third.has_docstring, third.lesson, third.hint) == (False, "", "")


def test_a_koan_owns_the_blanks_of_the_helper_it_names():
    first, second, _ = parsed().koans
    assert [b.line for b in first.blanks] == [16]
    assert [b.line for b in second.blanks] == [8]


def test_blank_columns_locate_the_blank():
    blank = parsed().koans[0].blanks[0]
    assert SOURCE.splitlines()[blank.line - 1][blank.col : blank.end_col] == "__"


def test_reached_blanks_are_those_at_or_above_a_frame_in_their_function():
    first, second, _ = parsed().koans
    here = str(first.path)
    assert first.reached_blanks([(here, 15)]) == []
    assert [b.line for b in first.reached_blanks([(here, 17)])] == [16]
    assert first.reached_blanks([("/elsewhere.py", 17)]) == []
    # A remote frame inside the helper reaches the helper's blank.
    assert [b.line for b in second.reached_blanks([(here, 8)])] == [8]


def test_module_level_and_orphan_blanks_are_reported():
    source = "from kata import __\nX = __\n\ndef helper():\n    return __\n"
    lesson = lessons.parse_source(Path("/k/a.py"), source)
    assert [b.line for b in lesson.module_blanks] == [2]
    assert [(name, b.line) for name, b in lesson.orphan_blanks] == [("helper", 5)]


def test_fast_koan_names_match_the_parsed_ones(tmp_path):
    path = tmp_path / "test_01_y.py"
    path.write_text(SOURCE)
    assert [name for name, _, _ in lessons.defs(path.read_text())] == [k.name for k in parsed().koans]


def test_chapter_files_are_recognised_under_koans_and_solutions(tmp_path):
    assert layout.place(tmp_path / "koans/01_x/test_01_y.py", tmp_path) == ("koans", "01_x")
    assert layout.place(tmp_path / "solutions/02_y/test_01_y.py", tmp_path) == ("solutions", "02_y")
    assert layout.place(tmp_path / "tests/test_x.py", tmp_path) is None
    assert layout.place(tmp_path / "koans/misc/test_x.py", tmp_path) is None


def test_a_blank_on_a_later_line_of_a_multiline_statement_is_reached():
    source = textwrap.dedent('''
        from kata import __


        def test_multiline():
            """Lesson.

            Hint: h.
            """
            assert [1, 2] == [
                1, __]
            later = __
    ''').lstrip()
    koan = lessons.parse_source(Path("/k/a.py"), source).koans[0]
    # Python reports a failing multi-line assert at its first line (9).
    assert [b.line for b in koan.reached_blanks([("/k/a.py", 9)])] == [10]


# -- curriculum order: the learner's run follows the path's index, within each file too --------------

# Four koans per file whose order in the file is no sort of their names (neither forward nor backward),
# so a run ordered by name, by node id or by pytest-randomly's shuffle cannot pass for the file's order.
_IN_FILE = ["test_zebra", "test_apple", "test_mango", "test_banana"]
_ORDER_SEEDS = (1, 2, 3)


def _solved_lesson(names: list[str]) -> str:
    return '"""Solved koans, in an order no name sort gives."""\n\nfrom kata import __\n' + "".join(
        f'\n\ndef {name}():\n    """{name}.\n\n    Hint: none.\n    """\n    assert {i} == {i}\n'
        for i, name in enumerate(names)
    )


def _passed_in_order(result) -> list[str]:
    return [line.split(" ")[0] for line in result.outlines if line.endswith(" PASSED") or " PASSED " in line]


def test_koans_run_in_curriculum_order_within_each_file_even_when_shuffled(kata, pytester):
    # Two chapters of two files each; solutions/ holds the same files, so the index is the shipped order.
    for chapter in ("01_a", "02_b"):
        for file, names in (("test_01_x.py", _IN_FILE), ("test_02_y.py", _IN_FILE[::-1])):
            kata.pair(chapter, file, _solved_lesson(names), _solved_lesson(names))
    expected = [ref.id for ref in path_index(kata.root)]
    assert len(expected) == 16
    assert expected[:4] == [f"koans/01_a/test_01_x.py::{n}" for n in _IN_FILE]
    assert expected != sorted(expected)

    shuffled_somewhere = False
    for seed in _ORDER_SEEDS:
        args = ["koans", "-p", "randomly", f"--randomly-seed={seed}", "-v", "-p", "no:cacheprovider"]
        ran = _passed_in_order(pytester.runpytest_subprocess(*args))
        assert ran == expected, f"seed {seed}"
        # The same run without the kata's plugin (--noconftest: the root conftest registers it) is shuffled:
        # pytest-randomly is active, so the order above is the plugin's doing and not a quiet shuffle.
        plain = _passed_in_order(pytester.runpytest_subprocess(*args, "--noconftest"))
        assert sorted(plain) == sorted(expected), f"seed {seed}"
        shuffled_somewhere |= plain != expected
    assert shuffled_somewhere
