"""`kata reset` never loses an answer: a deleted koan comes back alone, line endings stay, helpers reset too."""

import subprocess
import textwrap

import pytest

LESSON = "koans/01_arith/test_01_add.py"


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def commit_all(root):
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "learner@example.com")
    git(root, "config", "user.name", "Learner")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the kata as shipped")


@pytest.fixture
def repo(path):
    commit_all(path.root)
    return path


def answered(text):
    return text.replace("2 + 2 == __", "2 + 2 == 4").replace("3 * 3 == __", "3 * 3 == 9")


def without(text, name):
    """The file with one koan function (and the blank lines before it) deleted."""
    start = text.index(f"\n\n\ndef {name}")
    end = text.find("\n\n\ndef ", start + 3)
    return text[:start] + (text[end:] if end != -1 else "\n")


@pytest.mark.parametrize("deleted", ["test_three_times_three", "test_two_and_two_make_four"])
def test_a_deleted_koan_is_restored_alone_at_its_place(repo, kata_cli, deleted):
    path = repo.root / LESSON
    shipped = path.read_text()
    path.write_text(without(answered(shipped), deleted))
    code, out = kata_cli("reset", f"test_01_add.py::{deleted}")
    assert code == 0, out
    other_answer = {
        "test_three_times_three": ("2 + 2 == __", "2 + 2 == 4"),
        "test_two_and_two_make_four": ("3 * 3 == __", "3 * 3 == 9"),
    }[deleted]
    assert path.read_text() == shipped.replace(*other_answer)
    assert "restored" in out and "your other answers in the file are untouched" in out


def test_reset_keeps_a_files_crlf_line_endings(repo, kata_cli):
    path = repo.root / LESSON
    shipped = path.read_text()
    path.write_bytes(answered(shipped).replace("\n", "\r\n").encode())
    code, out = kata_cli("reset", "test_01_add.py::test_three_times_three")
    assert code == 0, out
    assert path.read_bytes() == shipped.replace("2 + 2 == __", "2 + 2 == 4").replace("\n", "\r\n").encode()

    path.write_bytes(answered(shipped).replace("\n", "\r\n").encode())
    code, out = kata_cli("reset", LESSON)
    assert code == 0, out
    assert path.read_bytes() == shipped.replace("\n", "\r\n").encode()


HELPER_KOAN = textwrap.dedent('''
    """A koan whose blank sits in the helper it runs (as a rank function does)."""

    from kata import __


    def on_rank_sum(rank, world_size):
        return rank + __


    def test_the_helper_adds():
        """The helper adds.

        Hint: the other number.
        """
        assert on_rank_sum(1, 2) == 3


    def test_two_and_two_make_four():
        """Two and two make four.

        Hint: count on your fingers.
        """
        assert 2 + 2 == __
''').lstrip()


def test_resetting_a_koan_resets_the_blanks_of_its_helper(kata, monkeypatch, kata_cli):
    kata.pair(
        "01_arith",
        "test_01_add.py",
        HELPER_KOAN,
        HELPER_KOAN.replace("rank + __", "rank + 2").replace("2 + 2 == __", "2 + 2 == 4"),
    )
    monkeypatch.chdir(kata.root)
    commit_all(kata.root)
    path = kata.root / LESSON
    path.write_text(HELPER_KOAN.replace("rank + __", "rank + 2").replace("2 + 2 == __", "2 + 2 == 4"))
    code, out = kata_cli("reset", "test_the_helper_adds")
    assert code == 0, out
    assert "already" not in out
    assert path.read_text() == HELPER_KOAN.replace("2 + 2 == __", "2 + 2 == 4")
