"""The static rules: mirrored files, koan = solution with blanks, lessons and hints."""

from kata.dev import static


def problems(kata, chapters=None):
    return [str(p) for p in static.check(kata.root, chapters).problems]


def test_a_faithful_pair_has_no_problems(kata, koan_source):
    kata.pair("01_arith", "test_01_add.py", *koan_source)
    result = static.check(kata.root)
    assert result.problems == []
    assert (result.koans, result.chapters) == (2, ["01_arith"])


def test_a_solution_changing_more_than_the_blank_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, solution.replace("Two and two", "Two plus two"))
    assert any("line differs" in p for p in problems(kata))


def test_an_answer_on_another_line_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, solution.replace("2 + 2 == 4", "2 + 2 == (\n        4)"))
    assert any("each answer must stand on its blank's line" in p for p in problems(kata))


def test_a_solution_that_still_has_a_blank_is_caught(kata, koan_source):
    koan, _ = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, koan)
    assert any("solution still has a blank" in p for p in problems(kata))


def test_a_koan_without_hint_or_blank_is_caught(kata, koan_source):
    koan, solution = koan_source
    koan = koan.replace("Hint: a square.", "").replace("3 * 3 == __", "3 * 3 == 9")
    solution = solution.replace("Hint: a square.", "")
    kata.pair("01_arith", "test_01_add.py", koan, solution)
    found = problems(kata)
    assert any("test_three_times_three: no `Hint:`" in p for p in found)
    assert any("test_three_times_three: no blank" in p for p in found)


def test_a_blank_at_module_level_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", koan + "\nLIMIT = __\n", solution + "\nLIMIT = 3\n")
    assert any("blank outside any function" in p for p in problems(kata))


def test_files_and_koans_must_mirror(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, solution)
    kata.lesson("koans", "01_arith", "test_02_more.py", koan)
    kata.lesson("solutions", "02_other", "test_01_x.py", solution)
    found = problems(kata)
    assert any("test_02_more.py: has no counterpart" in p for p in found)
    assert any("solutions/02_other: chapter has no counterpart" in p for p in found)


def test_renamed_koan_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, solution.replace("test_three_times_three", "test_nine"))
    assert any("koans differ from the solution's" in p for p in problems(kata))


def test_badly_named_chapters_and_lessons_are_caught(kata, koan_source):
    kata.pair("arith", "test_01_add.py", *koan_source)
    kata.pair("01_arith", "test_add.py", *koan_source)
    found = problems(kata)
    assert any("chapter folders are named NN_topic" in p for p in found)
    assert any("lesson files are named test_NN_topic.py" in p for p in found)
