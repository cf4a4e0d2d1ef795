"""One honest progress (issue 18, item 2): the learner's bar and `kata progress` count the path as
shipped, with one counter, and a koan counts as solved only while its latest result is a pass."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from kata.state import cache
from kata.state.progress import bar

FOUR = "koans/01_arith/test_01_add.py::test_two_and_two_make_four"
NINE = "koans/01_arith/test_01_add.py::test_three_times_three"


def run(pytester, *args):
    return pytester.runpytest_subprocess(*args)


def solve(kata, chapter, file, text=None):
    """Copy a solution over the learner's file (optionally edited first)."""
    solution = (kata.root / "solutions" / chapter / file).read_text()
    (kata.root / "koans" / chapter / file).write_text(text(solution) if text else solution)


def row(out, chapter):
    return next(line.split()[:4] for line in out.splitlines() if line.startswith(chapter))


def bar_line(out, label):
    return next(line for line in out.splitlines() if line.startswith(label))


# -- the total is the path as shipped --------------------------------------------------------


def test_deleted_koans_keep_the_shipped_total_and_the_screen_says_the_koan_is_gone(path, pytester, cli):
    solve(path, "01_arith", "test_01_add.py", lambda s: s.split("\n\ndef test_three_times_three")[0] + "\n")
    out = run(pytester, "koans/01_arith").stdout.str()
    assert "1/2 koans" in bar_line(out, "01_arith")  # not 1/1: the deleted koan still counts
    assert "1/4 koans" in bar_line(out, "the whole path")
    _, out = cli("progress")
    assert row(out, "01_arith") == ["01_arith", "1", "2", "0"]
    # The file is there; the koan is what is gone.
    assert "next: koans/01_arith/test_01_add.py" in out and "test_three_times_three" in out
    assert "the lesson file is missing" not in out
    assert "missing from your file" in out


def test_a_renamed_lesson_file_counts_its_solved_koans_and_no_extra_ones(path, pytester, cli):
    solve(path, "01_arith", "test_01_add.py")
    mine = path.root / "koans/01_arith/test_01_add.py"
    mine.rename(mine.with_name("test_01_mine.py"))
    out = run(pytester, "koans/01_arith").stdout.str()
    assert "2/2 koans" in bar_line(out, "01_arith")
    assert "2/4 koans" in bar_line(out, "the whole path")
    _, out = cli("progress")
    assert row(out, "01_arith") == ["01_arith", "2", "2", "0"]
    assert out.split("the whole path")[1].split()[:2] == ["2", "4"]
    assert "next: koans/02_more/test_01_more.py:6" in out


def test_a_renamed_file_with_an_unsolved_koan_points_next_at_the_learners_file(path, cli):
    mine = path.root / "koans/01_arith/test_01_add.py"
    mine.rename(mine.with_name("test_01_mine.py"))
    _, out = cli("progress")
    assert "next: koans/01_arith/test_01_mine.py:6  test_two_and_two_make_four" in out
    assert "missing" not in out.split("next:")[1]


def test_a_learners_scratch_test_in_a_koan_file_is_not_a_koan(path, pytester, cli):
    solve(
        path,
        "01_arith",
        "test_01_add.py",
        lambda s: (
            s + "\n\ndef test_my_scratch():\n    assert 1 + 1 == 2\n\n\ndef test_my_other_idea():\n    assert 0\n"
        ),
    )
    result = run(pytester, "koans/01_arith")
    out = result.stdout.str()
    assert "2/2 koans" in bar_line(out, "01_arith")
    assert "2/4 koans" in bar_line(out, "the whole path")
    assert "stopped at the first unsolved koan" not in out  # the learner's own test is no koan
    recorded = json.dumps(cache.read_value(path.root, cache.SOLVED_KEY))
    assert "test_my_scratch" not in recorded and "test_my_other_idea" not in recorded
    _, out = cli("progress")
    assert row(out, "01_arith") == ["01_arith", "2", "2", "0"]


# -- the bar ------------------------------------------------------------------------------------


def test_the_bar_is_full_only_when_every_koan_is_solved():
    assert bar(73, 73) == "[" + "#" * 24 + "]"
    assert "." in bar(72, 73)
    assert bar(72, 73) == "[" + "#" * 23 + "." + "]"
    assert bar(1, 25) == "[" + "." * 24 + "]"  # a twenty-fifth is not yet a whole cell
    assert bar(0, 0) == "[" + "." * 24 + "]"


# -- what a run may touch -------------------------------------------------------------------


def test_a_run_over_solutions_neither_shows_nor_touches_the_learners_progress(path, pytester):
    cache.write_solved(path.root, {FOUR})
    before = cache.read_value(path.root, cache.SOLVED_KEY)
    result = run(pytester, "solutions/01_arith")
    out = result.stdout.str()
    result.assert_outcomes(passed=2)
    assert " koans" not in out and "the whole path" not in out
    assert "your progress" in out  # one line says why no bar
    assert cache.read_value(path.root, cache.SOLVED_KEY) == before


def test_a_koan_broken_after_it_passed_is_not_solved_even_if_its_chapter_did_not_rerun(path, pytester, cli):
    solve(path, "01_arith", "test_01_add.py")
    run(pytester, "koans/01_arith")
    mine = path.root / "koans/01_arith/test_01_add.py"
    mine.write_text(mine.read_text().replace("3 * 3 == 9", "3 * 3 == __"))  # broken again
    out = run(pytester, "koans/02_more").stdout.str()
    assert "1/4 koans" in bar_line(out, "the whole path")
    _, out = cli("progress")
    assert row(out, "01_arith") == ["01_arith", "1", "2", "0"]
    assert "(not solved yet)" in cli("hint", "test_01_add.py::test_three_times_three")[1]
    # Put the answer back: the mark holds again for exactly the code that passed.
    mine.write_text(mine.read_text().replace("3 * 3 == __", "3 * 3 == 9"))
    assert row(cli("progress")[1], "01_arith") == ["01_arith", "2", "2", "0"]


def test_editing_one_koan_leaves_the_other_koans_of_its_file_solved(path, pytester, cli):
    solve(path, "01_arith", "test_01_add.py")
    run(pytester, "koans/01_arith")
    mine = path.root / "koans/01_arith/test_01_add.py"
    mine.write_text(mine.read_text().replace("3 * 3 == 9", "3 * 3 == 9  # a note of mine"))
    _, out = cli("progress")
    assert row(out, "01_arith") == ["01_arith", "1", "2", "0"]
    assert "next: koans/01_arith/test_01_add.py:14  test_three_times_three" in out


# -- concurrent and interrupted runs ----------------------------------------------------------

WAITING = '''
    """A lesson whose second koan waits for a flag file (the test's clock, not a timer)."""

    import pathlib
    import time


    def test_quick():
        """Quick.

        Hint: none.
        """
        assert 1 == 1


    def test_waits_for_the_flag():
        """Waits.

        Hint: none.
        """
        flag = pathlib.Path(__file__).parents[2] / "flag"
        pathlib.Path(__file__).parents[2].joinpath("waiting").touch()
        for _ in range(600):
            if flag.exists():
                break
            time.sleep(0.05)
        assert flag.exists()
'''


def start_waiting_run(kata):
    kata.pair("00_wait", "test_01_wait.py", WAITING, WAITING)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "koans/00_wait"],
        cwd=kata.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(600):
        if (kata.root / "waiting").exists():
            return proc
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the waiting run never reached its second koan")


def test_two_runs_at_once_keep_both_runs_marks(path, pytester):
    proc = start_waiting_run(path)
    try:
        solve(path, "02_more", "test_01_more.py")
        run(pytester, "koans/02_more")  # starts after the waiting run, ends before it
        (path.root / "flag").touch()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    solved = cache.read_solved(path.root)
    assert {
        "koans/00_wait/test_01_wait.py::test_quick",
        "koans/00_wait/test_01_wait.py::test_waits_for_the_flag",
        "koans/02_more/test_01_more.py::test_two_and_two_make_four",
        "koans/02_more/test_01_more.py::test_three_times_three",
    } <= solved


def test_a_killed_run_keeps_the_marks_of_the_koans_that_passed_before(path):
    proc = start_waiting_run(path)
    os.killpg(proc.pid, signal.SIGKILL)  # no teardown, no session finish
    proc.wait(timeout=30)
    assert "koans/00_wait/test_01_wait.py::test_quick" in cache.read_solved(path.root)


# -- a skip the learner caused ------------------------------------------------------------------

SKIPPING = '''
    """A lesson whose first koan skips itself."""

    import pytest

    from kata import __


    def test_skips_itself():
        """Skipped instead of solved.

        Hint: none.
        """
        pytest.skip("later")
        assert 1 == __


    @pytest.mark.skip(reason="not today")
    def test_marked_skip():
        """Marked skip.

        Hint: none.
        """
        assert 1 == __


    def test_after():
        """After.

        Hint: none.
        """
        assert 1 == 1
'''


SKIPPED_SOLUTION = (
    SKIPPING.replace('        pytest.skip("later")\n', "")
    .replace('    @pytest.mark.skip(reason="not today")\n', "")
    .replace("== __", "== 1")
)


def test_a_koan_that_skips_itself_is_not_solved_and_stops_the_run(kata, pytester):
    kata.pair("01_skip", "test_01_skip.py", SKIPPING, SKIPPED_SOLUTION)
    result = run(pytester, "koans/01_skip")
    out = result.stdout.str()
    assert result.ret != 0
    result.assert_outcomes(failed=1)  # test_marked_skip and test_after never ran
    assert (
        'koans/01_skip/test_01_skip.py:13:  pytest.skip("later")' in out
        and "skipped" in out.lower()
        and "not solved" in out
    )
    assert "stopped at the first unsolved koan" in out
    assert "0/3 koans" in bar_line(out, "01_skip")
    out = run(pytester, "koans/01_skip", "--keep-going").stdout.str()
    assert out.count("not solved") == 2 and "@pytest.mark.skip" in out
    assert "1/3 koans" in bar_line(out, "01_skip")


def test_a_skip_the_solution_has_too_is_the_machines_and_never_solved(kata, pytester):
    kata.pair("01_skip", "test_01_skip.py", SKIPPING, SKIPPING.replace("== __", "== 1"))
    result = run(pytester, "koans/01_skip")
    result.assert_outcomes(passed=1, skipped=2)
    assert "1/3 koans" in bar_line(result.stdout.str(), "01_skip")


def test_a_learners_skip_drops_an_earlier_mark(kata, pytester):
    kata.pair("01_skip", "test_01_skip.py", SKIPPED_SOLUTION, SKIPPED_SOLUTION)
    run(pytester, "koans/01_skip")
    koan = "koans/01_skip/test_01_skip.py::test_skips_itself"
    assert koan in cache.read_solved(kata.root)
    mine = kata.root / "koans/01_skip/test_01_skip.py"
    mine.write_text(mine.read_text().replace('    """\n    assert 1 == 1\n', '    """\n    pytest.skip("later")\n', 1))
    run(pytester, "koans/01_skip")
    assert koan not in cache.read_marks(kata.root)


# -- pytest -n ----------------------------------------------------------------------------------


def test_with_xdist_the_screen_says_every_koan_runs_and_prints_no_stop_banner(path, pytester):
    pytest.importorskip("xdist")
    result = run(pytester, "koans", "-n", "2")
    out = result.stdout.str()
    result.assert_outcomes(failed=4)
    assert "stopped at the first unsolved koan" not in out
    assert "with -n every selected koan runs" in out
    assert "first unsolved: koans/01_arith/test_01_add.py:6  test_two_and_two_make_four" in out


# -- koans this machine cannot run ---------------------------------------------------------------

GPU = '''
    """Needs a GPU."""
    import pytest

    from kata import __

    pytestmark = pytest.mark.cuda


    def test_on_the_gpu():
        """A GPU.

        Hint: none.
        """
        assert 1 == __
'''


def test_hardware_koans_are_shown_apart_from_the_total_this_machine_can_reach(path, pytester, cli):
    # Asked in a child: importing torch into this process is no part of the test.
    probe = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.cuda.is_available())"], capture_output=True, text=True
    )
    if probe.stdout.strip() != "False":
        pytest.skip("needs torch on a machine without a CUDA GPU")
    path.pair("03_gpu", "test_01_gpu.py", GPU, GPU.replace("1 == __", "1 == 1"))
    solve(path, "01_arith", "test_01_add.py")
    out = run(pytester, "koans/01_arith").stdout.str()
    line = bar_line(out, "the whole path")
    assert "2/4 koans this machine can run" in line
    assert "5 in all" in line and "1 needs a CUDA GPU it lacks" in line
    assert "2/2 koans" in bar_line(out, "01_arith") and "can run" not in bar_line(out, "01_arith")
    _, out = cli("progress")
    assert "this machine can run 4 of the 5 koans" in out
    assert "1 needs a CUDA GPU it lacks" in out
