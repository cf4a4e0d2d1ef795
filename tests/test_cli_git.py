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


BRANCH = "kata-solutions"  # not a path in the checkout: `git diff kata-solutions` cannot mean a folder


def test_branch_puts_solutions_in_koans_and_leaves_the_learner_alone(repo, kata_cli):
    root = repo.root
    answer(root, LESSON, "2 + 2 == __", "2 + 2 == 4")  # uncommitted work
    (root / "notes.txt").write_text("my notes\n")
    git(root, "add", "notes.txt")  # staged work
    before = state(root)
    code, out = kata_cli("branch")
    assert code == 0 and f"created branch {BRANCH}" in out
    assert state(root) == before
    assert (root / LESSON).read_text().count("== __") == 1
    diff = git(root, "diff", BRANCH, "--", "koans/01_arith")
    assert "-    assert 3 * 3 == 9\n+    assert 3 * 3 == __" in diff
    assert "2 + 2" not in diff  # the learner's answer is the solution's
    assert git(root, "show", f"{BRANCH}:{LESSON}") == (root / "solutions/01_arith/test_01_add.py").read_text()
    assert git(root, "rev-parse", f"{BRANCH}^") == before[0]

    code, out = kata_cli("branch")
    assert code == 0 and "up to date" in out
    git(root, "commit", "-q", "-m", "my notes")
    code, out = kata_cli("branch")
    assert code == 0 and f"refreshed branch {BRANCH}" in out
    assert git(root, "rev-parse", f"{BRANCH}^") == git(root, "rev-parse", "HEAD")
    assert git(root, "show", f"{BRANCH}:notes.txt") == "my notes\n"


def test_the_branch_name_is_no_path_so_git_log_and_diff_need_no_dashes(repo, kata_cli):
    root = repo.root
    code, out = kata_cli("branch")
    assert code == 0
    assert not (root / BRANCH).exists()
    git(root, "log", "--oneline", BRANCH)  # `git log solutions` was ambiguous: a branch and a folder
    assert "3 * 3 == __" in git(root, "diff", BRANCH)
    assert f"git diff {BRANCH} -- koans/" in out


def test_branch_never_moves_a_branch_named_solutions_that_the_learner_made(repo, kata_cli):
    root = repo.root
    git(root, "branch", "solutions")  # the learner's own, with their commit on it
    git(root, "switch", "-q", "solutions")
    (root / "mine.txt").write_text("my work\n")
    git(root, "add", "mine.txt")
    git(root, "commit", "-q", "-m", "my work on my branch")
    git(root, "switch", "-q", "main")
    theirs = git(root, "rev-parse", "solutions")
    code, out = kata_cli("branch")
    assert code == 0, out
    assert git(root, "rev-parse", "solutions") == theirs
    assert git(root, "rev-parse", f"{BRANCH}^") == git(root, "rev-parse", "HEAD")


@pytest.mark.parametrize("how", ["the learner made it", "the learner committed on kata's"])
def test_branch_refuses_to_move_a_branch_it_did_not_create_and_names_another(repo, kata_cli, how):
    root = repo.root
    if how == "the learner made it":
        git(root, "branch", BRANCH)
    else:
        assert kata_cli("branch")[0] == 0
        git(root, "switch", "-q", BRANCH)
        (root / "mine.txt").write_text("my work\n")
        git(root, "add", "mine.txt")
        git(root, "commit", "-q", "-m", "my work on top of kata's branch")
        git(root, "switch", "-q", "main")
    theirs = git(root, "rev-parse", BRANCH)
    code, out = kata_cli("branch")
    assert code == 2
    assert git(root, "rev-parse", BRANCH) == theirs
    assert f"kata branch --name {BRANCH}-2" in out
    code, out = kata_cli("branch", "--name", f"{BRANCH}-2")
    assert code == 0 and f"created branch {BRANCH}-2" in out
    assert git(root, "rev-parse", BRANCH) == theirs


def test_branch_refuses_a_name_that_is_a_path_in_the_checkout(repo, kata_cli):
    code, out = kata_cli("branch", "--name", "solutions")
    assert code == 2 and "folder" in out
    assert git(repo.root, "branch", "--list", "solutions") == ""


def test_the_old_solutions_branch_that_kata_made_becomes_the_new_one(repo, kata_cli):
    root = repo.root
    # What kata branch made before it was renamed: branch `solutions`, this message.
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    old_message = (
        "kata branch: koans/ holds the solutions\n\nHEAD x with koans/ replaced by the 2 files of solutions/.\n"
        "Made by `kata branch`; compare with `git diff solutions -- koans/NN_topic`.\n"
    )
    old = subprocess.run(
        ["git", "commit-tree", tree, "-p", "HEAD"],
        cwd=root,
        input=old_message,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(root, "update-ref", "refs/heads/solutions", old)
    code, out = kata_cli("branch")
    assert code == 0, out
    assert git(root, "branch", "--list", "solutions") == ""
    assert git(root, "show", f"{BRANCH}:{LESSON}") == (root / "solutions/01_arith/test_01_add.py").read_text()
    assert "renamed" in out and BRANCH in out


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
    code, _ = kata_cli("reset", "01_arith/test_01_add.py::test_three_times_three")
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
