"""The per-koan time limit (issue 18): an answer that never finishes ends in one clean report.

Every run here is a real pytest in a subprocess with a one-second limit; pytester's own
``timeout`` is the backstop that makes a run which is never stopped fail instead of hang.
"""

import importlib.util
import os
import sys
import time
from pathlib import Path

import pytest

from kata.state import cache

# Rank pools are torch processes: these tests need torch where the others do not.
needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch")

LIMIT = "--kata-timeout=1"
BACKSTOP = 90  # seconds: a run the limit did not stop fails here instead of hanging the suite

LOOPS = '''
    """A lesson whose second koan never finishes."""

    import os
    import subprocess
    import sys
    from pathlib import Path

    from kata import __


    def test_solved():
        """Solved.

        Hint: none needed.
        """
        assert 1 == 1


    def test_never_finishes():
        """An answer that never finishes.

        Hint: none.
        """
        CHILD
        LOOP
        assert 1 == __


    def test_after():
        """After it.

        Hint: none needed.
        """
        assert 2 == 2
'''
IN_C = "any(iter(int, 1))  # C code: the GIL is never released, no Python signal handler runs"
IN_PYTHON = "while True:\n            pass"
# A process the answer started, which must not outlive the run.
CHILD = (
    'child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])\n'
    '        Path("pids").write_text(f"{os.getpid()} {child.pid}")'
)


def lesson_with(loop: str, child: bool = False) -> str:
    return LOOPS.replace("CHILD", CHILD if child else "").replace("LOOP", loop)


def loop_line(path: Path) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "any(iter" in text or "while" in text)


def solved(root: Path) -> list[str]:
    return sorted(cache.read_solved(root))


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def left_behind(root: Path) -> list[int]:
    """Processes still running in the kata's folder (the test process itself aside)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if Path(os.readlink(entry / "cwd")).resolve() == root.resolve() and alive(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def settle(root: Path, seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := left_behind(root)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


needs_proc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@needs_proc
def test_an_answer_looping_in_c_is_stopped_named_and_leaves_nothing_behind(kata, pytester):
    path = kata.lesson("koans", "01_a", "test_01_a.py", lesson_with(IN_C, child=True))
    try:
        result = pytester.runpytest_subprocess("koans/01_a", LIMIT, timeout=BACKSTOP)
    finally:
        for pid in settle(kata.root, 10):
            os.kill(pid, 9)  # never leave a spinning process on a shared machine
    out = result.stdout.str() + result.stderr.str()
    assert result.ret != 0
    assert "koans/01_a/test_01_a.py::test_never_finishes did not finish in 1 s" in out
    assert f"koans/01_a/test_01_a.py:{loop_line(path)}:  any(iter(int, 1))" in out
    assert "Thread 0x" not in out and "Traceback" not in out and "Timeout (" not in out  # no stack dump
    assert out.count("did not finish") == 1
    assert solved(kata.root) == ["koans/01_a/test_01_a.py::test_solved"]
    pids = [int(p) for p in (kata.root / "pids").read_text().split()]
    assert not any(alive(p) for p in pids)  # the run and the child its answer started


@needs_proc
def test_an_answer_looping_in_python_fails_its_koan_and_the_run_goes_on(kata, pytester):
    path = kata.lesson("koans", "01_a", "test_01_a.py", lesson_with(IN_PYTHON))
    try:
        result = pytester.runpytest_subprocess("koans/01_a", LIMIT, "--keep-going", timeout=BACKSTOP)
    finally:
        for pid in settle(kata.root):
            os.kill(pid, 9)
    out = result.stdout.str()
    result.assert_outcomes(passed=2, failed=1)
    assert "did not finish in 1 s" in out
    line = loop_line(path)  # the signal lands on the `while` or on its `pass`
    assert f"koans/01_a/test_01_a.py:{line}:  while True:" in out or f"koans/01_a/test_01_a.py:{line + 1}:  pass" in out
    assert "Traceback" not in out
    assert solved(kata.root) == ["koans/01_a/test_01_a.py::test_after", "koans/01_a/test_01_a.py::test_solved"]


SLEEPS = '''
    """A koan that takes two seconds."""

    import time

    import pytest


    MARK
    def test_slow():
        """Slow.

        Hint: none needed.
        """
        time.sleep(2)
'''


def test_the_limit_comes_from_the_ini_file_and_0_turns_it_off(kata, pytester):
    kata.lesson("koans", "01_a", "test_01_a.py", SLEEPS.replace("MARK", ""))
    ini = kata.root / "pytest.ini"
    ini.write_text(ini.read_text() + "kata_timeout = 1\n")
    stopped = pytester.runpytest_subprocess("koans/01_a", timeout=BACKSTOP)
    stopped.assert_outcomes(failed=1)
    assert "did not finish in 1 s" in stopped.stdout.str()
    pytester.runpytest_subprocess("koans/01_a", "--kata-timeout=0", timeout=BACKSTOP).assert_outcomes(passed=1)


@needs_torch
def test_multiprocess_koans_keep_their_own_bound(kata, pytester):
    # Spelled in two parts: kata.ranks prestarts its pool for a run whose selected files all say it in one.
    kata.lesson("koans", "01_a", "test_01_a.py", SLEEPS.replace("MARK", "@pytest.mark." + "multiprocess"))
    result = pytester.runpytest_subprocess("koans/01_a", LIMIT, "-rs", timeout=BACKSTOP)
    if "skipped" in result.stdout.str():
        pytest.skip("no gloo here: the multiprocess koan is skipped before any limit applies")
    result.assert_outcomes(passed=1)


def test_an_interrupt_while_a_report_is_made_raises_no_plugin_teardown_warning(kata, koan_source, pytester):
    """Ctrl-C may land while pytest builds a koan's report, inside the kata's report hooks."""
    kata.pair("01_arith", "test_01_add.py", *koan_source)
    conftest = kata.root / "conftest.py"
    conftest.write_text(
        conftest.read_text() + "\n\ndef pytest_runtest_makereport(item, call):\n"
        "    if call.when == 'call':\n"
        "        raise KeyboardInterrupt\n"
    )
    result = pytester.runpytest_subprocess("koans/01_arith", timeout=BACKSTOP)
    out = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert "PluggyTeardownRaisedWarning" not in out


@needs_proc
def test_ctrl_c_ends_an_answer_looping_in_c(kata, pytester):
    """Ctrl-C reaches the watchdog too, which ends the run the stuck interpreter cannot end itself."""
    import signal
    import subprocess

    path = kata.lesson("koans", "01_a", "test_01_a.py", lesson_with(IN_C, child=True))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "koans/01_a", "--kata-timeout=60", "-p", "no:cacheprovider"],
        cwd=kata.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a process group of its own, as a shell gives a job
    )
    try:
        deadline = time.monotonic() + BACKSTOP
        while not (kata.root / "pids").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        started = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: SIGINT to the terminal's foreground group
        out, _ = proc.communicate(timeout=30)
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for pid in settle(kata.root):
            os.kill(pid, 9)
    assert proc.returncode != 0
    assert took < 15  # the limit is 60 s: Ctrl-C ended it
    assert "koans/01_a/test_01_a.py::test_never_finishes was interrupted (Ctrl-C)" in out
    assert f"koans/01_a/test_01_a.py:{loop_line(path)}:  any(iter(int, 1))" in out
    assert "Traceback" not in out and "Thread 0x" not in out
    assert not any(alive(int(p)) for p in (kata.root / "pids").read_text().split())


@needs_proc
def test_progress_run_names_an_answer_that_never_finishes(kata, pytester, capsys):
    from kata import cli

    kata.lesson("koans", "01_a", "test_01_a.py", lesson_with(IN_C, child=True))
    kata.lesson("solutions", "01_a", "test_01_a.py", lesson_with("pass").replace("== __", "== 1"))
    ini = kata.root / "pytest.ini"
    ini.write_text(ini.read_text() + "kata_timeout = 1\n")
    try:
        cli.main(["progress", "--run", "-n", "1"])
    finally:
        for pid in settle(kata.root):
            os.kill(pid, 9)
    out = capsys.readouterr().out
    assert "kata progress: koans/01_a/test_01_a.py::test_never_finishes did not finish in 1 s; stopped at:" in out
    assert "the koans after it did not run" in out
