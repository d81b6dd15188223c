"""Sweep: wall time and the parent's peak memory of a Morris screening of N trajectories
x R replications x S structures over the first K uncertainties of the default scenario,
and whether the parent's peak grows with the number of design points.

Each size runs in a fresh process, so its peak resident memory is its own. The parent's
peak is reported after the imports (the baseline) and at the end of the sweep, with the
tracemalloc peak of what the sweep itself allocated in the parent; workers' peaks are
reported apart (they hold one design point at a time).

    python benchmarks/sweep.py --trajectories 2 --replications 1          # time, 2 cores
    python benchmarks/sweep.py --memory                                   # growth check
    python benchmarks/sweep.py --trajectories 2 --executor dask --workers 2
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def one(args: argparse.Namespace) -> dict:
    """One sweep in this process; its figures as a dict."""
    import sim

    sc = sim.load_scenario(args.scenario)
    keep = dict(list(sc.uncertainties.items())[:args.parameters])
    overrides = {"uncertainties": {k: u.model_dump(mode="json") for k, u in keep.items()}}
    if args.horizon is not None:
        overrides |= {"experiment.horizon_years": args.horizon,
                      "experiment.warmup_years": args.horizon}
    sc = sc.with_overrides(overrides)
    structures = list(sc.experiment.structures)[:args.structures]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu_before = _cpu()
    tracemalloc.start()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sw = sim.sweep(sc, "morris", args.trajectories, args.replications, structures,
                       out=Path(tmp) / "sweep", executor=args.executor, workers=args.workers,
                       scheduler=args.scheduler)
        wall = time.perf_counter() - start
        cpu = _cpu() - cpu_before
        points = len(sw.design)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"points": points, "parameters": len(keep), "structures": len(structures),
            "replications": args.replications, "wall_s": wall, "cpu_s": cpu,
            "parent_rss_after_imports_mib": before,
            "parent_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "parent_traced_peak_mib": traced / 2**20,
            "largest_worker_peak_rss_mib":
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the pool's workers): on a
    shared machine, the cost of the work whatever else competes for the cores."""
    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_size(argv: list[str], trajectories: int) -> dict:
    cmd = [sys.executable, __file__, "--one", "--trajectories", str(trajectories), *argv]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default=str(ROOT / "scenarios" / "default.yaml"))
    p.add_argument("--trajectories", type=int, default=2)
    p.add_argument("--replications", type=int, default=1)
    p.add_argument("--structures", type=int, default=6, help="the first S of the scenario's")
    p.add_argument("--parameters", type=int, default=12, help="the first K uncertainties")
    p.add_argument("--horizon", type=float, default=None, help="years (and warm-up years)")
    p.add_argument("--executor", default="processes")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--scheduler", default=None)
    p.add_argument("--memory", action="store_true",
                   help="parent peak at 2 and 6 trajectories of a 3-month horizon")
    p.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(one(args)))
        return
    print(f"machine: {machine()}")
    passed = [a for a in sys.argv[1:] if a != "--memory"]
    if args.memory:
        rows = [run_size([*passed, "--horizon", "0.25"], t) for t in (2, 6)]
    else:
        rows = [run_size(passed, args.trajectories)]
    for r in rows:
        per_point = r["wall_s"] / r["points"]
        print(f"Morris {r['parameters']} parameters x {r['points'] // (r['parameters'] + 1)} "
              f"trajectories = {r['points']} points x {r['replications']} replications x "
              f"{r['structures']} structures, {args.executor} on {args.workers} workers: "
              f"{r['wall_s']:.1f} s ({per_point:.2f} s a point; {r['cpu_s'] / r['points']:.2f} "
              f"CPU s a point); parent peak RSS "
              f"{r['parent_peak_rss_mib']:.0f} MiB ({r['parent_rss_after_imports_mib']:.0f} "
              f"after imports), traced peak of the sweep in the parent "
              f"{r['parent_traced_peak_mib']:.2f} MiB; largest worker "
              f"{r['largest_worker_peak_rss_mib']:.0f} MiB")
    if args.memory:
        a, b = rows
        print(f"parent peak RSS from {a['points']} to {b['points']} points: "
              f"{b['parent_peak_rss_mib'] - a['parent_peak_rss_mib']:+.1f} MiB; traced peak "
              f"{b['parent_traced_peak_mib'] - a['parent_traced_peak_mib']:+.2f} MiB")
    print("reproduce: python benchmarks/sweep.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
