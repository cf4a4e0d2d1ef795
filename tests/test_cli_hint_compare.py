"""`kata hint` and `kata compare`: the hint of a koan, never its answer; diffs of solved koans only."""

from kata.state import cache as progress

FOUR = "koans/01_arith/test_01_add.py::test_two_and_two_make_four"
NINE = "koans/01_arith/test_01_add.py::test_three_times_three"


def test_hint_of_the_current_koan_without_its_answer(path, kata_cli):
    code, out = kata_cli("hint")
    assert code == 0
    assert "koans/01_arith/test_01_add.py:6  test_two_and_two_make_four" in out
    assert "Hint: count on your fingers." in out and "Two and two make four." in out
    assert "== 4" not in out
    progress.write_solved(path.root, {FOUR})
    assert "Hint: a square." in kata_cli("hint")[1]


def test_hint_of_a_named_koan_by_name_or_file_and_name(path, kata_cli):
    code, out = kata_cli("hint", "test_three_times_three")
    assert code == 2 and "names more than one koan" in out
    assert "koans/02_more/test_01_more.py::test_three_times_three" in out
    code, out = kata_cli("hint", "02_more/test_01_more.py::test_three_times_three")
    assert code == 0 and "koans/02_more/test_01_more.py:14" in out and "Hint: a square." in out


def test_hint_survives_a_syntax_error_in_the_learners_file(path, kata_cli):
    broken = path.root / "koans/01_arith/test_01_add.py"
    broken.write_text(broken.read_text().replace("assert 3 * 3 == __", "assert (3 * 3 == "))
    code, out = kata_cli("hint", "test_01_add.py::test_three_times_three")
    assert code == 0 and "Hint: a square." in out


def test_an_unknown_name_lists_close_matches(path, kata_cli):
    code, out = kata_cli("hint", "test_three_times_tree")
    assert code == 2
    assert "no koan, lesson file or chapter named 'test_three_times_tree'" in out
    assert "koans/01_arith/test_01_add.py::test_three_times_three" in out


def test_compare_refuses_an_unsolved_koan_without_spoil(path, kata_cli):
    code, out = kata_cli("compare", "01_arith/test_01_add.py::test_two_and_two_make_four")
    assert code == 1 and "not solved yet" in out and "--spoil" in out
    assert "+    assert 2 + 2 == 4" not in out
    code, out = kata_cli("compare", "01_arith/test_01_add.py::test_two_and_two_make_four", "--spoil")
    assert code == 0
    assert "-    assert 2 + 2 == __\n+    assert 2 + 2 == 4" in out
    assert "@@ -8,4 +8,4 @@" in out  # the real files' line numbers


def test_compare_a_chapter_shows_solved_koans_and_withholds_the_rest(path, kata_cli):
    lesson = path.root / "koans/01_arith/test_01_add.py"
    lesson.write_text(lesson.read_text().replace("2 + 2 == __", "2 + 2 == 2 * 2"))
    progress.write_solved(path.root, {FOUR})
    code, out = kata_cli("compare", "01_arith")
    assert code == 0
    assert "--- koans/01_arith/test_01_add.py" in out and "+++ solutions/01_arith/test_01_add.py" in out
    assert "-    assert 2 + 2 == 2 * 2\n+    assert 2 + 2 == 4" in out
    assert "3 * 3" not in out
    assert "1 not solved yet, withheld" in out


def test_compare_on_a_deleted_file_says_so(path, kata_cli):
    (path.root / "koans/02_more/test_01_more.py").unlink()
    code, out = kata_cli("compare", "02_more/test_01_more.py", "--spoil")
    assert code == 1 and "you deleted this lesson file" in out and "kata reset" in out
