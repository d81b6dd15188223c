"""Engine overhead: the ticket pool as a pure M/M/c queue against bare SimPy.

Both serve 200,000 customers (9 arrivals an hour, 10 servers, 1 service an hour), in
this process, taking turns; the figure is the median of the ratios of each pair of runs.
Target (issue 13, docs/performance.md): at most 1.0.

    python benchmarks/engine.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ARRIVALS_PER_HOUR,
    CUSTOMERS,
    SERVERS,
    SERVICE_PER_HOUR,
    bare_simpy_mmc,
    machine,
    timed,
)

from sim.config.scenario import DAYS_PER_MONTH, load_scenario  # noqa: E402
from sim.model.department import Department  # noqa: E402
from sim.model.streams import Streams  # noqa: E402
from sim.model.structures import make_structure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def pool_scenario(customers: int = CUSTOMERS):
    base = load_scenario(ROOT / "scenarios" / "validation_mmc.yaml")
    hours = base.workforce.hours_per_day
    per_day = ARRIVALS_PER_HOUR * hours
    months = round(customers / per_day / DAYS_PER_MONTH)
    return base.with_overrides({
        "workforce.managers": SERVERS,
        "demand.inbound_leads_per_day": per_day,
        "demand.lead_contact_hours": 1.0 / SERVICE_PER_HOUR,
        "experiment.horizon_years": months / 12,
    })


def salesim_pool(customers: int = CUSTOMERS) -> tuple[int, int]:
    """Run the pool; return the customers served and how many of their arrivals the
    clock reached without an event (sim.model.clock)."""
    sc = pool_scenario(customers)
    dept = Department(sc, make_structure("ticket_pool", sc), Streams(1, 0))
    monthly, _ = dept.run()
    return int(monthly["leads_received"].sum()), dept.env.jumped


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    served, jumped = salesim_pool()
    # Interleaved (bare, salesim, bare, ...): the machine's speed drifts within minutes,
    # so each ratio compares two runs made one after the other.
    bare_all, pool_all = [], []
    for _ in range(args.repeats):
        bare_all += timed(bare_simpy_mmc, 1)[1]
        pool_all += timed(salesim_pool, 1)[1]
    bare, pool = statistics.median(bare_all), statistics.median(pool_all)
    ratios = [p / b for p, b in zip(pool_all, bare_all, strict=True)]
    print(f"machine: {machine()}")
    print(f"bare SimPy M/M/c, {CUSTOMERS:,} customers: median {bare:.2f} s "
          f"({', '.join(f'{t:.2f}' for t in bare_all)}); {CUSTOMERS / bare:,.0f} customers/s")
    print(f"salesim ticket pool as M/M/c, {served:,} customers: median {pool:.2f} s "
          f"({', '.join(f'{t:.2f}' for t in pool_all)}); {served / pool:,.0f} customers/s; "
          f"{jumped:,} arrivals needed no event")
    print(f"ratio salesim / bare SimPy: median of the paired ratios "
          f"{statistics.median(ratios):.2f} ({', '.join(f'{r:.2f}' for r in ratios)}); "
          f"of the medians {pool / bare:.2f} (target <= 1.0, issue 13)")
    print("reproduce: python benchmarks/engine.py --repeats", args.repeats)


if __name__ == "__main__":
    main()
