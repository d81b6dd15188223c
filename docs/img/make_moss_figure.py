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

import matplotlib.pyplot as plt
import pandas as pd

import sim
import sim.report.charts.style  # noqa: F401  the report's fonts and axes, as before the move
from sim.study.measures import mean_ci, moss_curve, prospecting_curve, tenure_window_shares

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = ((3, 6), (24, 36))


def _interval(values: pd.Series, unit: str = "%") -> str:
    mean, half, _ = mean_ci(values)
    return f"{100 * mean:.1f} {unit} (+-{100 * half:.1f})"


def moss_causes_chart(drift_on: pd.DataFrame, drift_off: pd.DataFrame, path: Path,
                      window: tuple[float, float] = (24, 36), title: str | None = None) -> Path:
    """The two causes of moss in one picture, from the ``managers`` frames of one
    structure run with drift on and off on common random numbers.

    Left, the active share of free time: flat without drift, so its fall is drift.
    Right, the prospecting share of worked hours: the gap between a new hire's level
    (month 1 without drift) and the drift-off curve is the base crowding out hunting
    (saturation); the gap between the drift-off and drift-on curves is drift. The box
    gives both gaps over ``window`` months of tenure, means over replications."""
    runs = {"with motivation drift (default)": drift_on,
            "without drift (behaviour.drift: false)": drift_off}
    on_label, off_label = runs
    colours = {on_label: "#d62728", off_label: "#1f77b4"}
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.8))
    prospecting = {}
    for label, managers in runs.items():
        prospecting[label] = prospecting_curve(managers)
        panels = ((left, moss_curve(managers.dropna(subset=["active_share"])), "active_share"),
                  (right, prospecting[label], "prospecting_share"))
        for ax, c, col in panels:
            c = c[c["replications"] >= 2]
            ax.plot(c["tenure_month"], 100 * c[col], color=colours[label], lw=2, label=label)
            ax.fill_between(c["tenure_month"], 100 * c["ci_low"].fillna(c[col]),
                            100 * c["ci_high"].fillna(c[col]), color=colours[label],
                            alpha=0.25, lw=0)
    off = prospecting[off_label].set_index("tenure_month")["prospecting_share"]
    on = prospecting[on_label].set_index("tenure_month")["prospecting_share"].reindex(off.index)
    start = float(off.iloc[0])
    right.axhline(100 * start, color="grey", ls=":", lw=1.5)
    right.text(1.5, 100 * start + 2, "a new hire with no clients yet", color="dimgrey",
               fontsize=9)
    right.fill_between(off.index, 100 * start, 100 * off, color="#1f77b4", alpha=0.08,
                       hatch="//", edgecolor="#1f77b4", lw=0,
                       label="lost to the growing base (saturation)")
    right.fill_between(off.index, 100 * off, 100 * on, color="#d62728", alpha=0.08,
                       hatch="\\\\", edgecolor="#d62728", lw=0,
                       label="lost to drift of motivation")
    low, high = window
    late = {label: mean_ci(tenure_window_shares(m, low, high)["prospecting_share"])[:2]
            for label, m in runs.items()}
    (m_off, h_off), (m_on, h_on) = late[off_label], late[on_label]
    lost = start - m_on
    text = (f"Working time spent hunting at {low:g}-{high:g} months of tenure:\n"
            f"  without drift {100 * m_off:.0f} % (\u00b1{100 * h_off:.0f}), "
            f"with drift {100 * m_on:.0f} % (\u00b1{100 * h_on:.0f}),\n"
            f"  against {100 * start:.0f} % for a new hire. Of the {100 * lost:.0f} "
            "percentage points lost,\n"
            f"  {100 * (start - m_off):.0f} go to the growing base "
            f"({100 * (start - m_off) / lost:.0f} %), "
            f"{100 * (m_off - m_on):.0f} to drift ({100 * (m_off - m_on) / lost:.0f} %).")
    right.text(0.98, 0.98, text, transform=right.transAxes, ha="right", va="top",
               multialignment="left", fontsize=9,
               bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": "none"})
    left.set_title("Free time spent on active work (the moss curve):\n"
                   "care of clients counts as active, so only drift moves it")
    left.set_ylabel("Free time on hunting and client care (%)")
    right.set_title("Working time spent hunting new clients:\n"
                    "the growing base and drift both push it down")
    right.set_ylabel("Worked hours spent prospecting (%)")
    for ax in (left, right):
        ax.set_xlabel("Tenure of the manager (months)")
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
    left.legend(loc="lower left", frameon=True, framealpha=0.9, edgecolor="none")
    right.legend(loc="lower left", frameon=True, framealpha=0.9, edgecolor="none",
                 fontsize=9)
    fig.suptitle(title or "Why managers hunt less as their tenure grows "
                 "(lines: mean over replications; shaded: 95 % interval)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


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
