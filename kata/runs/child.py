"""Running koans in a child pytest and reading back the plugin's outcome records.

``kata verify`` and ``kata progress --run`` both need every koan's outcome;
the recorder plugin (``--kata-verify=FILE``) writes one ``Record`` per report,
and this module runs pytest that way and reads them.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from collections.abc import Sequence
from pathlib import Path

from kata.runs.record import Record, read


@dataclass
class Run:
    records: list[Record]
    returncode: int
    output_tail: str  # the end of pytest's own output, for when it broke

    @property
    def broke(self) -> bool:
        """pytest itself failed (usage error, internal error) or recorded nothing."""
        return self.returncode not in (0, 1) or not self.records


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
        cmd += ["-n", workers, "--dist", "loadgroup"]
    return cmd


def environment(cmd: list[str]) -> dict[str, str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if "-n" in cmd:
        # One intra-op thread per xdist worker: the workers already fill the cores,
        # and oversubscribed torch threads slow some koans a hundredfold.
        env.setdefault("OMP_NUM_THREADS", "1")
    return env


def run_pytest(root: Path, targets: list[str], workers: str = "auto", extra: Sequence[str] = ()) -> Run:
    with tempfile.TemporaryDirectory(prefix="kata-run-") as tmp:
        report, log = Path(tmp) / "outcomes.jsonl", Path(tmp) / "pytest.log"
        cmd = command(targets, report, workers, list(extra))
        with log.open("w") as logf:
            rc = subprocess.run(cmd, cwd=root, stdout=logf, stderr=subprocess.STDOUT, env=environment(cmd)).returncode
        records = read(report)
        tail = "\n".join(log.read_text(errors="replace").rstrip().splitlines()[-40:])
    return Run(records, rc, tail)
