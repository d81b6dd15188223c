"""Charts a business owner can read: titles that say what is shown, units on axes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..measures import mean_ci, moss_curve, prospecting_curve, tenure_window_shares  # noqa: E402  # noqa: E402


def _colour(i: int) -> str:
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return colours[i % len(colours)]


def _order(frame: pd.DataFrame) -> list[str]:
    """Structures in the order they were run, so colours match across charts."""
    return list(dict.fromkeys(frame["structure"]))


def _band(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = []
    for (structure, month), s in monthly.groupby(["structure", "month"], sort=False):
        mean, half, _ = mean_ci(s[column])
        half = 0.0 if np.isnan(half) else half
        rows.append({"structure": structure, "month": month, "mean": mean,
                     "low": mean - half, "high": mean + half})
    return pd.DataFrame(rows)


def _finish(fig, ax, path: Path) -> Path:
    ax.grid(alpha=0.3)
    ax.legend(frameon=True, framealpha=0.85, edgecolor="none")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _label(structure: str, many: bool, what: str = "mean") -> str:
    return structure if many else f"{structure}: {what}"


def _tenure_panel(ax, curve: pd.DataFrame, column: str, order: list[str], title: str,
                  ylabel: str) -> None:
    """One share by month of tenure per structure, mean and 95 % band, in percent."""
    for i, structure in enumerate(order):
        c = curve[(curve["structure"] == structure) & (curve["replications"] >= 2)]
        line, = ax.plot(c["tenure_month"], 100 * c[column], color=_colour(i),
                        label=structure)
        ax.fill_between(c["tenure_month"], 100 * c["ci_low"].fillna(c[column]),
                        100 * c["ci_high"].fillna(c[column]), alpha=0.2,
                        color=line.get_color())
    ax.set_ylim(0, 100)
    ax.set_title(title)
    ax.set_xlabel("Tenure of the manager (months)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(frameon=True, framealpha=0.85, edgecolor="none")


def moss_chart(managers: pd.DataFrame, path: Path) -> Path:
    """The moss curve (share of free hours spent on active work by month of tenure)
    next to the prospecting share of worked hours by month of tenure: the first falls
    only with drift, the second also when a growing base crowds out hunting."""
    order = _order(managers)
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5) if len(order) > 1 else (13, 5))
    _tenure_panel(left, moss_curve(managers.dropna(subset=["active_share"])),
                  "active_share", order,
                  "The moss curve: free time spent on active work\n"
                  "(hunting and caring for clients)", "Free time on active work (%)")
    _tenure_panel(right, prospecting_curve(managers), "prospecting_share", order,
                  "Working time spent hunting new clients\n"
                  "(falls also when the clients' orders and care fill the day)",
                  "Worked hours spent prospecting (%)")
    fig.suptitle("How a manager's time shifts with tenure "
                 "(lines: mean over replications; shaded: 95 % interval)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


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


def monthly_chart(monthly: pd.DataFrame, column: str, title: str, ylabel: str, path: Path,
                  scale: float = 1.0) -> Path:
    band = _band(monthly, column)
    many = band["structure"].nunique() > 1
    fig, ax = plt.subplots(figsize=(9, 5) if many else (8, 4.5))
    for i, structure in enumerate(_order(monthly)):
        b = band[band["structure"] == structure]
        line, = ax.plot(b["month"], b["mean"] / scale, color=_colour(i),
                        label=_label(structure, many))
        ax.fill_between(b["month"], b["low"] / scale, b["high"] / scale, alpha=0.2,
                        color=line.get_color(),
                        label=None if many else f"{structure}: 95 % interval")
    if many:
        title += "\n(lines: mean over replications; shaded: 95 % interval)"
    ax.set_title(title)
    ax.set_xlabel("Month of the simulation")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    return _finish(fig, ax, path)


def base_chart(managers: pd.DataFrame, path: Path, replication: int | None = None) -> Path:
    """Clients owned by each manager over time, in one replication (the first)."""
    rep = managers["replication"].min() if replication is None else replication
    df = managers[managers["replication"] == rep]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for structure, d in df.groupby("structure"):
        for i, (_, m) in enumerate(d.groupby("manager_id")):
            ax.plot(m["month"], m["base_clients"], lw=1.2, alpha=0.8,
                    label=f"{structure}: one line per manager" if i == 0 else None)
            if m["left"].any():
                last = m[m["left"]].iloc[-1]
                ax.plot(last["month"], last["base_clients"], "x", color="black", ms=5)
    ax.plot([], [], "x", color="black", label="manager left")
    ax.set_title(f"Each manager's personal base grows, then levels off (replication {rep})")
    ax.set_xlabel("Month of the simulation")
    ax.set_ylabel("Clients owned (count)")
    return _finish(fig, ax, path)


def summary_bars(results, path: Path) -> Path:
    """The key measures side by side, with 95 % intervals as error bars."""
    s = results.summary()
    panels = [("revenue", "Revenue over the horizon (millions)", 1e6),
              ("new_clients", "New clients (count)", 1.0),
              ("contribution", "Contribution, i.e. profit (millions)", 1e6),
              ("lost_clients", "Clients lost (count)", 1.0)]
    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    names = results.structures
    for ax, (measure, label, scale) in zip(axes.flat, panels, strict=True):
        d = s[s.measure == measure].set_index("structure").reindex(names)
        err = (d["half_width"].fillna(0) / scale).to_numpy()
        ax.bar(range(len(names)), d["mean"] / scale, yerr=err, capsize=4,
               color=[_colour(i) for i in range(len(names))])
        ax.set_xticks(range(len(names)), names, rotation=20, ha="right")
        ax.set_title(label)
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle("Which structure yields more? Means over replications; "
                 "black bars: 95 % interval")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def lost_by_cause_chart(results, path: Path) -> Path:
    """Why clients were lost, by structure: stacked means over replications."""
    from ..recorder import LOSS_CAUSES

    runs = results.runs.groupby("structure").mean(numeric_only=True).reindex(results.structures)
    fig, ax = plt.subplots(figsize=(9, 5))
    bottom = np.zeros(len(runs))
    for cause in LOSS_CAUSES:
        values = runs[f"lost_clients_{cause}"].to_numpy()
        ax.bar(range(len(runs)), values, bottom=bottom, label=cause.replace("_", " "))
        bottom += values
    ax.set_xticks(range(len(runs)), runs.index, rotation=20, ha="right")
    ax.set_title("Clients lost over the horizon, by cause (mean over replications)")
    ax.set_ylabel("Clients lost (count)")
    return _finish(fig, ax, path)


def comparison_charts(results, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        monthly_chart(results.monthly, "revenue", "Revenue per month by structure",
                      "Revenue (thousands per month)", folder / "revenue.png", scale=1_000.0),
        monthly_chart(results.monthly, "new_clients", "New clients won per month by structure",
                      "New clients (count per month)", folder / "new_clients.png"),
        summary_bars(results, folder / "summary.png"),
        moss_chart(results.managers, folder / "moss_curve.png"),
        lost_by_cause_chart(results, folder / "lost_by_cause.png"),
    ]


def standard_charts(monthly: pd.DataFrame, managers: pd.DataFrame, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        moss_chart(managers, folder / "moss_curve.png"),
        monthly_chart(monthly, "revenue", "Revenue per month", "Revenue (thousands per month)",
                      folder / "revenue.png", scale=1_000.0),
        monthly_chart(monthly, "new_clients", "New clients won per month",
                      "New clients (count per month)", folder / "new_clients.png"),
        base_chart(managers, folder / "base_per_manager.png"),
    ]
