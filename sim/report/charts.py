"""Charts a business owner can read: titles that say what is shown, units on axes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..experiment import mean_ci, moss_curve  # noqa: E402


def _band(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = []
    for (structure, month), s in monthly.groupby(["structure", "month"]):
        mean, half, _ = mean_ci(s[column])
        half = 0.0 if np.isnan(half) else half
        rows.append({"structure": structure, "month": month, "mean": mean,
                     "low": mean - half, "high": mean + half})
    return pd.DataFrame(rows)


def _finish(fig, ax, path: Path) -> Path:
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def moss_chart(managers: pd.DataFrame, path: Path) -> Path:
    """The moss curve: share of free hours spent on active work by month of tenure."""
    curve = moss_curve(managers)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for structure, c in curve.groupby("structure"):
        ax.plot(c["tenure_month"], 100 * c["active_share"], label=f"{structure}: mean")
        ax.fill_between(c["tenure_month"], 100 * c["ci_low"].fillna(c["active_share"]),
                        100 * c["ci_high"].fillna(c["active_share"]), alpha=0.25,
                        label=f"{structure}: 95 % interval")
    ax.set_ylim(0, 100)
    ax.set_title("The moss curve: as tenure grows, managers spend less free time\n"
                 "hunting and caring for clients")
    ax.set_xlabel("Tenure of the manager (months)")
    ax.set_ylabel("Free time spent on active work (%)")
    return _finish(fig, ax, path)


def monthly_chart(monthly: pd.DataFrame, column: str, title: str, ylabel: str, path: Path,
                  scale: float = 1.0) -> Path:
    band = _band(monthly, column)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for structure, b in band.groupby("structure"):
        ax.plot(b["month"], b["mean"] / scale, label=f"{structure}: mean")
        ax.fill_between(b["month"], b["low"] / scale, b["high"] / scale, alpha=0.25,
                        label=f"{structure}: 95 % interval")
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
