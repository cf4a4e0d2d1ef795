"""kata's cache reader (kata/state/cache.py) and pytest's own cache agree: same folder, same values.

The ``kata`` commands read the learner's state without starting pytest, so they know where
``config.cache.set`` puts a value.  Each test here lets pytest itself write or read, through its public
Cache API, and checks the other side; a pytest release that moves its cache or changes the format fails here.
"""

from __future__ import annotations

import json

import pytest

from kata.state import cache

SOLVED = {
    "koans/01_arith/test_01_add.py::test_three_times_three": "sig-9",
    "koans/01_arith/test_01_add.py::test_two": "",
}
HARDWARE = {"cuda": "needs a CUDA GPU", "compiler": ""}

# Writes with pytest's public API, and prints where pytest keeps its cache (Cache.mkdir is public too).
WRITER = f"""
def pytest_configure(config):
    config.cache.set({cache.SOLVED_KEY!r}, {SOLVED!r})
    config.cache.set({cache.HARDWARE_KEY!r}, {HARDWARE!r})
    print("cache dir:", config.cache.mkdir("kata-probe").parent.parent)
"""

READER = f"""
import json

def pytest_configure(config):
    print("read:", json.dumps(config.cache.get({cache.SOLVED_KEY!r}, None)))
"""


def pytests_cache_dir(result: pytest.RunResult) -> str:
    return next(line.split("cache dir: ", 1)[1] for line in result.outlines if line.startswith("cache dir: "))


@pytest.mark.parametrize(
    ("ini", "folder"),
    [
        (None, ".pytest_cache"),
        ("[pytest]\n", ".pytest_cache"),
        ("[pytest]\ncache_dir = var/pytest-state\n", "var/pytest-state"),
    ],
    ids=["no ini", "ini without cache_dir", "cache_dir in pytest.ini"],
)
def test_the_reader_finds_what_pytest_wrote_where_pytest_keeps_it(pytester, ini, folder):
    if ini is not None:
        pytester.makefile(".ini", pytest=ini)
    pytester.makeconftest(WRITER)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-s")
    assert pytests_cache_dir(result) == str(pytester.path / folder)
    assert cache.cache_dir(pytester.path) == pytester.path / folder
    assert cache.read_marks(pytester.path) == SOLVED
    assert cache.read_value(pytester.path, cache.HARDWARE_KEY) == HARDWARE


def test_an_absolute_cache_dir_is_used_as_it_is(pytester, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    pytester.makefile(".ini", pytest=f"[pytest]\ncache_dir = {elsewhere}\n")
    pytester.makeconftest(WRITER)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-s")
    assert pytests_cache_dir(result) == str(elsewhere)
    assert cache.read_marks(pytester.path) == SOLVED


def test_a_cache_dir_with_an_environment_variable_is_expanded_as_pytest_does(pytester, monkeypatch):
    monkeypatch.setenv("KATA_TEST_CACHE", "expanded")
    pytester.makefile(".ini", pytest="[pytest]\ncache_dir = $KATA_TEST_CACHE/cache\n")
    pytester.makeconftest(WRITER)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-s")
    assert pytests_cache_dir(result) == str(pytester.path / "expanded" / "cache")
    assert cache.read_marks(pytester.path) == SOLVED


def test_pytest_reads_what_the_kata_commands_wrote(pytester):
    # A fresh checkout: kata writes first (kata progress --run, kata reset), pytest reads it back.
    cache.write_value(pytester.path, cache.SOLVED_KEY, SOLVED)
    pytester.makeconftest(READER)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-s")
    assert f"read: {json.dumps(SOLVED)}" in result.outlines
    # pytest takes the folder kata created as its own: --cache-show lists the value, with no complaint.
    shown = pytester.runpytest_subprocess("-p", "no:randomly", "--cache-show", "kata/*")
    assert "kata/solved contains:" in shown.stdout.str()
    assert shown.ret == 0


def test_the_learners_run_stores_solved_koans_that_the_reader_finds(kata, koan_source, pytester):
    _, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", solution, solution)  # both koans solved
    kata.pair("02_more", "test_01_more.py", *koan_source)  # neither
    pytester.runpytest_subprocess("koans")
    # (read_solved also checks each koan's code is still the code that passed: it is.)
    assert cache.read_solved(kata.root) == {
        "koans/01_arith/test_01_add.py::test_two_and_two_make_four",
        "koans/01_arith/test_01_add.py::test_three_times_three",
    }
