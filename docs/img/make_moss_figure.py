"""Draw docs/img/moss_causes.png and print the figures quoted in docs/model.md.

A fresh classic department of the default scenario, run with drift on and off on the
same seed (common random numbers: replication r of both sees the same market and the
same draws by mechanism). Prints the active share of free time and the prospecting
share of worked hours at 3-6 and 24-36 months of tenure, each with its 95 % interval
over replications, and the paired difference drift on minus drift off.

    .venv/bin/python docs/img/make_moss_figure.py     # about 2 minutes on 2 cores
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import sim
from sim.report.charts import moss_causes_chart
from sim.study.measures import mean_ci, tenure_window_shares

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = ((3, 6), (24, 36))


def _interval(values: pd.Series, unit: str = "%") -> str:
    mean, half, _ = mean_ci(values)
    return f"{100 * mean:.1f} {unit} (+-{100 * half:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "moss_causes.png")
    args = parser.parse_args()

    fresh = sim.load_scenario(ROOT / "scenarios" / "default.yaml").with_overrides(
        {"experiment.initial_state": "fresh"})
    runs = {drift: sim.run(fresh.with_overrides({"behaviour.drift": drift}),
                           structure="classic", replications=args.replications,
                           seed=args.seed)
            for drift in (True, False)}
    moss_causes_chart(runs[True].managers, runs[False].managers, args.out,
                      title=f"A new classic department, default scenario, {args.replications} "
                            "replications: why managers hunt less as their tenure grows\n"
                            "(lines: mean over replications; shaded: 95 % interval)")
    print(f"wrote {args.out}; seed {args.seed}, {args.replications} replications, "
          f"{sum(r.wall_seconds for r in runs.values()):.0f} s of simulation\n")
    first = runs[False].prospecting_curve().set_index("tenure_month").loc[1]
    print(f"prospecting share of worked hours in month 1 of tenure, drift off: "
          f"{100 * first['prospecting_share']:.1f} % ({100 * first['ci_low']:.1f} to "
          f"{100 * first['ci_high']:.1f})\n")
    print("| tenure (months) | measure | drift on | drift off | on - off (paired) |")
    print("|---|---|---|---|---|")
    for low, high in WINDOWS:
        on, off = (tenure_window_shares(runs[d].managers, low, high).set_index("replication")
                   for d in (True, False))
        for measure, label in (("active_share", "active share of free time"),
                               ("prospecting_share", "prospecting share of worked hours")):
            diff = on[measure] - off[measure]
            print(f"| {low}-{high} | {label} | {_interval(on[measure])} | "
                  f"{_interval(off[measure])} | {_interval(diff, 'points')} |")
    print("\nWhere the worked hours go (means over replications; base: clients owned)\n")
    print("| tenure (months) | drift | orders and leads | care | prospecting | idle | base |")
    print("|---|---|---|---|---|---|---|")
    for low, high in WINDOWS:
        for drift in (True, False):
            m = tenure_window_shares(runs[drift].managers, low, high).mean(numeric_only=True)
            print(f"| {low}-{high} | {'on' if drift else 'off'} | "
                  + " | ".join(f"{100 * m[c]:.1f} %" for c in
                               ("reactive_share", "care_share", "prospecting_share",
                                "idle_share"))
                  + f" | {m['base_clients']:.0f} |")


if __name__ == "__main__":
    main()
