"""The day's work per person and over arrays: one replication of the default comparison
with ``work_day`` and ``quits`` timed inside the run, and one ``work_day`` call in a
steady state. CPU seconds; run two trees in turns to compare them (the machine's speed
drifts), for example main's and this one:

    python benchmarks/daywork.py --tree /work/main            # main's per-person day
    python benchmarks/daywork.py --array-min 0                # arrays forced on
    python benchmarks/daywork.py --managers 60 --years 1      # a larger department
    python benchmarks/daywork.py --calls --managers 60        # one call, steady state

``--array-min`` sets ``ARRAY_MIN_PEOPLE`` (where the tree has it): the number of people
present from which the day goes over arrays. docs/performance.md, "The day's work over
arrays", has the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", default=str(Path(__file__).resolve().parent.parent),
                        help="the source tree whose sim to import (default: this one)")
    parser.add_argument("--managers", type=int, default=None)
    parser.add_argument("--years", type=float, default=None,
                        help="warm-up and horizon in years (default: the scenario's)")
    parser.add_argument("--array-min", type=int, default=None)
    parser.add_argument("--calls", action="store_true", help="time single calls instead")
    args = parser.parse_args()
    sys.path.insert(0, args.tree)
    import sim
    from sim.model import workforce

    if args.array_min is not None and hasattr(workforce, "ARRAY_MIN_PEOPLE"):
        workforce.ARRAY_MIN_PEOPLE = args.array_min
    sc = sim.load_scenario(Path(args.tree) / "scenarios" / "default.yaml")
    over: dict = {}
    if args.managers is not None:
        over["workforce.managers"] = args.managers
    if args.years is not None:
        over.update({"experiment.horizon_years": args.years,
                     "experiment.warmup_years": args.years})
    sc = sc.with_overrides(over) if over else sc
    path = getattr(workforce, "ARRAY_MIN_PEOPLE", None)
    print(f"tree {args.tree}; arrays from {path} people present" if path is not None
          else f"tree {args.tree}; per person only")
    if args.calls:
        calls(sc)
    else:
        replication(sc, workforce.Staff)


def replication(sc, staff) -> None:
    import sim

    spent: dict[str, float] = {}
    for name in ("work_day", "quits"):
        real = getattr(staff, name)

        def timed(*a, _real=real, _name=name):
            t = time.process_time()
            out = _real(*a)
            spent[_name] = spent.get(_name, 0.0) + time.process_time() - t
            return out

        setattr(staff, name, timed)
    t = time.process_time()
    sim.run_replication(sc, sc.experiment.structures, 1, 0)
    print(f"one replication: {time.process_time() - t:.2f} CPU s; "
          + ", ".join(f"{k} {v:.3f} s" for k, v in spent.items()))


def calls(sc, repeats: int = 400) -> None:
    from sim.model.department import Department
    from sim.model.streams import Streams
    from sim.model.structures import make_structure

    for name in ("classic", "process_norm", "ticket_pool"):
        dept = Department(sc, make_structure(name, sc), Streams(1, 0), months=6)
        dept.env.run(until=100.5)
        now, clients = dept.env.now, dept.acc.clients()
        owners = dept.acc.owner[clients]
        dept.rec.month = dept.months  # past the recorded months: no counters move
        t = time.process_time()
        for _ in range(repeats):
            dept.staff.work_day(now, clients, owners)
        seated = sum(d.person is not None for d in dept.desks)
        print(f"{name}: {seated} people, work_day "
              f"{(time.process_time() - t) / repeats * 1e6:.0f} microseconds a call")


if __name__ == "__main__":
    main()
