"""`kata branch` and `kata reset` in a temporary git repository: the learner's work is never lost."""

import subprocess

import pytest

from kata.state import cache as progress

LESSON = "koans/01_arith/test_01_add.py"
FOUR = "koans/01_arith/test_01_add.py::test_two_and_two_make_four"
NINE = "koans/01_arith/test_01_add.py::test_three_times_three"


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(path):
    kata = path
    git(kata.root, "init", "-q", "-b", "main")
    git(kata.root, "config", "user.email", "learner@example.com")
    git(kata.root, "config", "user.name", "Learner")
    git(kata.root, "add", "-A")
    git(kata.root, "commit", "-q", "-m", "the kata as shipped")
    return kata


def answer(root, rel, old, new):
    path = root / rel
    path.write_text(path.read_text().replace(old, new))


def state(root):
    """Everything of the learner's that branch and reset must leave alone."""
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "symbolic-ref", "HEAD"),
        git(root, "status", "--porcelain"),
        git(root, "diff"),
        git(root, "diff", "--cached"),
    )


def test_branch_puts_solutions_in_koans_and_leaves_the_learner_alone(repo, kata_cli):
    root = repo.root
    answer(root, LESSON, "2 + 2 == __", "2 + 2 == 4")  # uncommitted work
    (root / "notes.txt").write_text("my notes\n")
    git(root, "add", "notes.txt")  # staged work
    before = state(root)
    code, out = kata_cli("branch")
    assert code == 0 and "created branch solutions" in out
    assert state(root) == before
    assert (root / LESSON).read_text().count("== __") == 1
    diff = git(root, "diff", "solutions", "--", "koans/01_arith")
    assert "-    assert 3 * 3 == 9\n+    assert 3 * 3 == __" in diff
    assert "2 + 2" not in diff  # the learner's answer is the solution's
    assert git(root, "show", f"solutions:{LESSON}") == (root / "solutions/01_arith/test_01_add.py").read_text()
    assert git(root, "rev-parse", "solutions^") == before[0]

    code, out = kata_cli("branch")
    assert code == 0 and "up to date" in out
    git(root, "commit", "-q", "-m", "my notes")
    code, out = kata_cli("branch")
    assert code == 0 and "refreshed branch solutions" in out
    assert git(root, "rev-parse", "solutions^") == git(root, "rev-parse", "HEAD")
    assert git(root, "show", "solutions:notes.txt") == "my notes\n"


def test_reset_one_koan_keeps_the_other_answers_and_files(repo, kata_cli):
    root = repo.root
    answer(root, LESSON, "2 + 2 == __", "2 + 2 == 5")
    answer(root, LESSON, "3 * 3 == __", "3 * 3 == 9")
    answer(root, "koans/02_more/test_01_more.py", "2 + 2 == __", "2 + 2 == 4")
    other = (root / "koans/02_more/test_01_more.py").read_text()
    progress.write_solved(root, {FOUR, NINE})
    code, out = kata_cli("reset", "test_01_add.py::test_two_and_two_make_four")
    assert code == 0 and "back to its shipped state" in out
    text = (root / LESSON).read_text()
    assert "2 + 2 == __" in text and "3 * 3 == 9" in text
    assert (root / "koans/02_more/test_01_more.py").read_text() == other
    assert progress.read_solved(root) == {NINE}


def test_reset_a_file_and_a_deleted_file(repo, kata_cli):
    root = repo.root
    shipped = (root / LESSON).read_text()
    answer(root, LESSON, "3 * 3 == __", "3 * 3 == 9")
    code, out = kata_cli("reset", LESSON)
    assert code == 0 and (root / LESSON).read_text() == shipped
    (root / LESSON).unlink()
    code, out = kata_cli("compare", LESSON)
    assert code == 1 and "you deleted this lesson file" in out
    code, out = kata_cli("reset", "01_arith/test_01_add.py")
    assert code == 0 and (root / LESSON).read_text() == shipped


def test_reset_after_committing_answers_goes_back_to_the_blank(repo, kata_cli):
    root = repo.root
    answer(root, LESSON, "2 + 2 == __", "2 + 2 == 4")
    answer(root, LESSON, "3 * 3 == __", "3 * 3 == 9")
    git(root, "commit", "-q", "-am", "my answers")
    code, out = kata_cli("reset", "01_arith/test_01_add.py::test_three_times_three")
    assert code == 0
    text = (root / LESSON).read_text()
    assert "2 + 2 == 4" in text and "3 * 3 == __" in text


def test_reset_and_branch_refuse_outside_git(kata, koan_source, monkeypatch, kata_cli):
    kata.pair("01_arith", "test_01_add.py", *koan_source)
    monkeypatch.chdir(kata.root)
    for args in (["reset", LESSON], ["branch"]):
        code, out = kata_cli(*args)
        assert code == 2 and "not in a git repository" in out


def test_reset_an_unknown_koan_lists_close_matches(repo, kata_cli):
    code, out = kata_cli("reset", "test_two_and_two")
    assert code == 2 and "koans/01_arith/test_01_add.py::test_two_and_two_make_four" in out
