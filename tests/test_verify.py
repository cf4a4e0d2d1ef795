"""The verifier: judging outcomes, and a whole run on a tiny kata."""

import io
import subprocess
import sys

import pytest

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
    koan, _ = koan_source
    kata.pair("01_arith", "test_01_add.py", koan, koan)
    out = io.StringIO()
    assert verify.run(kata.root, static_only=True, out=out) == 1
    assert "solution still has a blank" in out.getvalue()


HANGS = {
    "in C": "any(iter(int, 1))",  # holds the GIL: no Python signal handler runs
    "in Python": "any(iter(lambda: 0, 1))",  # calls Python code: a signal handler runs
}


def hanging_pair(kata, koan_source, loop: str, limit: str = "1") -> None:
    """A kata whose solution of test_three_times_three never finishes."""
    koan, solution = koan_source
    helper = (
        "\n\ndef nine():\n"
        "    import os\n"
        "    from pathlib import Path\n\n"
        "    Path('hanging.pid').write_text(str(os.getpid()))\n"
        f"    {loop}\n"
    )
    kata.pair("01_arith", "test_01_add.py", koan + helper, solution.replace("3 * 3 == 9", "3 * 3 == nine()") + helper)
    ini = kata.root / "pytest.ini"
    ini.write_text(ini.read_text() + f"kata_timeout = {limit}\n")


def end(pid_file) -> bool:
    """Whether the process that wrote pid_file has ended (killing it if not: never leave one spinning)."""
    import os
    import signal
    import time

    if not pid_file.exists():
        return True
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(("where", "workers"), [("in C", "1"), ("in C", "0"), ("in Python", "0")])
def test_a_solution_that_never_finishes_is_named_and_verify_ends(kata, koan_source, where, workers):
    hanging_pair(kata, koan_source, HANGS[where])
    out = io.StringIO()
    try:
        code = verify.run(kata.root, ["01_arith"], workers=workers, mutate=False, out=out)
    finally:
        assert end(kata.root / "hanging.pid")
    text = out.getvalue()
    assert code != 0
    assert (
        "solutions/01_arith/test_01_add.py::test_three_times_three: solution did not finish in 1 s, "
        "stopped at solutions/01_arith/test_01_add.py:" in text
    )
    assert "Traceback" not in text


def interrupt_after_start(args, cwd, pid_file) -> subprocess.CompletedProcess:
    """Run ``python -m kata ARGS`` as a terminal would and press Ctrl-C once the hanging answer runs."""
    import os
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "kata", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a job
    )
    try:
        deadline = time.monotonic() + 120
        while not pid_file.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: SIGINT to the terminal's foreground group
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return subprocess.CompletedProcess(args, proc.returncode, out)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    "command", [["verify", "--chapter", "01_arith", "-n", "1", "--no-mutants"], ["progress", "--run", "-n", "1"]]
)
def test_ctrl_c_ends_a_child_run_cleanly_and_leaves_no_worker(kata, koan_source, command):
    hanging_pair(kata, koan_source, HANGS["in C"], limit="0")  # no limit: only Ctrl-C ends it
    if command[0] == "progress":  # progress runs the learner's koans/: the hanging answer is theirs
        (kata.root / "koans/01_arith/test_01_add.py").write_text(
            (kata.root / "solutions/01_arith/test_01_add.py").read_text()
        )
    try:
        result = interrupt_after_start(command, kata.root, kata.root / "hanging.pid")
    finally:
        ended = end(kata.root / "hanging.pid")
    assert ended, "the worker running the hanging answer was left behind"
    assert result.returncode == 130
    assert "Traceback" not in result.stdout and "KeyboardInterrupt" not in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == f"kata {command[0]}: interrupted (Ctrl-C)"
