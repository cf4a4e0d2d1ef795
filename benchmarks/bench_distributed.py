"""How fast the distributed chapter gives its first verdict, next to the cost of starting torch.

The issue's target: the first verdict of ``pytest koans/28_distributed`` (the
learner's command: it stops at the first unsolved koan) takes at most 1.5 times
the wall time of ``python -c "import torch, pytest"``.  Both run here side by
side, in alternation, as fresh processes; the medians are compared.  The
verdict time is when the report's first line ("Fill in the blank" or "Not
yet") is printed; the exit time includes closing the rank pool.

    python benchmarks/bench_distributed.py             # 5 rounds
    python benchmarks/bench_distributed.py --rounds 7
    KATA_RANKS_PRESTART=0 python benchmarks/bench_distributed.py   # without the pre-started pool
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERDICT_MARKS = ("Fill in the blank", "Not yet")


def timed(cmd: list[str], marks=()) -> tuple[float, float]:
    """(seconds to the first line holding one of marks, or to exit; seconds to exit)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    first = None
    out = []
    for line in proc.stdout:
        out.append(line)
        if first is None and any(m in line for m in marks):
            first = time.perf_counter() - start
    proc.wait()
    end = time.perf_counter() - start
    if marks and first is None:
        sys.stderr.write("".join(out)[-3000:])
        raise SystemExit(f"no verdict from: {' '.join(cmd)}")
    return (first if first is not None else end), end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chapter", default="koans/28_distributed")
    args = parser.parse_args()

    baseline_cmd = [sys.executable, "-c", "import torch, pytest"]
    chapter_cmd = [sys.executable, "-m", "pytest", args.chapter, "-p", "no:cacheprovider"]
    baseline, verdict, exit_ = [], [], []
    for i in range(args.rounds):
        baseline.append(timed(baseline_cmd)[1])
        v, e = timed(chapter_cmd, VERDICT_MARKS)
        verdict.append(v)
        exit_.append(e)
        print(
            f"round {i + 1}/{args.rounds}: import torch, pytest {baseline[-1]:5.2f} s; "
            f"first verdict {v:5.2f} s (exit {e:5.2f} s)",
            flush=True,
        )

    b, v, e = statistics.median(baseline), statistics.median(verdict), statistics.median(exit_)
    print()
    print(f"{'measurement':<46} {'median s':>9} {'min s':>7} {'max s':>7}")
    label = 'python -c "import torch, pytest"'
    print(f"{label:<46} {b:9.2f} {min(baseline):7.2f} {max(baseline):7.2f}")
    print(f"{'first verdict of pytest ' + args.chapter:<46} {v:9.2f} {min(verdict):7.2f} {max(verdict):7.2f}")
    print(f"{'  ... until the process exits':<46} {e:9.2f} {min(exit_):7.2f} {max(exit_):7.2f}")
    ratios = [x / y for x, y in zip(verdict, baseline, strict=True)]
    print(f"{'ratio of the medians (target <= 1.5)':<46} {v / b:9.2f}")
    print(
        f"{'ratio within a round (median, min, max)':<46} {statistics.median(ratios):9.2f} "
        f"{min(ratios):7.2f} {max(ratios):7.2f}"
    )
    print(
        f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, python {sys.version.split()[0]}, "
        f"KATA_RANKS_PRESTART={os.environ.get('KATA_RANKS_PRESTART', '1')}"
    )


if __name__ == "__main__":
    main()
