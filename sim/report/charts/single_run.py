"""The charts of one structure, for ``salesim run``: the moss curve and the prospecting
share by tenure, revenue and new clients per month, and each manager's base of clients
in one replication, as PNGs with their takeaways as titles. They reuse the comparison's
figures with a single panel; only the base per manager is drawn here.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim.report import palette  # noqa: E402
from sim.report.charts.export import save_png  # noqa: E402
from sim.report.charts.figures import (  # noqa: E402
    monthly_figure,
    monthly_title,
    moss_figure,
    moss_title,
)
from sim.report.charts.style import _finish  # noqa: E402
from sim.report.numbers import Numbers  # noqa: E402
from sim.study.measures import moss_curve  # noqa: E402


def moss_chart(managers: pd.DataFrame, path: Path, baseline: str | None = None,
               numbers: Numbers | None = None) -> Path:
    """The moss curve and the prospecting share by month of tenure, as a PNG."""
    n = numbers or Numbers()
    names = list(dict.fromkeys(managers["structure"]))
    curve = moss_curve(managers.dropna(subset=["active_share"]))
    return save_png(moss_figure(managers, names, baseline, n,
                                moss_title(curve, names, baseline, n)), path)


def monthly_chart(monthly: pd.DataFrame, column: str, path: Path, kind: str = "count",
                  baseline: str | None = None, numbers: Numbers | None = None,
                  fresh: bool = False, ylabel: str = "") -> Path:
    """One measure per month, a panel per structure, as a PNG."""
    n = numbers or Numbers()
    names = list(dict.fromkeys(monthly["structure"]))
    title = monthly_title(monthly, column, column, names, baseline, n, kind)
    return save_png(monthly_figure(monthly, column, names, baseline, n, kind, fresh, title,
                                   ylabel), path)


def base_chart(managers: pd.DataFrame, path: Path, replication: int | None = None,
               numbers: Numbers | None = None) -> Path:
    """Clients owned by each manager over time, in one replication (the first)."""
    n = numbers or Numbers()
    rep = managers["replication"].min() if replication is None else replication
    df = managers[managers["replication"] == rep]
    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    for structure, d in df.groupby("structure"):
        for i, (_, m) in enumerate(d.groupby("manager_id")):
            ax.plot(m["month"], m["base_clients"], lw=1.2, alpha=0.8,
                    color=palette.OKABE_ITO[i % len(palette.OKABE_ITO)],
                    label=n.t("c.one_line", structure=structure) if i == 0 else None)
            if m["left"].any():
                last = m[m["left"]].iloc[-1]
                ax.plot(last["month"], last["base_clients"], "x", color="black", ms=5)
    ax.plot([], [], "x", color="black", label=n.t("c.left"))
    ax.set_xlabel(n.t("c.month_fresh"))
    ax.set_ylabel(n.t("c.clients_owned"))
    ax.grid(alpha=0.25)
    ax.legend(frameon=False)
    return save_png(_finish(fig, n.t("c.base_per_manager", replication=rep)), path)


def standard_charts(monthly: pd.DataFrame, managers: pd.DataFrame, folder: Path,
                    numbers: Numbers | None = None, fresh: bool = False) -> list[Path]:
    """The PNG set of one structure (``salesim run``)."""
    folder.mkdir(parents=True, exist_ok=True)
    n = numbers or Numbers()
    return [
        moss_chart(managers, folder / "moss_curve.png", numbers=n),
        monthly_chart(monthly, "revenue", folder / "revenue.png", "money", numbers=n,
                      fresh=fresh, ylabel=n.t("c.revenue_month")),
        monthly_chart(monthly, "new_clients", folder / "new_clients.png", "count", numbers=n,
                      fresh=fresh, ylabel=n.t("c.new_clients_month")),
        base_chart(managers, folder / "base_per_manager.png", numbers=n),
    ]
