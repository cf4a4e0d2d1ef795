"""How long the distributed chapter takes, next to the cost of one gloo group.

The issue's target: running every solution of koans/28_distributed (through the
``ranks`` harness) takes at most twice the wall time of spawning one 4-rank
gloo group and doing one all_reduce.  Both are measured here side by side, in
alternation, as fresh processes, and the medians are compared.

    python benchmarks/bench_distributed.py            # 3 rounds
    python benchmarks/bench_distributed.py --rounds 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BASELINE = r'''
import os, sys, tempfile
import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def worker(rank, world_size, path):
    dist.init_process_group("gloo", init_method="file://" + path, rank=rank, world_size=world_size)
    t = torch.tensor([float(rank)])
    dist.all_reduce(t)
    assert t.item() == world_size * (world_size - 1) / 2
    dist.destroy_process_group()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        mp.spawn(worker, args=(4, os.path.join(d, "store")), nprocs=4, join=True)
'''


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chapter", default="solutions/28_distributed")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "baseline.py"
        script.write_text(BASELINE)
        baseline_cmd = [sys.executable, str(script)]
        chapter_cmd = [sys.executable, "-m", "pytest", args.chapter, "-q",
                       "-p", "no:randomly", "-p", "no:cacheprovider"]
        baseline, chapter = [], []
        for i in range(args.rounds):
            baseline.append(timed(baseline_cmd))
            chapter.append(timed(chapter_cmd))
            print(f"round {i + 1}/{args.rounds}: one 4-rank group + all_reduce {baseline[-1]:6.1f} s, "
                  f"chapter {chapter[-1]:6.1f} s", flush=True)

    b, c = statistics.median(baseline), statistics.median(chapter)
    print()
    print(f"{'measurement':<44} {'median s':>9} {'min s':>7} {'max s':>7}")
    print(f"{'spawn a 4-rank gloo group + one all_reduce':<44} {b:9.1f} {min(baseline):7.1f} {max(baseline):7.1f}")
    print(f"{'pytest ' + args.chapter:<44} {c:9.1f} {min(chapter):7.1f} {max(chapter):7.1f}")
    ratios = [ch / ba for ch, ba in zip(chapter, baseline)]
    print(f"{'ratio of the medians (target <= 2.0)':<44} {c / b:9.2f}")
    print(f"{'ratio within a round (median, min, max)':<44} {statistics.median(ratios):9.2f} "
          f"{min(ratios):7.2f} {max(ratios):7.2f}")
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
