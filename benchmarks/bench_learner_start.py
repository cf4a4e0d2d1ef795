"""The learner's loop: `pytest koans/01_tensors` up to the first unsolved koan, against
`python -c "import torch, pytest"`, side by side in one run (median of several rounds).

Goal (issue 2): the learner's run costs at most 1.25x the bare import.
Run from the repository root:  python benchmarks/bench_learner_start.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.25


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--chapter", default="koans/01_tensors")
    args = parser.parse_args()
    cases = {
        "import torch, pytest": [sys.executable, "-c", "import torch, pytest"],
        f"pytest {args.chapter}": [sys.executable, "-m", "pytest", args.chapter],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for cmd in cases.values():  # warm the file cache once
        wall(cmd)
    for _ in range(args.rounds):  # interleaved, so both see the same machine
        for name, cmd in cases.items():
            times[name].append(wall(cmd))
    base, learner = (statistics.median(times[n]) for n in cases)
    print(f"{'command':<32} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name in cases:
        t = times[name]
        print(f"{name:<32} {statistics.median(t):>9.3f} {min(t):>7.3f} {max(t):>7.3f}")
    ratio = learner / base
    print(f"ratio {ratio:.2f}x over {args.rounds} rounds (goal <= {GOAL}x: {'met' if ratio <= GOAL else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
