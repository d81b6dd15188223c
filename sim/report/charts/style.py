"""The house style of the report's charts and the drawing helpers every chart shares:
matplotlib's file backend and fonts, small-multiple panels, money, count and month axes,
category rows, means with 95 % bands, and lines and bands tagged with the SVG ids
(``series-<structure>``, ``band-...``, ``baseline-in-...``) the report's page and its
tests find them by. Kept apart so that the comparison's figures, the single-run charts
and the sweep's charts look the same.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from sim.report import palette  # noqa: E402
from sim.report.charts.layout import declutter  # noqa: E402
from sim.report.numbers import Numbers  # noqa: E402
from sim.study.measures import mean_ci  # noqa: E402

PANEL = (3.9, 2.7)  # width and height of one small panel, inches

plt.rcParams.update({"font.size": 9, "axes.titlesize": 10, "axes.spines.top": False,
                     "axes.spines.right": False})


def _panels(n: int, cols: int = 3, sharey: bool = True, sharex: bool = True,
            size: tuple[float, float] = PANEL):
    cols = max(1, min(n, cols))
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(size[0] * cols, size[1] * rows + 0.6),
                             squeeze=False, sharey=sharey, sharex=sharex, layout="constrained")
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _finish(fig: Figure, title: str | None) -> Figure:
    """The takeaway as the figure's title (the PNG set; the report shows it as the
    chart's heading instead), and labels that would collide moved apart
    (:func:`sim.report.charts.layout.declutter`). Figures use the constrained layout,
    solved as they are drawn."""
    if title:
        fig.suptitle(title, fontsize=11, fontweight="bold", x=0.01, ha="left")
    return declutter(fig)


def _money_axis(ax, numbers: Numbers, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _: numbers.money(v, trim=True))
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=5))
    target.set_major_formatter(fmt)


def _rows(ax, labels: list[str]) -> None:
    """Categories top to bottom in the given order (set once, so axes that share the
    y axis are not flipped back and forth)."""
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)


def _count_axis(ax, numbers: Numbers, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _: numbers.count(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _months(ax, months: np.ndarray, numbers: Numbers, fresh: bool) -> None:
    """The month axis: months up to 0 shaded as before the switch, the switch (or the
    start of a new department) marked at month 0.5."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    if len(months) and months.min() <= 0:
        ax.axvspan(months.min() - 0.5, 0.5, color=palette.BEFORE_SHADE, lw=0, zorder=0)
        ax.text(months.min(), 0.98, numbers.t("c.before"), transform=ax.get_xaxis_transform(),
                va="top", ha="left", fontsize=7.5, color="dimgrey")
    ax.axvline(0.5, color=palette.SWITCH_COLOUR, lw=0.8, ls=":", zorder=1)
    ax.text(0.8, 0.02, numbers.t("c.start" if fresh else "c.switch"),
            transform=ax.get_xaxis_transform(), fontsize=7.5, va="bottom")


def _band(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = []
    for (structure, month), s in monthly.groupby(["structure", "month"], sort=False):
        mean, half, _ = mean_ci(s[column])
        half = 0.0 if np.isnan(half) else half
        rows.append({"structure": structure, "month": month, "mean": mean,
                     "low": mean - half, "high": mean + half})
    return pd.DataFrame(rows).sort_values(["structure", "month"])


def _line(ax, x, y, gid: str, colour: str, baseline: bool = False, **kw):
    style = dict(palette.BASELINE_LINE) if baseline else {"color": colour, "lw": 2.0}
    style.update(kw)
    line, = ax.plot(x, y, **style)
    line.set_gid(gid)
    return line


def _fill(ax, x, low, high, gid: str, colour: str, alpha: float = 0.22):
    band = ax.fill_between(x, low, high, color=colour, alpha=alpha, lw=0)
    band.set_gid(gid)
    return band
