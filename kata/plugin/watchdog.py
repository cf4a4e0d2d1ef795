"""The watchdog process of ``kata.plugin.timeout``: ends a koan that holds the interpreter.

An answer looping in C (``any(iter(int, 1))``) never releases the GIL, so no
Python code of its own process runs again: no signal handler, no thread.  This
small process, started once per pytest process, does what that one cannot.
It reads lines on its stdin from the pytest process:

- ``arm <seconds> <limit> <nodeid> <file>`` (tab-separated): a koan
  started; end it if it is still running ``seconds`` from now.
- ``disarm``: it finished.

At the deadline (or one second after a Ctrl-C, which the stuck process cannot
act on) it asks for that process's stacks with SIGUSR1, which ``faulthandler``
answers from C, without the GIL, into this same pipe; finds the koan's line in
them; kills the process's children; prints one report (and, for ``kata
verify``, appends it to the notes file as a JSON line); then waits for the
process to end itself: its ``faulthandler.dump_traceback_later(exit=True)``,
set a little later than this deadline, exits with status 1, so the shell
prints no "Killed" (after a Ctrl-C it kills it at once).  It exits when its
stdin closes or its parent is gone.

Stdlib only, run as a script (``python -I -S watchdog.py PID NOTES [worker]``): it
starts in milliseconds and imports neither pytest nor torch.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time

# After the report, how long the stuck process gets to end itself before it is killed.
EXIT_WAIT = 10.0
# A Ctrl-C gives the process this long to stop on its own (an answer looping in Python does).
INTERRUPT_GRACE = 1.0
_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+) in ')

ADVICE = (
    "  Something in it never ends, or does far more work than the koan needs: a loop whose "
    "condition stays true, an iterator that never runs out, sizes far too big?"
)
SETTING = "  The limit per koan: pytest --kata-timeout=SECONDS (0 turns it off)."


def shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def source_line(path: str, line: int) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().splitlines()[line - 1].strip()
    except (OSError, IndexError, UnicodeDecodeError):
        return ""


def report(nodeid: str, what: str, where: tuple[str, int] | None) -> str:
    """The one report: the same shape as the learner's koan reports."""
    out = [f"{nodeid} {what}; stopped at:" if where else f"{nodeid} {what}."]
    if where:
        out.append(f"    {shown(where[0])}:{where[1]}:  {source_line(*where)}")
    return "\n".join(out)


def koan_frame(dump: str, koan_file: str) -> tuple[str, int] | None:
    """The innermost frame in the koan's file, in a faulthandler dump (most recent call first)."""
    want = os.path.realpath(koan_file)
    for text in dump.splitlines():
        m = _FRAME.match(text)
        if m and os.path.realpath(m["file"]) == want:
            return m["file"], int(m["line"])
    return None


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``: /proc where there is one, else ``ps``."""
    parents: dict[int, int] = {}
    if os.path.isdir("/proc"):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    else:
        try:
            listing = subprocess.run(["ps", "-A", "-o", "pid=", "-o", "ppid="], capture_output=True, text=True).stdout
        except OSError:
            return []
        for text in listing.splitlines():
            fields = text.split()
            if len(fields) == 2 and fields[0].isdigit() and fields[1].isdigit():
                parents[int(fields[0])] = int(fields[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        here = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == here and p not in found]
        found += kids
        frontier += kids
    return found


class Watchdog:
    def __init__(self, parent: int, notes: str, worker: bool = False) -> None:
        self.parent = parent
        self.notes = notes
        self.worker = worker  # the process is a pytest-xdist worker: the run goes on without it
        self.buffer = b""
        self.armed: tuple[float, str, str, str] | None = None  # deadline, limit, nodeid, file
        self.armed_at = 0.0
        self.interrupted = False
        self.interrupt_pending = False  # a Ctrl-C came before this process had read the koan's "arm"

    def on_interrupt(self, signum: int, frame: object) -> None:
        # A Ctrl-C reaches the whole foreground group; the stuck process cannot act on it.
        self.interrupt_pending = True
        self.apply_interrupt()

    def apply_interrupt(self) -> None:
        if self.interrupt_pending and self.armed is not None:
            self.interrupt_pending = False
            self.interrupted = True
            deadline, limit, nodeid, file = self.armed
            self.armed = (min(deadline, time.monotonic() + INTERRUPT_GRACE), limit, nodeid, file)

    def read(self, timeout: float | None) -> str:
        """Read what comes within ``timeout``: "data", "quiet" (nothing came) or "eof"."""
        try:
            ready, _, _ = select.select([0], [], [], timeout)
        except InterruptedError:
            return "quiet"
        if not ready:
            return "quiet"
        data = os.read(0, 65536)
        if not data:
            return "eof"
        self.buffer += data
        return "data"

    def lines(self) -> list[str]:
        *done, self.buffer = self.buffer.split(b"\n")
        return [d.decode("utf-8", "replace") for d in done]

    def handle(self, lines: list[str]) -> None:
        for text in lines:
            fields = text.split("\t")
            if fields[0] == "arm" and len(fields) == 5:
                self.armed = (time.monotonic() + float(fields[1]), fields[2], fields[3], fields[4])
                self.armed_at = time.monotonic()
                self.interrupted = False
            elif fields[0] == "disarm":
                self.armed = None
                self.interrupt_pending = False  # the koan ended: the parent itself saw that Ctrl-C

    def parent_gone(self) -> bool:
        return os.getppid() != self.parent

    def loop(self) -> None:
        while True:
            timeout = 1.0 if self.armed is None else max(0.0, min(1.0, self.armed[0] - time.monotonic()))
            if self.read(timeout) == "eof" or self.parent_gone():
                return
            self.handle(self.lines())
            self.apply_interrupt()
            if self.armed is not None and time.monotonic() >= self.armed[0]:
                self.stop()
                return

    def stop(self) -> None:
        assert self.armed is not None
        _, limit, nodeid, file = self.armed
        elapsed = time.monotonic() - self.armed_at
        try:
            os.kill(self.parent, signal.SIGUSR1)  # faulthandler writes every thread's stack into our stdin
        except OSError:
            return
        dump: list[str] = []
        give_up = time.monotonic() + 3.0
        while time.monotonic() < give_up:
            got = self.read(0.3)
            lines = self.lines()
            if "disarm" in lines:
                self.armed = None
                return  # it finished after all
            dump += lines
            if got == "eof" or (got == "quiet" and dump):
                break  # faulthandler writes a line in pieces: the dump is complete once nothing more comes
        for pid in descendants(self.parent):
            if pid != os.getpid():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        what = f"was interrupted (Ctrl-C) after {elapsed:.0f} s" if self.interrupted else f"did not finish in {limit} s"
        text = report(nodeid, what, koan_frame("\n".join(dump), file))
        held = "the answer held the interpreter (a loop inside C code never lets Python in)"
        if self.worker:
            closing = f"  Its pytest-xdist worker was ended: {held}."
        else:
            closing = f"  The run ends here: {held}, so it was ended with the run.  The koans you solved are saved."
        sys.stderr.write("\n\n" + text + "\n" + ("" if self.interrupted else ADVICE + "\n" + SETTING + "\n"))
        sys.stderr.write(closing + "\n")
        sys.stderr.flush()
        if self.notes:
            with open(self.notes, "a", encoding="utf-8") as f:
                f.write(json.dumps({"nodeid": nodeid, "message": text}) + "\n")
        # At the limit the process ends itself (faulthandler's exit, status 1, so the shell prints no "Killed");
        # after a Ctrl-C, or if it does not, it is killed.
        deadline = time.monotonic() + (0 if self.interrupted else EXIT_WAIT)
        while time.monotonic() < deadline and not self.parent_gone():
            if self.read(0.2) == "eof":
                return
            self.lines()
        if not self.parent_gone():
            try:
                os.kill(self.parent, signal.SIGKILL)
            except OSError:
                pass


def main(argv: list[str]) -> int:
    parent, notes = int(argv[0]), argv[1] if len(argv) > 1 else ""
    dog = Watchdog(parent, notes, worker=len(argv) > 2 and argv[2] == "worker")
    signal.signal(signal.SIGINT, dog.on_interrupt)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # spawned with it blocked; a pending one lands now
    dog.loop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
