"""`kata watch`: a save reruns the chapter once, in a warm forked child, and shows the verdict."""

import importlib.util
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from kata.commands import watch
from kata.commands.watch import events as watch_events

# Rank pools are torch processes: these tests need torch where the others do not.
needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch")

WAITING = watch.WAITING


class Watching:
    """`python -m kata watch ...` in a subprocess of the tiny kata, read line by line."""

    def __init__(self, root, *args):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kata", "watch", *args, "--no-clear", "--interval", "0.02"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def runs(self, n, timeout=60):
        """The output once ``n`` runs have reported."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.lines.count(WAITING) < n:
                if time.monotonic() > deadline or (self.proc.poll() is not None and not self._pending()):
                    pytest.fail("no verdict from kata watch:\n" + "\n".join(self.lines))
                self.cond.wait(0.1)
            return "\n".join(self.lines)

    def _pending(self):
        return self.proc.stdout is not None and not self.proc.stdout.closed

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@pytest.fixture
def lesson(kata, koan_source):
    kata.pair("01_arith", "test_01_add.py", *koan_source)
    return kata.root / "koans/01_arith/test_01_add.py"


def save(path, old, new):
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize("how", [[], ["--poll"]], ids=["events", "polling"])
def test_a_save_reruns_and_a_syntax_error_is_survived(kata, lesson, how):
    w = Watching(kata.root, "--max-runs", "4", *how)
    try:
        out = w.runs(1)
        assert "kata watch: koans/01_arith (first run;" in out
        assert "✗ koans/01_arith/test_01_add.py::test_two_and_two_make_four" in out
        assert "test_01_add.py:11:  assert 2 + 2 == __" in out and "0/2 koans" in out
        save(lesson, "2 + 2 == __", "2 + 2 == 4")
        out = w.runs(2).split(WAITING)[1]
        assert "saved test_01_add.py" in out
        assert "✗ koans/01_arith/test_01_add.py::test_three_times_three" in out and "1/2 koans" in out
        save(lesson, "3 * 3 == __", "(3 * 3 == 9")
        out = w.runs(3).split(WAITING)[2]
        assert "does not import" in out and "SyntaxError" in out
        save(lesson, "(3 * 3 == 9", "3 * 3 == 9")
        out = w.runs(4).split(WAITING)[3]
        assert "✓ every koan of koans/01_arith" in out and "2/2 koans" in out
        assert w.proc.wait(timeout=30) == 0  # --max-runs 4
    finally:
        w.close()


def test_ctrl_c_stops_cleanly(kata, lesson):
    w = Watching(kata.root)
    try:
        w.runs(1)
        w.proc.send_signal(signal.SIGINT)
        assert w.proc.wait(timeout=30) == 0
        time.sleep(0.1)
        out = "\n".join(w.lines)
        assert "kata watch: stopped" in out and "Traceback" not in out
    finally:
        w.close()


@pytest.mark.parametrize("events", [False, True], ids=["polling", "events"])
def test_one_save_of_several_writes_is_one_change(kata, lesson, events):
    notifier = watch_events.file_events(kata.root) if events else None
    if events and notifier is None:
        pytest.skip("no inotify here")
    before = watch_events.snapshot(kata.root)

    def editor_save():  # truncate, then write a moment later, as some editors do
        time.sleep(0.05)
        text = lesson.read_text()
        lesson.write_text("")
        time.sleep(0.02)
        lesson.write_text(text + "# saved\n")

    t = threading.Thread(target=editor_save)
    t.start()
    after = watch_events.wait_for_change(kata.root, before, interval=0.01, debounce=0.25, timeout=10, events=notifier)
    t.join()
    assert after is not None and watch_events.changed_files(before, after) == [str(lesson)]
    assert after == watch_events.snapshot(kata.root)
    (kata.root / "koans/01_arith/notes.txt").write_text("not a lesson")  # an event, but no change
    assert (
        watch_events.wait_for_change(kata.root, after, interval=0.01, debounce=0.05, timeout=0.3, events=notifier)
        is None
    )
    if notifier is not None:
        notifier.close()


def test_an_unknown_chapter_lists_close_matches(kata, lesson, monkeypatch, capsys):
    from kata import cli

    monkeypatch.chdir(kata.root)
    assert cli.main(["watch", "01_arithmetic"]) == 2
    assert "koans/01_arith" in capsys.readouterr().err


SLOW = '''
    """A koan that takes its time."""
    import time

    from kata import __


    def test_slow():
        """Slow.

        Hint: wait.
        """
        time.sleep(60)
        assert 1 == __
'''


def test_a_save_during_a_run_interrupts_it_and_starts_over(kata):
    lesson = kata.lesson("koans", "01_slow", "test_01_slow.py", SLOW)
    w = Watching(kata.root, "--max-runs", "1")
    try:
        deadline = time.monotonic() + 60
        while "kata watch: ready; the first run starts" not in w.lines:
            assert time.monotonic() < deadline and w.proc.poll() is None, "\n".join(w.lines)
            time.sleep(0.05)
        time.sleep(1.0)  # the first run is sleeping in the koan now
        save(lesson, "time.sleep(60)", "time.sleep(0)")
        out = w.runs(1)
        assert "saved again while it ran; starting over" in out
        assert "test_01_slow.py:13:  assert 1 == __" in out, out
        assert w.proc.wait(timeout=30) == 0
    finally:
        w.close()


# -- runs that take long, and a watch that is killed (issue 18) ------------------------------

HANGS = '''
    """A koan whose answer never finishes, after starting a process of its own."""

    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from kata import __


    def test_solved():
        """Solved.

        Hint: none needed.
        """
        assert 1 == 1


    def test_never_finishes():
        """Never finishes.

        Hint: none.
        """
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        Path("pids").write_text(f"{os.getpid()} {child.pid}")
        LOOP
        assert 1 == __
'''
IN_PYTHON = "while True:\n            time.sleep(0.05)"
IN_C = "any(iter(int, 1))  # C code: no Python signal handler runs until it ends"
HANGING = "koans/01_hang/test_01_hang.py::test_never_finishes"


def hanging_kata(kata, loop, limit):
    kata.lesson("koans", "01_hang", "test_01_hang.py", HANGS.replace("LOOP", loop))
    ini = kata.root / "pytest.ini"
    ini.write_text(ini.read_text() + f"kata_timeout = {limit}\n")


def gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def all_gone(pids, within=10.0):
    deadline = time.monotonic() + within
    while not all(gone(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if not gone(p)]


def wait_for(w, text, timeout=60):
    deadline = time.monotonic() + timeout
    while not any(text in line for line in w.lines):
        if time.monotonic() > deadline or w.proc.poll() is not None:
            pytest.fail(f"no {text!r} from kata watch:\n" + "\n".join(w.lines))
        time.sleep(0.05)


def koan_pids(kata):
    path = kata.root / "pids"
    deadline = time.monotonic() + 30
    while not (path.exists() and len(path.read_text().split()) == 2):
        assert time.monotonic() < deadline, "the koan never started"
        time.sleep(0.05)
    return [int(p) for p in path.read_text().split()]


needs_proc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@needs_proc
@pytest.mark.parametrize("loop", [IN_PYTHON, IN_C], ids=["in_python", "in_c"])
def test_a_long_run_says_it_is_going_and_a_stopped_one_names_its_koan(kata, loop):
    pytest.importorskip("pytest_timeout", reason="the per-koan time limit is built on pytest-timeout")
    hanging_kata(kata, loop, limit=3)
    w = Watching(kata.root, "01_hang", "--max-runs", "1")
    try:
        out = w.runs(1)
        pids = koan_pids(kata)
        assert w.proc.wait(timeout=30) == 0
    finally:
        w.close()
    # Past two seconds, the koan it is on; then the time limit's verdict, naming the koan.
    running = [line for line in out.splitlines() if "still running" in line]
    assert running, out
    assert re.fullmatch(rf"kata watch: koans/01_hang: still running \(\d+ s; koan {HANGING}\)", running[0])
    assert f"⏱ stopped by the time limit: {HANGING} did not finish in 3 s" in out
    assert "1/2 koans" in out  # the solved koan before it still counts
    # Nothing the run started is left: the pytest child and the process its koan started.
    assert all_gone(pids) == []


@needs_proc
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_no_process_of_a_run_outlives_the_watch(kata, how):
    hanging_kata(kata, IN_C, limit=0)  # no time limit: the run would go on for ever
    w = Watching(kata.root, "01_hang")
    try:
        wait_for(w, "still running")
        pids = koan_pids(kata)
        assert all_gone(pids, within=0) == pids  # running, both
        w.proc.send_signal(how)
        code = w.proc.wait(timeout=30)
        assert all_gone(pids) == []
    finally:
        w.close()
    if how != signal.SIGKILL:
        assert code == 0
        time.sleep(0.1)
        assert "kata watch: stopped" in "\n".join(w.lines)


# -- the distributed koans: the watch owns the rank pool (issue 15) -----------------------

RANKS = '''
    """Ranks that say who they are."""

    import os

    import pytest

    from kata import __

    pytestmark = pytest.mark.multiprocess

    CALLS = []


    def on_rank_who(rank, world_size):
        CALLS.append(rank)  # a module global of the rank's copy of this file
        with open(OUT, "a") as f:
            f.write(f"{os.getpid()} {os.getppid()} {len(CALLS)}\\n")
        DIE
        return rank


    def test_who(ranks):
        """Who.

        Hint: none.
        """
        got = ranks(on_rank_who, world_size=2)  # no blank on this line: a rank failure is reported as one
        assert got == __
'''
OTHER = '''
    """Another lesson, saved to make a run."""

    import pytest

    pytestmark = pytest.mark.multiprocess


    def test_nothing():
        """Nothing.

        Hint: none.
        """
'''


def ppid_of(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


@needs_torch
@needs_proc
def test_the_watch_owns_the_rank_pool_and_every_run_uses_it(kata):
    out_file = kata.root / "ranks.txt"
    source = RANKS.replace("OUT", repr(str(out_file)))
    lesson = kata.lesson("koans", "01_ranks", "test_01_ranks.py", source.replace("DIE", "pass"))
    other = kata.lesson("koans", "01_ranks", "test_02_other.py", OTHER)

    def calls():
        rows = [line.split() for line in out_file.read_text().splitlines()]
        out_file.write_text("")
        return sorted((int(pid), int(ppid), int(n)) for pid, ppid, n in rows)

    w = Watching(kata.root, "01_ranks", "--max-runs", "4")
    try:
        out = w.runs(1)
        if "skipped" in out:
            pytest.skip("no gloo here")
        assert "Fill in the blank" in out, out  # the ranks ran; the test process met the blank
        first = calls()
        assert len(first) == 2
        pool_pids = {pid for pid, _, _ in first}
        # The ranks are forked by a forkserver that the watch started: they are the watch's, not the run's.
        (forkserver,) = {ppid for _, ppid, _ in first}
        assert ppid_of(forkserver) == w.proc.pid
        # A run for a save of another file: the same rank processes, which load the koan file afresh.
        save(other, "Nothing.", "Nothing at all.")
        w.runs(2)
        assert calls() == first
        # A rank that dies: its run reports it, and the next run has new ranks.
        save(lesson, "pass", "os._exit(3) if rank == 1 else None")
        out = w.runs(3).split(WAITING)[2]
        assert "rank 1 died (exit code 3)" in out, out
        calls()
        save(lesson, "os._exit(3) if rank == 1 else None", "pass")
        w.runs(4)
        fresh = calls()
        assert [n for _, _, n in fresh] == [1, 1]
        assert {pid for pid, _, _ in fresh}.isdisjoint(pool_pids)
        assert w.proc.wait(timeout=30) == 0
    finally:
        w.close()
    assert all_gone(pool_pids | {pid for pid, _, _ in fresh} | {forkserver}) == []
