"""Charts a business owner can read: titles that say what is shown, units on axes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..experiment import mean_ci, moss_curve  # noqa: E402


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


def moss_chart(managers: pd.DataFrame, path: Path) -> Path:
    """The moss curve: share of free hours spent on active work by month of tenure."""
    curve = moss_curve(managers.dropna(subset=["active_share"]))
    many = curve["structure"].nunique() > 1
    fig, ax = plt.subplots(figsize=(9, 5) if many else (8, 4.5))
    for i, structure in enumerate(_order(managers)):
        c = curve[(curve["structure"] == structure) & (curve["replications"] >= 2)]
        line, = ax.plot(c["tenure_month"], 100 * c["active_share"], color=_colour(i),
                        label=_label(structure, many))
        ax.fill_between(c["tenure_month"], 100 * c["ci_low"].fillna(c["active_share"]),
                        100 * c["ci_high"].fillna(c["active_share"]), alpha=0.2,
                        color=line.get_color(),
                        label=None if many else f"{structure}: 95 % interval")
    ax.set_ylim(0, 100)
    ax.set_title("The moss curve: share of free time spent on active work\n"
                 "(hunting and caring for clients) by tenure"
                 + ("; shaded: 95 % interval" if many else ""))
    ax.set_xlabel("Tenure of the manager (months)")
    ax.set_ylabel("Free time spent on active work (%)")
    return _finish(fig, ax, path)


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
