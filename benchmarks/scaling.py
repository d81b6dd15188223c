"""How run time grows with the department and the horizon.

One replication of classic in this process: managers 10, 20, 40, 80 (accounts and
inbound demand scaled alike) at 3 years in a fresh department, and horizons 1, 3, 9
years of a mature department (the warm-up is built once, outside the timing, so the
department's size is steady rather than growing from nothing); the exponent is the
slope of log time on log size. Target: at most 1.1.

    python benchmarks/scaling.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, timed  # noqa: E402

import sim  # noqa: E402
from sim.model.department import Department  # noqa: E402
from sim.model.streams import Streams  # noqa: E402
from sim.model.structures import make_structure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def one_run(sc) -> None:
    sim.run_replication(sc, "classic", 1, 0)


def exponent(sizes, times) -> float:
    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base = sim.load_scenario(ROOT / "scenarios" / "default.yaml").with_overrides(
        {"experiment.initial_state": "fresh"})
    print(f"machine: {machine()}")
    sizes, times = [10, 20, 40, 80], []
    for m in sizes:
        f = m / base.workforce.managers
        sc = base.with_overrides({"workforce.managers": m,
                                  "market.n_accounts": round(base.market.n_accounts * f),
                                  "demand.inbound_leads_per_day":
                                  base.demand.inbound_leads_per_day * f})
        t, _ = timed(lambda sc=sc: one_run(sc), args.repeats)
        times.append(t)
        print(f"managers {m:3d}, accounts {sc.market.n_accounts:6d}: median {t:.2f} s")
    print(f"exponent in managers: {exponent(sizes, times):.2f} (target <= 1.1)")
    years, times = [1, 3, 9], []
    mature = base.with_overrides({"experiment.initial_state": "mature"})
    snapshot = sim.warm_up(mature, 1, 0)
    for y in years:
        sc = mature.with_overrides({"experiment.horizon_years": y})
        t, _ = timed(lambda sc=sc: Department(sc, make_structure("classic", sc), Streams(1, 0),
                                              snapshot=snapshot).run(), args.repeats)
        times.append(t)
        print(f"horizon {y} years: median {t:.2f} s")
    print(f"exponent in horizon: {exponent(years, times):.2f} (target <= 1.1)")
    print("reproduce: python benchmarks/scaling.py --repeats", args.repeats)


if __name__ == "__main__":
    main()
