"""Parallel speed-up: the same comparison serially and on a pool of processes (all
cores), in this process; the figure is serial time over parallel time. Target: at
least 1.8 on 2 cores (issue 13).

    python benchmarks/parallel.py [--replications 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine  # noqa: E402

import sim  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replications", type=int, default=8)
    args = parser.parse_args()
    sc = sim.load_scenario(ROOT / "scenarios" / "default.yaml")
    times = {}
    for executor in ("serial", "processes"):
        start = time.perf_counter()
        sim.compare(sc, replications=args.replications, executor=executor)
        times[executor] = time.perf_counter() - start
    print(f"machine: {machine()}")
    print(f"default comparison, {args.replications} replications: serial "
          f"{times['serial']:.1f} s, processes on {os.cpu_count()} cores "
          f"{times['processes']:.1f} s")
    print(f"speed-up: {times['serial'] / times['processes']:.2f} "
          "(target >= 1.8 on 2 cores, issue 13)")
    print("reproduce: python benchmarks/parallel.py --replications", args.replications)


if __name__ == "__main__":
    main()
