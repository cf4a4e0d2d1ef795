"""Running koans in a child pytest and reading back the plugin's outcome records.

``kata verify`` and ``kata progress --run`` both need every koan's outcome;
the recorder plugin (``--kata-verify=FILE``) writes one ``Record`` per report,
and this module runs pytest that way and reads them.

The per-koan time limit (``kata.plugin.timeout``) holds in that run too.  A koan
whose answer held its interpreter was ended with its process by the watchdog,
which noted it in ``FILE.stopped``: its record says so ("did not finish in N
s"), whatever xdist made of the lost worker, and ``Run.stopped`` lists it; the
run ended there (xdist replaces no worker), so the koans after it did not run.  The child runs in a session of its
own, so a Ctrl-C reaches only this process, which then ends the child's whole
process group (workers, ranks, watchdogs) before it lets the interrupt go on.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kata import layout
from kata.runs.record import Record, read

# Beside the recorder's FILE: the koans the watchdog ended with their process, one JSON line each.
STOPPED_SUFFIX = ".stopped"
# After a Ctrl-C, how long the child's processes get to end on SIGTERM before SIGKILL.
TERM_WAIT = 3.0


@dataclass
class Run:
    records: list[Record]
    returncode: int
    output_tail: str  # the end of pytest's own output, for when it broke
    finished: bool = True  # the recorder wrote its file: pytest reached its session's end
    stopped: list[Record] = field(default_factory=list)  # koans ended with their process (also in records)

    @property
    def broke(self) -> bool:
        """pytest itself failed (usage error, internal error, a process ended) or recorded nothing."""
        return self.returncode not in (0, 1) or not self.finished or not self.records


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def command(targets: list[str], report: Path, workers: str, extra: list[str]) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        *targets,
        f"--kata-verify={report}",
        *extra,
        "--continue-on-collection-errors",
        "-p",
        "no:cacheprovider",
        "-q",
        "--no-header",
        "-o",
        "console_output_style=classic",
    ]
    if has_module("pytest_benchmark"):
        cmd.append("--benchmark-disable")  # the benchmark koans assert facts, not times
    if workers != "0" and has_module("xdist"):
        # A worker ended by the watchdog is not replaced: xdist's loadgroup scheduler reruns the koan that
        # crashed on the new worker, or gives it an empty batch and waits forever (pytest-xdist 3.8).
        cmd += ["-n", workers, "--dist", "loadgroup", "--max-worker-restart=0"]
    return cmd


def environment(cmd: list[str]) -> dict[str, str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if "-n" in cmd:
        # One intra-op thread per xdist worker: the workers already fill the cores,
        # and oversubscribed torch threads slow some koans a hundredfold.
        env.setdefault("OMP_NUM_THREADS", "1")
    return env


def stopped_records(path: Path, root: Path) -> list[Record]:
    """The watchdog's notes as records: the koan failed, its message the watchdog's report."""
    out: dict[str, Record] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            note = json.loads(line)
            nodeid, message = str(note["nodeid"]), str(note["message"])
        except (ValueError, KeyError, TypeError):
            continue
        place = layout.place(root / nodeid.split("::")[0], root.resolve())
        out[nodeid] = Record(nodeid, "call", "failed", place=place, verdict="timeout", message=message)
    return list(out.values())


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    """End the child and everything it started (its process group): SIGTERM, then SIGKILL."""
    if os.name != "posix":
        proc.kill()
        proc.wait()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
    try:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(TERM_WAIT)
                os.killpg(proc.pid, 0)  # raises once the whole group is gone
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                break
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


def run_pytest(root: Path, targets: list[str], workers: str = "auto", extra: Sequence[str] = ()) -> Run:
    with tempfile.TemporaryDirectory(prefix="kata-run-") as tmp:
        report, log = Path(tmp) / "outcomes.jsonl", Path(tmp) / "pytest.log"
        cmd = command(targets, report, workers, list(extra))
        with log.open("w") as logf:
            # A session of its own: a Ctrl-C on the terminal reaches only us, and we end its whole group.
            proc = subprocess.Popen(
                cmd,
                cwd=root,
                stdin=subprocess.DEVNULL,
                stdout=logf,
                stderr=subprocess.STDOUT,
                env=environment(cmd),
                start_new_session=os.name == "posix",
            )
            try:
                rc = proc.wait()
            except BaseException:
                _end_group(proc)
                raise
        finished = report.exists()
        stopped = stopped_records(report.with_name(report.name + STOPPED_SUFFIX), root)
        ended = {r.nodeid for r in stopped}
        records = [r for r in read(report) if r.nodeid not in ended] + stopped
        tail = "\n".join(log.read_text(errors="replace").rstrip().splitlines()[-40:])
    return Run(records, rc, tail, finished, stopped)
