"""`kata watch`: time from saving a koan file to its verdict, against a cold
`pytest koans/01_tensors` run on the same koan, side by side in one run (median of several rounds).

Goal (issue 8): watch is at least 8x faster than the cold run.
Run from the repository root:  python benchmarks/bench_watch.py [--rounds 9]

It works on a throwaway copy of the chapter (a temporary folder with pytest.ini,
conftest.py, kata/ and koans/CHAPTER), so the learner's files and cache stay
untouched.  Each round saves the lesson file once (alternately the shipped
first koan and the first koan answered from solutions/), waits for the watch's
verdict, then times a cold pytest run of the same file state.
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

from kata import finder, lessons  # noqa: E402
from kata.watch import WAITING  # noqa: E402

GOAL = 8.0


def answered(koan_src: str, solution_src: str, name: str) -> str:
    """The koan file with one koan's lines taken from the solution."""
    mine, theirs = koan_src.splitlines(keepends=True), solution_src.splitlines(keepends=True)
    (a0, a1), (b0, b1) = finder.koan_regions(koan_src, name)[0], finder.koan_regions(solution_src, name)[0]
    return "".join(mine[:a0 - 1] + theirs[b0 - 1:b1] + mine[a1:])


class Watch:
    """`python -m kata watch CHAPTER` in a subprocess, its output read line by line in a thread."""

    def __init__(self, where: Path, chapter: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "kata", "watch", chapter, "--no-clear"], cwd=where,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.cond.notify_all()

    def verdict(self, after: int, timeout: float = 120.0) -> tuple[float, list[str]]:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--chapter", default="01_tensors")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kata-bench-watch-") as tmp:
        where = Path(tmp)
        for name in ("pytest.ini", "conftest.py"):
            shutil.copy(ROOT / name, where / name)
        (where / "kata").symlink_to(ROOT / "kata", target_is_directory=True)
        shutil.copytree(ROOT / "koans" / args.chapter, where / "koans" / args.chapter,
                        ignore=shutil.ignore_patterns("__pycache__"))
        lesson = lessons.lesson_files(where / "koans" / args.chapter)[0]
        rel = lesson.relative_to(where).as_posix()
        shipped = lesson.read_text(encoding="utf-8")
        first = lessons.parse(lesson).koans[0].name
        solved = answered(shipped, (ROOT / "solutions" / args.chapter / lesson.name).read_text(encoding="utf-8"),
                          first)
        states = [solved, shipped]
        cold_cmd = [sys.executable, "-m", "pytest", f"koans/{args.chapter}"]

        watch = Watch(where, args.chapter)
        watch.verdict(0)  # warm-up and the first run
        subprocess.run(cold_cmd, cwd=where, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # file cache
        times: dict[str, list[float]] = {"kata watch: save -> verdict": [], f"cold pytest koans/{args.chapter}": []}
        for i in range(args.rounds):
            time.sleep(0.3)  # a learner types between saves
            lesson.write_text(states[i % 2], encoding="utf-8")
            saved = time.perf_counter()
            shown, out = watch.verdict(i + 1)
            times["kata watch: save -> verdict"].append(shown - saved)
            expected = f"::{first}" if states[i % 2] is shipped else "::"
            if not any(line.startswith("✗ ") and expected in line for line in out):
                print("unexpected verdict:\n" + "\n".join(out), file=sys.stderr)
                return 1
            start = time.perf_counter()
            subprocess.run(cold_cmd, cwd=where, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[f"cold pytest koans/{args.chapter}"].append(time.perf_counter() - start)
        code = watch.stop()
        if code != 0:
            print(f"kata watch exited with {code} on Ctrl-C", file=sys.stderr)
    fast, cold = (statistics.median(t) for t in times.values())
    print(f"koan file: {rel} (saved {args.rounds} times; CPUs: {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f}; bytecode cache "
          f"{'off: PYTHONDONTWRITEBYTECODE is set' if sys.dont_write_bytecode else 'on'})")
    print(f"{'what':<36} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, t in times.items():
        print(f"{name:<36} {statistics.median(t):>9.3f} {min(t):>7.3f} {max(t):>7.3f}")
    ratio = cold / fast
    print(f"watch is {ratio:.1f}x faster over {args.rounds} rounds "
          f"(goal >= {GOAL:.0f}x: {'met' if ratio >= GOAL else 'NOT met'}; "
          f"under 0.3 s: {'yes' if fast < 0.3 else 'no'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
