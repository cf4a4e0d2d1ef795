"""The static rules: mirrored files, koan = solution with blanks, lessons and hints.

Each test asserts the exact list of problems, in the order ``static.check`` reports them: a rule that
stops firing, fires twice, or fires at another line fails here.
"""

from kata.dev import static

FILE = "test_01_add.py"
K = "koans/01_arith/test_01_add.py"
S = "solutions/01_arith/test_01_add.py"


def problems(kata, chapters=None):
    return [str(p) for p in static.check(kata.root, chapters).problems]


def test_a_faithful_pair_has_no_problems(kata, koan_source):
    kata.pair("01_arith", FILE, *koan_source)
    result = static.check(kata.root)
    assert result.problems == []
    assert (result.koans, result.chapters) == (2, ["01_arith"])


def test_a_solution_changing_more_than_the_blank_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", FILE, koan, solution.replace("Two and two", "Two plus two"))
    assert problems(kata) == [
        f"{S}:7: line differs from its koan's, which has no blank",
        f"{S}:7: differs from its koan file by more than the blanks' answers",
    ]


def test_a_solution_changing_a_blank_line_beyond_the_blank_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", FILE, koan, solution.replace("assert 2 + 2 == 4", "assert 2 * 2 == 4"))
    assert problems(kata) == [
        f"{S}:11: line differs from its koan's by more than the blank's answer",
        f"{S}:11: differs from its koan file by more than the blanks' answers",
    ]


def test_an_answer_on_another_line_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", FILE, koan, solution.replace("2 + 2 == 4", "2 + 2 == (\n        4)"))
    assert problems(kata) == [f"{S}: has 20 lines, its koan file 19: each answer must stand on its blank's line"]


def test_a_solution_that_still_has_a_blank_is_caught(kata, koan_source):
    koan, _ = koan_source
    kata.pair("01_arith", FILE, koan, koan)
    assert problems(kata) == [
        f"{S}:11: solution still has a blank",
        f"{S}:19: solution still has a blank",
        f"{S}:11: an answer is empty",
        f"{S}:19: an answer is empty",
    ]


def test_a_koan_without_hint_or_blank_is_caught(kata, koan_source):
    koan, solution = koan_source
    koan = koan.replace("Hint: a square.", "").replace("3 * 3 == __", "3 * 3 == 9")
    solution = solution.replace("Hint: a square.", "")
    kata.pair("01_arith", FILE, koan, solution)
    assert problems(kata) == [
        f"{K}::test_three_times_three: no `Hint:` paragraph at the end of its docstring",
        f"{K}::test_three_times_three: no blank to fill in",
    ]


def test_a_koan_without_a_docstring_is_caught(kata, koan_source):
    koan, solution = koan_source
    docstring = '    """Three threes make nine.\n\n    Hint: a square.\n    """\n'
    kata.pair("01_arith", FILE, koan.replace(docstring, ""), solution.replace(docstring, ""))
    assert problems(kata) == [
        f"{K}::test_three_times_three: no docstring stating the lesson",
        f"{K}::test_three_times_three: no `Hint:` paragraph at the end of its docstring",
    ]


def test_a_blank_at_module_level_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", FILE, koan + "\nLIMIT = __\n", solution + "\nLIMIT = 3\n")
    assert problems(kata) == [f"{K}:21: blank outside any function (it would run at import)"]


def test_a_blank_in_a_helper_no_koan_names_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair(
        "01_arith", FILE, koan + "\n\ndef helper():\n    return __\n", solution + "\n\ndef helper():\n    return 1\n"
    )
    assert problems(kata) == [f"{K}:23: blank in helper helper() that is not named by exactly one koan"]


def test_a_koan_file_that_does_not_import_the_blank_is_caught(kata, koan_source):
    koan, solution = koan_source
    imports = "from kata import __\n"
    kata.pair(
        "01_arith",
        FILE,
        koan.replace(imports, "from kata import *\n"),
        solution.replace(imports, "from kata import *\n"),
    )
    assert problems(kata) == [f"{K}: does not import the blank: `from kata import __`"]


def test_a_syntax_error_is_reported_at_its_line(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", FILE, koan.replace("assert 3 * 3 == __", "assert (3 * 3 == __"), solution)
    assert problems(kata) == [f"{K}:19: syntax error: '(' was never closed"]


def test_files_and_koans_must_mirror(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", FILE, koan, solution)
    kata.lesson("koans", "01_arith", "test_02_more.py", koan)
    kata.lesson("solutions", "02_other", "test_01_x.py", solution)
    assert problems(kata) == [
        "solutions/02_other: chapter has no counterpart in the other tree",
        "koans/01_arith/test_02_more.py: has no counterpart in solutions/01_arith/",
    ]


def test_renamed_koan_is_caught(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", FILE, koan, solution.replace("test_three_times_three", "test_nine"))
    assert problems(kata) == [
        f"{K}: koans differ from the solution's: "
        "['test_two_and_two_make_four', 'test_three_times_three'] vs ['test_two_and_two_make_four', 'test_nine']",
        f"{S}:14: line differs from its koan's, which has no blank",
        f"{S}:14: differs from its koan file by more than the blanks' answers",
    ]


def test_two_koans_sharing_a_name_are_caught(kata, koan_source):
    koan, solution = koan_source
    rename = ("test_three_times_three", "test_two_and_two_make_four")
    kata.pair("01_arith", FILE, koan.replace(*rename), solution.replace(*rename))
    assert problems(kata) == [f"{K}: two koans share a name"]


def test_badly_named_chapters_and_lessons_are_caught(kata, koan_source):
    kata.pair("arith", FILE, *koan_source)
    kata.pair("01_arith", "test_add.py", *koan_source)
    assert problems(kata) == [
        "koans/arith: chapter folders are named NN_topic",
        "solutions/arith: chapter folders are named NN_topic",
        "koans/01_arith/test_add.py: lesson files are named test_NN_topic.py",
    ]


def test_an_unknown_chapter_asked_for_is_a_problem(kata, koan_source):
    kata.pair("01_arith", FILE, *koan_source)
    assert problems(kata, ["01_arith", "02_nothing"]) == ["02_nothing: no such chapter in both koans/ and solutions/"]
