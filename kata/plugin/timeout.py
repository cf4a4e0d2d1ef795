"""The per-koan time limit: a koan that runs too long is stopped, named, and its run ends cleanly.

pytest-timeout decides which tests have a limit and when it starts and stops
(its ``timeout`` marker, its handling of pdb); this plugin gives every koan
that marker (``--kata-timeout=SECONDS`` or the ini setting ``kata_timeout``,
default 30 s, 0 for none; koans marked ``compiler`` get four more minutes for
their cold C++ builds; ``multiprocess`` koans keep the bound of their ranks
harness, ``kata.ranks``) and implements pytest-timeout's two public hooks,
``pytest_timeout_set_timer`` and ``pytest_timeout_cancel_timer``, for koans.
Other tests keep pytest-timeout's own behaviour.

A limit is enforced in two stages:

1. At the limit, SIGALRM: its Python handler fails the koan ("did not finish
   in N s", with the line it was on).  This ends an answer looping in Python,
   or sleeping, and the run goes on as after any failure (the learner's run
   stops there, verify records it, the solved marks are stored).
2. An answer looping in C (``any(iter(int, 1))``) holds the GIL: no handler
   and no thread of this process runs again.  ``kata.plugin.watchdog``, a
   small process started with the first koan, ends it ``GRACE`` seconds later:
   it asks for the stacks (``faulthandler.register(SIGUSR1)``, answered from
   C), prints one report naming the koan and its line, kills the process's
   children, and the process then exits itself with status 1
   (``faulthandler.dump_traceback_later(exit=True)``, set ``EXIT_AFTER`` after
   the watchdog's deadline).  Its session's end never comes, so the solved
   marks must be, and are, stored as each koan passes (``kata.plugin.learner``).  Under
   ``kata verify`` the watchdog also appends its report to ``FILE.stopped``,
   which ``kata.runs.child`` reads.

Not on Windows (no SIGALRM, no SIGUSR1): there pytest-timeout's own thread
method applies.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from kata.lessons import parse_cached
from kata.plugin import watchdog
from kata.plugin.classify import Classifier
from kata.plugin.report import shown, source_line
from kata.runs.child import STOPPED_SUFFIX

DEFAULT_LIMIT = 30.0
# After the limit, how long stopping the koan from Python may take before the watchdog ends its process.
GRACE = 2.0
# After the watchdog's deadline, when the stuck process exits (its report is printed by then).
EXIT_AFTER = 2.0
# Koans marked `compiler` build C++ (Inductor, cpp_extension): a minute or more when cold.
COMPILER_EXTRA = 240.0
WATCHDOG = str(Path(watchdog.__file__).resolve())


def limit_of(config: pytest.Config) -> float:
    value = config.getoption("kata_timeout")
    if value is None:
        value = config.getini("kata_timeout")
    try:
        return max(0.0, float(value))
    except ValueError:
        raise pytest.UsageError(f"kata_timeout = {value!r}: not a number of seconds") from None


def register(config: pytest.Config, classifier: Classifier, verify_file: str | None) -> None:
    """Register the timer when there is a limit and pytest-timeout is loaded (``-p no:timeout`` turns it off)."""
    limit = limit_of(config)
    if limit > 0 and config.pluginmanager.hasplugin("timeout"):
        notes = verify_file + STOPPED_SUFFIX if verify_file else ""
        # Registered after the learner's and the recorder's plugins: its report wrapper is the outermost one.
        config.pluginmanager.register(KoanTimer(config, classifier, limit, notes), "kata-timer")


@dataclass
class Armed:
    limit: float
    fired: bool = False
    where: tuple[str, int] | None = None  # the koan file's line it was on
    reported: bool = False
    alarm: bool = False  # our SIGALRM handler is installed
    previous: Any = signal.SIG_DFL


ARMED = pytest.StashKey[Armed]()


@dataclass
class Watchdog:
    pid: int
    pipe: int  # its stdin: our messages, and faulthandler's stacks on SIGUSR1
    devnull: int  # where faulthandler's exit writes its own stacks: the watchdog has reported


def _koan_line(frame: FrameType | None, path: Path) -> tuple[str, int] | None:
    want = os.path.realpath(path)
    while frame is not None:
        if os.path.realpath(frame.f_code.co_filename) == want:
            return frame.f_code.co_filename, frame.f_lineno
        frame = frame.f_back
    return None


class KoanTimer:
    def __init__(self, config: pytest.Config, classifier: Classifier, limit: float, notes: str) -> None:
        self.config = config
        self.classifier = classifier
        self.limit = limit
        self.notes = notes
        self.watchdog: Watchdog | None = None
        self.no_watchdog = os.name != "posix" or not hasattr(signal, "SIGUSR1") or not hasattr(os, "posix_spawn")

    # -- which koans, and how long --------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if self.config.getoption("timeout", None) is not None:
            return  # pytest-timeout's own --timeout, given on purpose, rules
        for item in items:
            if (
                not self.classifier.place(item.path)
                or item.get_closest_marker("timeout")
                or item.get_closest_marker("multiprocess")  # the ranks harness bounds these itself
            ):
                continue
            extra = COMPILER_EXTRA if item.get_closest_marker("compiler") else 0.0
            item.add_marker(pytest.mark.timeout(self.limit + extra))

    # -- pytest-timeout's hooks -----------------------------------------------------------

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_timeout_set_timer(self, item: pytest.Item, settings: Any) -> bool | None:
        if os.name != "posix" or not self.classifier.place(item.path):
            return None  # pytest-timeout's own way
        armed = Armed(float(settings.timeout))
        item.stash[ARMED] = armed
        if threading.current_thread() is threading.main_thread():

            def on_alarm(signum: int, frame: FrameType | None) -> None:
                from pytest_timeout import is_debugging  # type: ignore[import-untyped]

                if is_debugging():
                    return
                armed.fired = True
                armed.where = _koan_line(frame, item.path)
                pytest.fail(f"did not finish in {armed.limit:g} s", pytrace=False)

            armed.previous = signal.signal(signal.SIGALRM, on_alarm)
            armed.alarm = True
            signal.setitimer(signal.ITIMER_REAL, armed.limit)
        self._arm_watchdog(item, armed.limit)
        return True

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_timeout_cancel_timer(self, item: pytest.Item) -> bool | None:
        armed = item.stash.get(ARMED, None)
        if armed is None:
            return None
        if armed.alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, armed.previous if armed.previous is not None else signal.SIG_DFL)
            armed.alarm = False
        self._disarm_watchdog()
        return True

    def pytest_enter_pdb(self) -> None:
        self._disarm_watchdog()  # a learner in pdb is no hang

    # -- the report -----------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        rep = yield
        armed = item.stash.get(ARMED, None)
        if armed is not None and armed.fired and not armed.reported:
            # Failed even if the answer caught the interruption and went on to pass.
            armed.reported = True
            rep.outcome = "failed"
            rep.longrepr = self.stopped_report(item, armed)
            rep.user_properties = [p for p in rep.user_properties if p[0] != "kata_verdict"]
            rep.user_properties.append(("kata_verdict", "timeout"))
        return rep

    def stopped_report(self, item: pytest.Item, armed: Armed) -> str:
        try:
            koan = parse_cached(item.path).koan(getattr(item, "originalname", item.name))
        except (OSError, SyntaxError, ValueError):
            koan = None
        out = [f"  {koan.lesson}" if koan and koan.lesson else "", ""]
        what = f"did not finish in {armed.limit:g} s"
        if armed.where:
            file, line = armed.where
            out += [f"  It {what}; stopped at:", f"    {shown(file)}:{line}:  {source_line(file, line)}"]
        else:
            out.append(f"  It {what}.")
        out += [watchdog.ADVICE, watchdog.SETTING]
        return "\n".join(out)

    # -- the watchdog ---------------------------------------------------------------------

    def _start_watchdog(self) -> bool:
        if self.watchdog is not None:
            return True
        if self.no_watchdog:
            return False
        read, write = os.pipe()  # both close on exec; the spawn makes `read` the watchdog's stdin
        args = [sys.executable, "-I", "-S", WATCHDOG, str(os.getpid()), self.notes]
        args += ["worker"] if self.classifier.worker else []
        try:
            # Started outside any test phase, so it writes to the real terminal, not a capture.  A bare spawn,
            # not a Popen: nothing waits for it at the end (it exits by itself when its stdin closes).
            # SIGINT blocked until the watchdog's handler is in place: a Ctrl-C during its start-up would
            # otherwise end it, and with it the only way out of an answer stuck in C.
            pid = os.posix_spawn(
                sys.executable,
                args,
                os.environ,
                file_actions=[(os.POSIX_SPAWN_DUP2, read, 0)],
                setsigmask={signal.SIGINT},
            )
        except OSError:
            os.close(write)
            self.no_watchdog = True
            return False
        finally:
            os.close(read)
        self.watchdog = Watchdog(pid, write, os.open(os.devnull, os.O_WRONLY))
        faulthandler.register(signal.SIGUSR1, file=write, all_threads=True, chain=False)
        return True

    def _send(self, line: str) -> None:
        assert self.watchdog is not None
        try:
            os.write(self.watchdog.pipe, line.encode("utf-8"))
        except OSError:  # it died: stage 1 still applies
            self._stop_watchdog()
            self.no_watchdog = True

    def _arm_watchdog(self, item: pytest.Item, limit: float) -> None:
        if not self._start_watchdog():
            return
        deadline = limit + GRACE
        self._send(f"arm\t{deadline}\t{limit:g}\t{item.nodeid}\t{item.path}\n")
        if self.watchdog is not None:
            faulthandler.dump_traceback_later(deadline + EXIT_AFTER, exit=True, file=self.watchdog.devnull)

    def _disarm_watchdog(self) -> None:
        if self.watchdog is not None:
            faulthandler.cancel_dump_traceback_later()
            self._send("disarm\n")

    def _stop_watchdog(self) -> None:
        dog, self.watchdog = self.watchdog, None
        if dog is None:
            return
        faulthandler.cancel_dump_traceback_later()
        faulthandler.unregister(signal.SIGUSR1)
        os.close(dog.pipe)  # its end of input: it exits by itself
        os.close(dog.devnull)
        try:
            os.waitpid(dog.pid, os.WNOHANG)  # reaped if it is gone already; else when this process ends
        except ChildProcessError:
            pass

    def pytest_unconfigure(self) -> None:
        self._stop_watchdog()
