"""The main job against the reference: `salesim compare scenarios/default.yaml` (all six
structures, its default 30 replications) as a whole process, and in the same run the
bare SimPy M/M/c reference (200,000 customers), timed before and after each
comparison. Targets (issue 13, docs/performance.md):
the comparison at most 12 times the reference; the peak memory of its largest process
under 400 MiB.

    python benchmarks/compare.py [--repeats 3] [--executor processes]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bare_simpy_mmc, machine, timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def whole_comparison(executor: str) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB, the largest of the parent and each worker)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "sim.cli", "compare", str(ROOT / "scenarios" /
               "default.yaml"), "--out", str(Path(tmp) / "out"), "--quiet",
               "--executor", executor]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
        wall = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--executor", default="processes")
    args = parser.parse_args()
    # The reference is timed before and after each comparison (the machine's speed
    # drifts within minutes); each comparison is set against the mean of the two.
    ref_all = timed(bare_simpy_mmc, 1)[1]
    walls, peaks, ratios = [], [], []
    for _ in range(args.repeats):
        wall, peak = whole_comparison(args.executor)
        ref_all += timed(bare_simpy_mmc, 1)[1]
        walls.append(wall)
        peaks.append(peak)
        ratios.append(wall / statistics.mean(ref_all[-2:]))
    main_job, ref = statistics.median(walls), statistics.median(ref_all)
    print(f"machine: {machine()}")
    print(f"bare SimPy M/M/c reference, 200,000 customers: median {ref:.2f} s "
          f"({', '.join(f'{t:.2f}' for t in ref_all)})")
    print(f"salesim compare scenarios/default.yaml ({args.executor}): median {main_job:.1f} s "
          f"({', '.join(f'{t:.1f}' for t in walls)})")
    print(f"ratio main job / reference (the references either side of it): median "
          f"{statistics.median(ratios):.1f} ({', '.join(f'{r:.1f}' for r in ratios)}) "
          "(target <= 12, issue 13)")
    print(f"peak memory of one process (parent or worker): {max(peaks):.0f} MiB "
          "(target: under 400 MiB for the largest process, issue 13)")
    print("reproduce: python benchmarks/compare.py --repeats", args.repeats)


if __name__ == "__main__":
    main()
