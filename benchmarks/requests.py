"""The default comparison against bare SimPy pushing the same number of requests.

In turns: `salesim compare scenarios/default.yaml` as a whole process (its 30
replications of six structures on 2 processes), then the bare SimPy M/M/c of
benchmarks/common.py serving as many customers as the comparison handled requests
(leads received, orders received and meetings booked, over the horizon of every
structure and over each replication's warm-up), split over the same number of
processes. The warm-up's requests are its last year's, kept in the frames, scaled to
its length (it runs once a replication, for all structures). Prints both times and the
ratio. Target (docs/performance.md): at most 1.0. ``--request-path arrays`` runs the
comparison with requests booked in the day's array step (``experiment.request_path``).

    python benchmarks/requests.py [--workers 2] [--scenario scenarios/default.yaml]
                                  [--request-path events|arrays]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bare_simpy_mmc, machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = ["leads_received", "orders_received", "meetings_booked"]


def comparison(scenario: Path, workers: int, path: str | None = None) -> tuple[float, int]:
    """Wall seconds of the whole comparison, and the requests it handled."""
    import pandas as pd

    from sim.config.scenario import MONTHS_PER_YEAR, load_scenario

    with tempfile.TemporaryDirectory() as tmp:
        if path is not None:  # the same scenario on the chosen request path
            changed = load_scenario(scenario).with_overrides(
                {"experiment.request_path": path})
            scenario = Path(tmp) / scenario.name
            scenario.write_text(changed.to_yaml())
        out = Path(tmp) / "out"
        cmd = [sys.executable, "-m", "sim.cli", "compare", str(scenario), "--out",
               str(out), "--quiet", "--workers", str(workers)]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
        wall = time.perf_counter() - start
        monthly = pd.read_parquet(out / "monthly.parquet")
        exp = load_scenario(scenario).experiment
    horizon = monthly[monthly["month"] > 0][REQUESTS].to_numpy().sum()
    warm = monthly[(monthly["month"] <= 0)
                   & (monthly["structure"] == monthly["structure"].iloc[0])]
    warm_months = max(1, round(exp.warmup_years * MONTHS_PER_YEAR))
    kept = warm["month"].nunique() or 1
    warmup = warm[REQUESTS].to_numpy().sum() * warm_months / kept
    return wall, int(horizon + warmup)


def bare(customers: int, workers: int) -> float:
    """Wall seconds of bare SimPy serving ``customers`` in ``workers`` processes."""
    share = [customers // workers + (i < customers % workers) for i in range(workers)]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(bare_simpy_mmc, share, range(1, workers + 1)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "default.yaml")
    parser.add_argument("--request-path", choices=["events", "arrays"], default=None,
                        help="override the scenario's experiment.request_path")
    args = parser.parse_args()
    print(machine())
    wall, requests = comparison(args.scenario, args.workers, args.request_path)
    reference = bare(requests, args.workers)
    path = args.request_path or "the scenario's"
    print(f"comparison ({path} request path): {wall:.1f} s for {requests:,} requests "
          f"({args.workers} processes)")
    print(f"bare SimPy M/M/c: {reference:.1f} s for the same number of customers "
          f"({args.workers} processes)")
    print(f"ratio: {wall / reference:.2f} (target at most 1.0)")


if __name__ == "__main__":
    main()
