"""`kata watch`: time from saving a koan file to its verdict, per chapter, side by side in one run,
each next to a cold `pytest koans/CHAPTER` on the same file state (medians of several rounds).

Goals: issue 8, watch at least 8x faster than the cold run of a plain chapter, under 0.3 s;
issue 15, save -> verdict at most 1 s for the distributed chapter (its koans run on gloo ranks).

Run from the repository root:

    python benchmarks/bench_watch.py                       # 01_tensors and 28_distributed, 9 rounds
    python benchmarks/bench_watch.py --rounds 5 --chapter 28_distributed
    python benchmarks/bench_watch.py --no-time-limit        # without the per-koan time limit's watchdog

It works on a throwaway copy of each chapter (a temporary folder with pytest.ini,
conftest.py, kata/ and koans/CHAPTER), so the learner's files and cache stay
untouched.  One `kata watch CHAPTER` runs per chapter for the whole benchmark.
Each round, chapter after chapter, saves the first lesson file once
(alternately with its first koan answered from solutions/ and as shipped),
waits for that watch's verdict, then times a cold pytest run of the same file
state.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kata import layout  # noqa: E402
from kata.commands.watch import WAITING  # noqa: E402
from kata.lessons import source  # noqa: E402

GOAL_RATIO = 8.0  # issue 8, a plain chapter
GOAL_SECONDS = {"28_distributed": 1.0}  # issue 15


def answered(koan_src: str, solution_src: str, name: str) -> str:
    """The koan file with one koan's regions (its function and its helpers) taken from the solution."""
    mine, theirs = koan_src.splitlines(keepends=True), solution_src.splitlines(keepends=True)
    ours, solved = source.koan_regions(koan_src, name), source.koan_regions(solution_src, name)
    assert ours, name
    assert solved, name
    for (a0, a1), (b0, b1) in sorted(
        zip(ours, solved, strict=True), reverse=True
    ):  # bottom up: earlier lines keep their place
        mine[a0 - 1 : a1] = theirs[b0 - 1 : b1]
    return "".join(mine)


class Watch:
    """`python -m kata watch CHAPTER` in a subprocess, its output read line by line in a thread."""

    def __init__(self, where: Path, chapter: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kata", "watch", chapter, "--no-clear"],
            cwd=where,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.cond.notify_all()

    def verdict(self, after: int, timeout: float = 180.0) -> tuple[float, list[str]]:
        """Wait for the run that ends with the WAITING line numbered ``after`` (0-based)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                waits = [i for i, (_, text) in enumerate(self.lines) if text == WAITING]
                if len(waits) > after:
                    end = waits[after]
                    start = waits[after - 1] + 1 if after else 0
                    return self.lines[end][0], [t for _, t in self.lines[start:end]]
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise RuntimeError("kata watch gave no verdict:\n" + "\n".join(t for _, t in self.lines[-30:]))
                self.cond.wait(left)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=30)


class Chapter:
    """A chapter's throwaway copy, its watch, and the two file states a round alternates."""

    def __init__(self, where: Path, chapter: str, ini: list[str]) -> None:
        self.name, self.where = chapter, where
        for name in ("pytest.ini", "conftest.py"):
            shutil.copy(ROOT / name, where / name)
        if ini:
            with open(where / "pytest.ini", "a", encoding="utf-8") as f:
                f.write("".join(line + "\n" for line in ini))
        (where / "kata").symlink_to(ROOT / "kata", target_is_directory=True)
        shutil.copytree(
            ROOT / "koans" / chapter, where / "koans" / chapter, ignore=shutil.ignore_patterns("__pycache__")
        )
        self.lesson = layout.lesson_files(where / "koans" / chapter)[0]
        self.shipped = self.lesson.read_text(encoding="utf-8")
        self.first = source.parse(self.lesson).koans[0].name
        solution = (ROOT / "solutions" / chapter / self.lesson.name).read_text(encoding="utf-8")
        self.states = [answered(self.shipped, solution, self.first), self.shipped]
        self.cold_cmd = [sys.executable, "-m", "pytest", f"koans/{chapter}"]
        self.watch_times: list[float] = []
        self.cold_times: list[float] = []

    def start(self) -> None:
        self.watch = Watch(self.where, self.name)
        self.watch.verdict(0)  # warm-up and the first run
        subprocess.run(self.cold_cmd, cwd=self.where, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def round(self, i: int) -> None:
        state = self.states[i % 2]
        time.sleep(0.3)  # a learner types between saves
        self.lesson.write_text(state, encoding="utf-8")
        saved = time.perf_counter()
        shown, out = self.watch.verdict(i + 1)
        self.watch_times.append(shown - saved)
        expected = f"::{self.first}" if state is self.shipped else "::"
        if not any(line.startswith("✗ ") and expected in line for line in out):
            raise RuntimeError(f"unexpected verdict for {self.name}:\n" + "\n".join(out))
        start = time.perf_counter()
        subprocess.run(self.cold_cmd, cwd=self.where, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.cold_times.append(time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--chapter", action="append", help="a chapter (repeatable); default 01_tensors and 28_distributed"
    )
    parser.add_argument(
        "--no-time-limit",
        action="store_true",
        help="kata_timeout = 0 in the copies' pytest.ini: what the per-koan limit (issue 18) costs each run",
    )
    args = parser.parse_args()
    names = args.chapter or ["01_tensors", "28_distributed"]
    ini = ["kata_timeout = 0"] if args.no_time_limit else []
    with tempfile.TemporaryDirectory(prefix="kata-bench-watch-") as tmp:
        chapters = []
        for name in names:
            (Path(tmp) / name).mkdir()
            chapters.append(Chapter(Path(tmp) / name, name, ini))
        for c in chapters:
            c.start()
        for i in range(args.rounds):
            for c in chapters:
                c.round(i)
            print(
                f"round {i + 1}/{args.rounds}: "
                + "; ".join(f"{c.name} {c.watch_times[-1]:.3f} s (cold {c.cold_times[-1]:.2f} s)" for c in chapters),
                flush=True,
            )
        for c in chapters:
            code = c.watch.stop()
            if code != 0:
                print(f"kata watch {c.name} exited with {code} on Ctrl-C", file=sys.stderr)
    print(
        f"\nsaved the first lesson file {args.rounds} times per chapter; CPUs: {os.cpu_count()}, "
        f"load average {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}; bytecode cache "
        f"{'off: PYTHONDONTWRITEBYTECODE is set' if sys.dont_write_bytecode else 'on'}"
        f"{'; no per-koan time limit' if ini else ''}"
    )
    print(f"{'what':<44} {'median s':>9} {'min s':>7} {'max s':>7}")
    for c in chapters:
        for label, t in (
            (f"kata watch {c.name}: save -> verdict", c.watch_times),
            (f"cold pytest koans/{c.name}", c.cold_times),
        ):
            print(f"{label:<44} {statistics.median(t):>9.3f} {min(t):>7.3f} {max(t):>7.3f}")
    for c in chapters:
        fast, cold = statistics.median(c.watch_times), statistics.median(c.cold_times)
        goal = GOAL_SECONDS.get(c.name)
        verdict = (
            f"goal <= {goal:g} s: {'met' if fast <= goal else 'NOT met'}"
            if goal is not None
            else f"goal >= {GOAL_RATIO:.0f}x: {'met' if cold / fast >= GOAL_RATIO else 'NOT met'}; "
            f"under 0.3 s: {'yes' if fast < 0.3 else 'no'}"
        )
        print(f"{c.name}: watch {fast:.3f} s, {cold / fast:.1f}x faster than a cold run ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
