"""The grouped Morris screening of every assumption: wall time and CPU per design point.

Runs `salesim sweep SCENARIO --design morris --by-group --points R --replications N`
as a whole process (every uncertainty of the scenario, in its groups; all structures),
and prints its wall time, the CPU seconds of the process and its workers, the design
points and the figures per point. From the CPU per point it projects the screening the
issue "Speed to answer" sets its target on (10 trajectories, 3 replications: about 210
points) on 2 free cores. Target (docs/performance.md): within 20 minutes on 2 cores.

    python benchmarks/screening.py                          # R = 2, N = 1: 42 points
    python benchmarks/screening.py --points 10 --replications 3   # the target's size
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def children_cpu() -> float:
    """CPU seconds of this process's finished children (the sweep and its workers)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "default.yaml")
    p.add_argument("--points", type=int, default=2, help="Morris trajectories R (at least 2)")
    p.add_argument("--replications", type=int, default=1, help="replications N a point")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "screening"
        cmd = [sys.executable, "-m", "sim.cli", "sweep", str(args.scenario), "--design",
               "morris", "--by-group", "--points", str(args.points), "--replications",
               str(args.replications), "--workers", str(args.workers), "--out", str(out),
               "--quiet"]
        cpu0, start = children_cpu(), time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"the sweep failed ({done.returncode}): {done.stderr.strip()}")
        wall, cpu = time.perf_counter() - start, children_cpu() - cpu0
        problem = json.loads((out / "problem.json").read_text())
    groups = len(set(problem["groups"]))
    points = args.points * (groups + 1)
    per_point = cpu / points
    print(f"grouped Morris on {args.scenario.name}: {len(problem['names'])} assumptions in "
          f"{groups} groups, R = {args.points}, N = {args.replications}: {points} points, "
          f"{args.workers} workers")
    print(f"wall {wall:.1f} s ({wall / points:.2f} s a point); CPU {cpu:.1f} s "
          f"({per_point:.2f} CPU s a point, {per_point / args.replications:.2f} a "
          f"replication of every structure)")
    target = 10 * (groups + 1)
    for n in (1, 3):
        minutes = per_point / args.replications * n * target / 2 / 60
        print(f"projected R = 10, N = {n} ({target} points) on 2 free cores: "
              f"{minutes:.1f} min (target 20 min)")
    print("reproduce: python benchmarks/screening.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
