"""`kata watch`: a save reruns the chapter once, in a warm forked child, and shows the verdict."""

import signal
import subprocess
import sys
import threading
import time

import pytest

from kata.commands import watch
from kata.commands.watch import events as watch_events

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
