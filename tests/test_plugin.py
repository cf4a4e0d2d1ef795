"""The learner's run: curriculum order, stop at the first unsolved koan, short reports, progress."""

import json

import pytest

WRONG = '''
    """A lesson with one solved, one wrong and one blank koan."""

    import pytest

    from kata import __


    def test_solved():
        """Solved.

        Hint: none needed.
        """
        assert 1 == 1


    def test_wrong_answer():
        """Two and two make four.

        Hint: count.
        """
        assert 2 + 2 == 5


    def test_blank_as_an_argument():
        """An int() of a blank is no number.

        Hint: any number.
        """
        assert int(__) == 3


    def test_blank_in_match():
        """The message names the key.

        Hint: the key.
        """
        with pytest.raises(KeyError, match=__):
            {}["spam"]
'''


def run(pytester, *args):
    return pytester.runpytest_subprocess(*args)


def test_blank_failure_shows_lesson_and_blank_line_but_no_traceback(kata, koan_source, pytester):
    kata.pair("01_arith", "test_01_add.py", *koan_source)
    result = run(pytester, "koans/01_arith")
    out = result.stdout.str()
    result.assert_outcomes(failed=1)
    assert "Two and two make four." in out
    assert "koans/01_arith/test_01_add.py:11:  assert 2 + 2 == __" in out
    assert "Traceback" not in out and "def test_two_and_two_make_four" not in out
    assert "count on your fingers" not in out  # the hint waits for --hint
    assert "stopped at the first unsolved koan" in out


def test_hint_option_shows_the_hint(kata, koan_source, pytester):
    kata.pair("01_arith", "test_01_add.py", *koan_source)
    out = run(pytester, "koans/01_arith", "--hint").stdout.str()
    assert "Hint: count on your fingers." in out


def test_the_run_stops_at_the_first_unsolved_koan(kata, pytester):
    kata.lesson("koans", "01_mixed", "test_01_mixed.py", WRONG)
    result = run(pytester, "koans")
    result.assert_outcomes(passed=1, failed=1)


def test_wrong_answer_shows_the_assertion_and_its_line(kata, pytester):
    kata.lesson("koans", "01_mixed", "test_01_mixed.py", WRONG)
    out = run(pytester, "koans").stdout.str()
    assert "Not yet:" in out
    assert "koans/01_mixed/test_01_mixed.py:21:  assert 2 + 2 == 5" in out
    assert "assert (2 + 2) == 5" in out or "assert 4 == 5" in out


def test_a_blank_inside_a_call_or_match_is_still_a_blank(kata, pytester):
    kata.lesson("koans", "01_mixed", "test_01_mixed.py", WRONG)
    out = run(pytester, "koans", "--keep-going").stdout.str()
    assert "test_01_mixed.py:29:  assert int(__) == 3" in out
    assert "test_01_mixed.py:37:  with pytest.raises(KeyError, match=__):" in out
    assert out.count("Fill in the blank:") == 2


def test_progress_counts_this_chapter_and_the_whole_path(kata, koan_source, pytester):
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", solution, solution)  # a learner who solved 01
    kata.pair("02_more", "test_01_add.py", koan, solution)
    run(pytester, "koans/01_arith")
    out = run(pytester, "koans/02_more").stdout.str()
    assert "02_more" in out and "0/2 koans" in out
    assert "the whole path" in out and "2/4 koans" in out


def test_a_syntax_error_is_reported_and_other_chapters_still_run(kata, koan_source, pytester):
    koan, solution = koan_source
    kata.lesson("koans", "01_broken", "test_01_broken.py", koan.replace("assert 3 * 3 == __", "assert (3 * 3 == __"))
    kata.lesson("koans", "02_fine", "test_01_fine.py", solution)
    result = run(pytester, "koans")
    out = result.stdout.str()
    assert "koans/01_broken/test_01_broken.py:19: SyntaxError" in out
    result.assert_outcomes(passed=2, errors=1)


def test_koans_run_in_curriculum_order_even_when_shuffled(kata, koan_source, pytester):
    _koan, solution = koan_source
    kata.lesson("koans", "01_a", "test_01_a.py", solution)
    kata.lesson("koans", "02_b", "test_01_b.py", solution)
    out = run(pytester, "koans", "-p", "randomly", "-v").stdout.str()
    order = [line.split("::")[0] for line in out.splitlines() if "PASSED" in line]
    assert order == sorted(order) and len(order) == 4


def test_hardware_koans_are_skipped_with_the_reason(kata, pytester):
    pytest.importorskip("torch")
    kata.lesson(
        "koans",
        "22_gpu",
        "test_01_gpu.py",
        '''
        """GPU."""
        import pytest
        import torch

        from kata import __

        pytestmark = pytest.mark.cuda


        def test_gpu():
            """A GPU.

            Hint: none.
            """
            assert torch.cuda.device_count() == __
    ''',
    )
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    out = run(pytester, "koans", "-rs").stdout.str()
    assert "needs a CUDA GPU" in out


def test_verify_mode_records_every_outcome_as_json(kata, pytester):
    kata.lesson("koans", "01_mixed", "test_01_mixed.py", WRONG)
    report = pytester.path / "outcomes.jsonl"
    run(pytester, "koans", f"--kata-verify={report}")
    calls = {
        r["nodeid"].split("::")[1]: r for r in map(json.loads, report.read_text().splitlines()) if r["when"] == "call"
    }
    assert {name: (r["outcome"], r["verdict"]) for name, r in calls.items()} == {
        "test_solved": ("passed", None),
        "test_wrong_answer": ("failed", "wrong"),
        "test_blank_as_an_argument": ("failed", "blank"),
        "test_blank_in_match": ("failed", "blank"),
    }


ANSWER_AWAY_FROM_CHECK = '''
    """Answers that sit above the check they feed."""

    from kata import __


    def test_the_answer_feeds_a_later_check():
        """A doubled number is even.

        Hint: twice what?
        """
        doubled = 2 * __
        half = doubled // 2
        assert half == 3
'''


def test_a_wrong_answer_is_reported_at_its_own_line_before_the_check(kata, pytester):
    """The learner's answer (line 11) is wrong; the check that caught it is on line 13: both are named,
    the answer first, and the solution's answer is never shown."""
    kata.pair(
        "01_feed",
        "test_01_feed.py",
        ANSWER_AWAY_FROM_CHECK.replace("2 * __", "2 * 4"),
        ANSWER_AWAY_FROM_CHECK.replace("2 * __", "2 * 3"),
    )
    out = run(pytester, "koans/01_feed").stdout.str()
    lines = out.splitlines()
    answer = lines.index("    koans/01_feed/test_01_feed.py:11:  doubled = 2 * 4")
    check = lines.index("    koans/01_feed/test_01_feed.py:13:  assert half == 3")
    assert lines[answer - 1] == "  Not yet: think again about your answer"
    assert answer < check
    assert "2 * 3" not in out


def test_a_wrong_answer_on_the_check_line_is_reported_once(kata, pytester):
    """When the answer sits on the line that failed, there is nothing else to point at."""
    source = ANSWER_AWAY_FROM_CHECK.replace("assert half == 3", "assert half == __")
    kata.pair(
        "01_feed",
        "test_01_feed.py",
        source.replace("2 * __", "2 * 3").replace("== __", "== 4"),
        source.replace("2 * __", "2 * 3").replace("== __", "== 3"),
    )
    out = run(pytester, "koans/01_feed").stdout.str()
    assert "Not yet:\n    koans/01_feed/test_01_feed.py:13:  assert half == 4" in out
    assert "think again about your answer" not in out
