"""The screen says what to do next (issue 18, item 4): hint and next: follow the learner's latest
chapter, a green chapter names the next one, benchmark tables wait to be asked for, and a missing
package is one line with the command that installs it."""

import importlib.util
import sys
import textwrap

import pytest


def run(pytester, *args):
    return pytester.runpytest_subprocess(*args)


def solve(kata, chapter, file):
    (kata.root / "koans" / chapter / file).write_text((kata.root / "solutions" / chapter / file).read_text())


# -- hint and next: follow the latest run ----------------------------------------------------


def test_hint_and_next_follow_the_chapter_of_the_latest_run(path, pytester, cli):
    run(pytester, "koans/02_more")
    code, out = cli("hint")
    assert code == 0 and out.startswith("koans/02_more/test_01_more.py:6  test_two_and_two_make_four")
    assert "next: koans/02_more/test_01_more.py:6  test_two_and_two_make_four" in cli("progress")[1]
    # Back in chapter 01: they follow the learner there too.
    run(pytester, "koans/01_arith")
    assert cli("hint")[1].startswith("koans/01_arith/test_01_add.py:6  test_two_and_two_make_four")


def test_next_moves_on_when_the_latest_chapter_is_solved(path, pytester, cli):
    solve(path, "02_more", "test_01_more.py")
    run(pytester, "koans/02_more")
    # Nothing left in 02 or after it: back to the first unsolved koan of the path.
    assert "next: koans/01_arith/test_01_add.py:6  test_two_and_two_make_four" in cli("progress")[1]


# -- a green chapter names the next one ------------------------------------------------------


def test_a_green_chapter_ends_with_the_next_chapter_and_its_command(path, pytester):
    solve(path, "01_arith", "test_01_add.py")
    out = run(pytester, "koans/01_arith").stdout.str()
    kata_lines = [line for line in out.splitlines() if line and not line.startswith("=")]
    assert kata_lines[-1] == "next: pytest koans/02_more"
    solve(path, "02_more", "test_01_more.py")
    out = run(pytester, "koans/02_more").stdout.str()
    assert "the whole path is done" in out and "next: pytest" not in out


def test_an_unsolved_run_names_no_next_chapter(path, pytester):
    out = run(pytester, "koans/01_arith").stdout.str()
    assert "next: pytest" not in out


# -- benchmark tables only when asked for ---------------------------------------------------

BENCH = '''
    """A koan that times something."""

    from kata import __


    def test_timed(benchmark):
        """Timed.

        Hint: none.
        """
        assert 2 == __
        assert benchmark(lambda: 2 + 2) == 4
'''


def test_benchmark_tables_appear_only_when_the_learner_asks(kata, pytester, monkeypatch):
    pytest.importorskip("pytest_benchmark")
    # pytest-benchmark turns itself off in a process that inherits an xdist worker's variable (verify's runs).
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    kata.pair("01_bench", "test_01_bench.py", BENCH.replace("== __", "== 2"), BENCH.replace("== __", "== 2"))
    quiet = run(pytester, "koans/01_bench")
    quiet.assert_outcomes(passed=1)
    assert "Legend" not in quiet.stdout.str() and "benchmark: 1 tests" not in quiet.stdout.str()
    assert "add --benchmark-enable to see them" in quiet.stdout.str()  # how to ask, in one line
    asked = run(pytester, "koans/01_bench", "--benchmark-enable")
    asked.assert_outcomes(passed=1)
    assert "benchmark: 1 tests" in asked.stdout.str()
    kata.lesson("koans", "01_bench", "test_01_bench.py", BENCH)  # fails before it times anything
    failing = run(pytester, "koans/01_bench")
    failing.assert_outcomes(failed=1)
    out = failing.stdout.str()
    assert "Legend" not in out and "--benchmark-enable" not in out
    assert "Benchmark fixture was not used" not in out and "warning" not in out


def test_the_strides_benchmark_koan_still_passes_both_ways(kata, pytester, monkeypatch):
    pytest.importorskip("pytest_benchmark")
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    if importlib.util.find_spec("torch") is None:  # found, not imported: the koan's run imports it
        pytest.skip("needs torch")
    from tests.conftest import REPO

    source = (REPO / "solutions/02_strides/test_05_cost_of_layout.py").read_text()
    kata.pair("02_strides", "test_05_cost_of_layout.py", source, source)
    quiet = run(pytester, "koans/02_strides")
    quiet.assert_outcomes(passed=1)
    assert "Legend" not in quiet.stdout.str()
    asked = run(pytester, "koans/02_strides", "--benchmark-enable", "--benchmark-max-time=0.01")
    asked.assert_outcomes(passed=1)
    assert "Legend" in asked.stdout.str()


# -- a missing package -----------------------------------------------------------------------

BLOCKER = """
    import importlib.abc
    import sys


    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == {name!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None


    sys.meta_path.insert(0, Block())
"""

NEEDS = '''
    """A lesson that imports {name}."""

    import {name}

    from kata import __


    def test_{name}():
        """Uses {name}.

        Hint: none.
        """
        assert {name} is not __
'''


@pytest.mark.parametrize("name", ["torch", "numpy"])
def test_a_missing_package_is_one_line_with_the_command_that_installs_it(kata, pytester, monkeypatch, name):
    blocker = kata.root / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(textwrap.dedent(BLOCKER.format(name=name)))
    monkeypatch.setenv("PYTHONPATH", str(blocker))
    for chapter in ("01_a", "02_b"):
        kata.pair(chapter, "test_01_x.py", NEEDS.format(name=name), NEEDS.format(name=name))
    result = run(pytester, "koans")
    out = result.stdout.str() + result.stderr.str()
    assert result.ret != 0
    assert out.count(f"{name} is missing") == 1
    assert f"{name} is missing in this interpreter ({sys.executable})" in out
    assert f"`{sys.executable} -m pip install {name}`" in out and "`pip install -e .`" in out
    assert "ModuleNotFoundError" not in out and "The other lessons still run" not in out
    assert "ERROR collecting" not in out


def test_a_lesson_that_imports_a_module_nobody_ships_is_still_its_own_report(kata, pytester):
    kata.pair("01_a", "test_01_x.py", NEEDS.format(name="tourch"), NEEDS.format(name="tourch"))
    out = run(pytester, "koans").stdout.str()
    assert "No module named 'tourch'" in out and "is missing in this interpreter" not in out
