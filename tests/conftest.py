"""Fixtures for the kit's own tests: a throwaway kata checkout to run pytest and verify in."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]


class TinyKata:
    """A kata checkout in a temporary folder, with the real pytest.ini and conftest.py."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for name in ("pytest.ini", "conftest.py"):
            (root / name).write_text((REPO / name).read_text())
        (root / "kata").symlink_to(REPO / "kata", target_is_directory=True)

    def lesson(self, tree: str, chapter: str, name: str, source: str) -> Path:
        path = self.root / tree / chapter / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip())
        return path

    def pair(self, chapter: str, name: str, koan: str, solution: str) -> None:
        self.lesson("koans", chapter, name, koan)
        self.lesson("solutions", chapter, name, solution)


@pytest.fixture
def kata(pytester: pytest.Pytester) -> TinyKata:
    return TinyKata(pytester.path)


KOAN = textwrap.dedent('''
    """Arithmetic, the smallest possible lesson."""

    from kata import __


    def test_two_and_two_make_four():
        """Two and two make four.

        Hint: count on your fingers.
        """
        assert 2 + 2 == __


    def test_three_times_three():
        """Three threes make nine.

        Hint: a square.
        """
        assert 3 * 3 == __
''').lstrip()
SOLUTION = KOAN.replace("2 + 2 == __", "2 + 2 == 4").replace("3 * 3 == __", "3 * 3 == 9")


@pytest.fixture
def koan_source() -> tuple[str, str]:
    return KOAN, SOLUTION


@pytest.fixture
def path(kata: TinyKata, koan_source, monkeypatch) -> TinyKata:
    """A two-chapter path, with the learner standing in its root."""
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, solution)
    kata.pair("02_more", "test_01_more.py", koan, solution)
    monkeypatch.chdir(kata.root)
    return kata


@pytest.fixture
def kata_cli(capsys):
    """Run `python -m kata ARGS...` in-process: (exit code, everything it printed)."""
    from kata import cli

    def run(*args: str) -> tuple[int, str]:
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


@pytest.fixture
def cli(kata_cli, capsys):
    """`kata ARGS...` in-process, its output only (not that of the pytest runs before it)."""

    def call(*args):
        capsys.readouterr()
        return kata_cli(*args)

    return call
