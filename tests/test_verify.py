"""The verifier: judging outcomes, and a whole run on a tiny kata."""

import io

from kata.dev import verify
from kata.runs.record import Outcome, Record, fold

EXPECTED = [("01_a", "test_01_a.py", "test_x")]
KID, SID = "koans/01_a/test_01_a.py::test_x", "solutions/01_a/test_01_a.py::test_x"


def judged(koan: Outcome, solution: Outcome):
    return verify.judge(EXPECTED, {KID: koan, SID: solution}, [], [])


def test_a_koan_failing_at_its_blank_with_a_passing_solution_is_verified():
    j = judged(Outcome("failed", "blank"), Outcome("passed"))
    assert (j.passed, j.problems) == (1, [])


def test_a_koan_that_passes_as_shipped_is_a_problem():
    j = judged(Outcome("passed"), Outcome("passed"))
    assert j.passed == 0
    assert "passes as shipped" in j.problems[0].what


def test_a_koan_failing_for_another_reason_is_a_problem():
    j = judged(Outcome("failed", "wrong", message="RuntimeError: boom"), Outcome("passed"))
    assert "not because of a blank" in j.problems[0].what


def test_a_failing_solution_is_a_problem():
    j = judged(Outcome("failed", "blank"), Outcome("failed", "wrong", message="assert 1 == 2"))
    assert j.problems[0].where == SID and "solution fails" in j.problems[0].what


def test_a_koan_that_never_ran_is_a_problem():
    j = verify.judge(EXPECTED, {}, [], [])
    assert {p.where for p in j.problems} == {KID, SID}


def test_hardware_skips_are_unverified_never_passed():
    skipped = Outcome("skipped", hardware="cuda", skip_reason="needs a CUDA GPU")
    j = judged(skipped, skipped)
    assert (j.passed, j.problems, dict(j.unverified)) == (0, [], {"needs a CUDA GPU": [KID]})


def test_a_skip_for_another_reason_is_a_problem():
    j = judged(Outcome("failed", "blank"), Outcome("skipped", skip_reason="flaky"))
    assert "not for missing hardware" in j.problems[0].what


def test_fold_takes_the_worst_phase():
    records = [
        Record(KID, "setup", "passed"),
        Record(KID, "call", "failed", verdict="blank", message="m"),
        Record(KID, "teardown", "passed"),
        Record(SID, "setup", "failed", message="fixture"),
    ]
    folded = fold(records)
    outcomes, loose = folded.outcomes, folded.loose
    assert (outcomes[KID].outcome, outcomes[KID].verdict) == ("failed", "blank")
    assert (outcomes[SID].outcome, outcomes[SID].verdict) == ("failed", "error in setup")
    assert loose == []


def test_a_whole_run_passes_an_honest_kata_and_names_a_dishonest_koan(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, solution)
    out = io.StringIO()
    assert verify.run(kata.root, ["01_arith"], workers="0", out=out) == 0
    assert out.getvalue().splitlines()[-1].startswith("verify: OK")
    assert "2 koans, 1 chapters, 2 passed, 0 unverified" in out.getvalue()

    # A blank whose value does not decide the result: `not (x == __)` is always true.
    kata.pair(
        "01_arith",
        "test_01_add.py",
        koan.replace("assert 3 * 3 == __", "assert not (3 * 3 == __)"),
        solution.replace("assert 3 * 3 == 9", "assert not (3 * 3 == 8)"),
    )
    out = io.StringIO()
    assert verify.run(kata.root, ["01_arith"], workers="0", out=out) == 1
    assert "test_three_times_three: koan passes as shipped" in out.getvalue()
    assert out.getvalue().splitlines()[-1].startswith("verify: FAILED")


def test_static_only_reports_counts_and_fails_on_problems(kata, koan_source):
    koan, solution = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, koan)
    out = io.StringIO()
    assert verify.run(kata.root, static_only=True, out=out) == 1
    assert "solution still has a blank" in out.getvalue()
