"""Charts a business owner can read: small multiples (one panel per structure) instead
of many lines on one axis, direct labels instead of legends where possible, the
baseline drawn the same way everywhere (:mod:`sim.report.palette`), money in thousands
or millions with the scenario's currency, and a one-line takeaway computed from the
numbers as each chart's title.

Each chart is a :class:`Chart`: its takeaway, the series it must show, and a function
that draws it. The PNG set of a results folder and the inline SVG of ``report.html``
are drawn by the same functions; only the file format differs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from sim.model.recorder import LOSS_CAUSES, SOURCES  # noqa: E402
from sim.report import palette  # noqa: E402
from sim.report.headline import bridge_title, range_title, transition_title  # noqa: E402
from sim.report.numbers import Numbers, numbers_for  # noqa: E402
from sim.study.measures import (  # noqa: E402
    mean_ci,
    moss_curve,
    payback_and_dip,
    prospecting_curve,
    tenure_window_shares,
)

#: The contribution bridge: (measure, sign it enters the contribution with).
BRIDGE = (("gross_margin", 1.0), ("payroll", -1.0), ("overhead_cost", -1.0),
          ("marketing_spend", -1.0), ("transition_cost", -1.0))
#: Tenure (months) at which the moss chart's takeaway reads the curves, at most.
MOSS_READ_AT = 36
PANEL = (3.9, 2.7)  # width and height of one small panel, inches

plt.rcParams.update({"font.size": 9, "axes.titlesize": 10, "axes.spines.top": False,
                     "axes.spines.right": False, "svg.hashsalt": "salesim",
                     "svg.fonttype": "path"})


@dataclass
class Chart:
    """One chart: its file name, its takeaway, the series it shows (structure names,
    the ``series-<name>`` ids of its SVG) and how to draw it (with or without the
    takeaway as the figure's title)."""

    name: str
    title: str
    series: list[str]
    draw: Callable[[str | None], Figure] = field(repr=False)


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
    chart's heading instead). Figures use the constrained layout, solved once as they
    are drawn."""
    if title:
        fig.suptitle(title, fontsize=11, fontweight="bold", x=0.01, ha="left")
    return fig


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


# --- over the months -------------------------------------------------------------------


def transition_figure(curve: pd.DataFrame, structures: list[str], baseline: str,
                      numbers: Numbers, fresh: bool = False, title: str | None = None
                      ) -> Figure:
    """Cumulative paired contribution difference against the baseline by month, 95 %
    band, one panel per structure; the baseline is the dashed zero line; the switch at
    month 0.5; where a structure pays back and its lowest point are marked."""
    others = [s for s in structures if s != baseline and s in set(curve["structure"])]
    colours = palette.structure_colours(structures, baseline)
    timing = payback_and_dip(curve).set_index("structure")
    fig, axes = _panels(max(1, len(others)))
    for ax, s in zip(axes, others, strict=False):
        c = curve[curve["structure"] == s].sort_values("month")
        x = c["month"].to_numpy()
        _months(ax, x, numbers, fresh)
        _line(ax, [x.min(), x.max()], [0, 0], f"baseline-in-{s}", "", baseline=True)
        ax.text(x.min(), 0, " " + numbers.t("c.baseline", baseline=baseline), fontsize=7.5,
                color=palette.BASELINE_COLOUR, va="bottom")
        _fill(ax, x, c["ci_low"], c["ci_high"], f"band-{s}", colours[s])
        _line(ax, x, c["difference"], f"series-{s}", colours[s])
        end = c.iloc[-1]
        ax.annotate(numbers.money(end["difference"], signed=True),
                    (end["month"], end["difference"]), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8, color=colours[s],
                    fontweight="bold")
        t = timing.loc[s] if s in timing.index else None
        if t is not None and np.isfinite(t["payback_month"]) and t["payback_month"] > 1:
            y = float(c.loc[c["month"] == t["payback_month"], "difference"].iloc[0])
            ax.plot([t["payback_month"]], [y], "o", color=colours[s], ms=5)
            ax.annotate(numbers.t("c.payback", month=int(t["payback_month"])),
                        (t["payback_month"], y), xytext=(2, 9), textcoords="offset points",
                        ha="left", fontsize=7.5)
        if t is not None and t["dip"] < 0 and t["dip_month"] < x.max():
            ax.plot([t["dip_month"]], [t["dip"]], "v", color=colours[s], ms=5)
            ax.annotate(numbers.t("c.lowest", value=numbers.money(t["dip"], signed=True)),
                        (t["dip_month"], t["dip"]), xytext=(4, -10),
                        textcoords="offset points", fontsize=7.5)
        ax.set_title(s, loc="left", color=colours[s], fontweight="bold")
        ax.margins(x=0.12)
        _money_axis(ax, numbers)
    axes[0].set_ylabel(numbers.t("c.cumulative", baseline=baseline), fontsize=8)
    for ax in axes:
        ax.set_xlabel(numbers.t("c.month_fresh" if fresh else "c.month"), fontsize=8)
        ax.grid(alpha=0.25)
    return _finish(fig, title)


def monthly_figure(monthly: pd.DataFrame, column: str, structures: list[str],
                   baseline: str | None, numbers: Numbers, kind: str = "money",
                   fresh: bool = False, title: str | None = None, ylabel: str = "") -> Figure:
    """One measure per month: a panel per structure with its mean and 95 % band, the
    baseline dashed in every panel."""
    band = _band(monthly, column)
    colours = palette.structure_colours(structures, baseline)
    fig, axes = _panels(len(structures))
    base = band[band["structure"] == baseline] if baseline else band.iloc[0:0]
    for ax, s in zip(axes, structures, strict=True):
        b = band[band["structure"] == s]
        x = b["month"].to_numpy()
        _months(ax, x, numbers, fresh)
        is_base = s == baseline
        _fill(ax, x, b["low"], b["high"], f"band-{s}", colours[s], 0.18 if is_base else 0.22)
        _line(ax, x, b["mean"], f"series-{s}", colours[s], baseline=is_base)
        if not is_base and len(base):
            _line(ax, base["month"], base["mean"], f"baseline-in-{s}", "", baseline=True)
            ax.annotate(baseline, (base["month"].iloc[-1], base["mean"].iloc[-1]),
                        xytext=(3, -2), textcoords="offset points", fontsize=7.5,
                        color=palette.BASELINE_COLOUR, va="top")
        ax.set_title(numbers.t("c.baseline", baseline=s) if is_base else s, loc="left",
                     color=colours[s], fontweight="bold")
        ax.set_ylim(bottom=0)
        ax.margins(x=0.1)
        ax.grid(alpha=0.25)
        (_money_axis if kind == "money" else _count_axis)(ax, numbers)
        ax.set_xlabel(numbers.t("c.month_fresh" if fresh else "c.month"), fontsize=8)
    axes[0].set_ylabel(ylabel, fontsize=8)
    return _finish(fig, title)


def monthly_title(monthly: pd.DataFrame, column: str, what: str, structures: list[str],
                  baseline: str | None, numbers: Numbers, kind: str) -> str:
    """Takeaway of a monthly chart: each structure's mean over the last 12 months after
    the switch (fewer when the horizon is shorter)."""
    after = monthly[monthly["month"] > 0]
    last = int(after["month"].max())
    first = max(1, last - 11)
    window = after[after["month"] >= first]
    values = window.groupby("structure")[column].mean().reindex(structures).to_dict()
    key = {"revenue": "w.revenue_month", "new_clients": "w.new_clients_month"}.get(column)
    label = numbers.t(key, first=first, last=last) if key else what
    return range_title(label, values, baseline, kind, numbers)


# --- by tenure -------------------------------------------------------------------------


def _read_at(curve: pd.DataFrame, structures: list[str]) -> int | None:
    """The longest tenure, up to MOSS_READ_AT months, where every structure's curve has
    at least two replications."""
    ok = curve[curve["replications"] >= 2]
    months = [set(ok.loc[ok["structure"] == s, "tenure_month"]) for s in structures]
    common = set.intersection(*months) if months else set()
    common = {m for m in common if m <= MOSS_READ_AT}
    return max(common) if common else None


def moss_title(curve: pd.DataFrame, structures: list[str], baseline: str | None,
               numbers: Numbers) -> str:
    k = _read_at(curve, structures)
    if k is None:
        return numbers.t("c.moss_row")
    at = curve[curve["tenure_month"] == k].set_index("structure")["active_share"]
    return range_title(numbers.t("w.moss", tenure=k), at.reindex(structures).to_dict(),
                       baseline, "share", numbers)


def moss_figure(managers: pd.DataFrame, structures: list[str], baseline: str | None,
                numbers: Numbers, title: str | None = None) -> Figure:
    """Two rows of small multiples by month of tenure: the moss curve (active share of
    free time) and the prospecting share of worked hours, one column per structure,
    mean and 95 % band, the baseline dashed in every panel."""
    curves = (("active_share", moss_curve(managers.dropna(subset=["active_share"]))),
              ("prospecting_share", prospecting_curve(managers)))
    colours = palette.structure_colours(structures, baseline)
    n = len(structures)
    fig, grid = plt.subplots(2, n, figsize=(max(4.2, 2.3 * n), 5.6), sharex=True,
                             sharey=True, squeeze=False, layout="constrained")
    for row, (column, curve) in enumerate(curves):
        curve = curve[curve["replications"] >= 2]
        base = curve[curve["structure"] == baseline]
        for col, s in enumerate(structures):
            ax = grid[row, col]
            c = curve[curve["structure"] == s]
            is_base = s == baseline
            _fill(ax, c["tenure_month"], 100 * c["ci_low"].fillna(c[column]),
                  100 * c["ci_high"].fillna(c[column]), f"band-{s}-{column}", colours[s])
            _line(ax, c["tenure_month"], 100 * c[column],
                  f"series-{s}" if row == 0 else f"series-{s}-{column}", colours[s],
                  baseline=is_base)
            if not is_base and len(base):
                _line(ax, base["tenure_month"], 100 * base[column],
                      f"baseline-in-{s}-{column}", "", baseline=True)
            if row == 0:
                ax.set_title(s, loc="left", color=colours[s], fontweight="bold", fontsize=9)
            ax.set_ylim(0, 100)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
            ax.grid(alpha=0.25)
            if row == 1:
                ax.set_xlabel(numbers.t("c.tenure"), fontsize=8)
        grid[row, 0].set_ylabel(numbers.t("c.active_share" if row == 0
                                          else "c.prospecting_share"), fontsize=8)
    return _finish(fig, title)


# --- totals by structure ---------------------------------------------------------------


def _means(summary: pd.DataFrame, measure: str, structures: list[str]) -> pd.Series:
    s = summary[summary["measure"] == measure].set_index("structure")["mean"]
    return s.reindex(structures)


def stacked_figure(summary: pd.DataFrame, prefix: str, parts: tuple[str, ...],
                   label_prefix: str, structures: list[str], baseline: str | None,
                   numbers: Numbers, title: str | None = None) -> Figure:
    """Totals per structure split into parts (sources of new clients, causes of
    losses): a horizontal stacked bar per structure, means over replications, the
    values written on the bars, the baseline's total as a dashed line."""
    present = [p for p in parts if f"{prefix}{p}" in set(summary["measure"])]
    values = pd.DataFrame({p: _means(summary, f"{prefix}{p}", structures) for p in present}
                          ).fillna(0.0)
    present = [p for p in present if values[p].sum() > 0] or present[:1]
    total = values[present].sum(axis=1)
    fig, ax = plt.subplots(figsize=(9.5, 0.4 * len(structures) + 1.3), layout="constrained")
    y = np.arange(len(structures))
    left = np.zeros(len(structures))
    width = float(total.max()) or 1.0
    for i, p in enumerate(present):
        colour = palette.PARTS[i % len(palette.PARTS)]
        v = values[p].to_numpy()
        bars = ax.barh(y, v, left=left, color=colour, height=0.62,
                       label=numbers.t(f"{label_prefix}.{p}"), edgecolor="white", lw=0.6)
        for s, bar, value, x0 in zip(structures, bars, v, left, strict=True):
            bar.set_gid(f"series-{s}-{p}")
            if value > 0.07 * width:
                ax.text(x0 + value / 2, bar.get_y() + bar.get_height() / 2,
                        numbers.count(value), ha="center", va="center", fontsize=7.5,
                        color="white", fontweight="bold")
        left = left + v
    for yi, t in zip(y, total, strict=True):
        ax.text(t + 0.01 * width, yi, numbers.count(t), va="center", fontsize=8.5,
                fontweight="bold")
    if baseline in values.index:
        b = float(total[baseline])
        ax.axvline(b, **palette.BASELINE_LINE)
        ax.text(b, len(structures) - 0.45, " " + numbers.t("c.baseline", baseline=baseline),
                color=palette.BASELINE_COLOUR, fontsize=7.5, va="bottom")
    _rows(ax, structures)
    for tick, s in zip(ax.get_yticklabels(), structures, strict=True):
        if s == baseline:
            tick.set_fontweight("bold")
    ax.set_xlim(0, width * 1.12)
    ax.set_xlabel(numbers.t("c.count"), fontsize=8)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(present), frameon=False,
              fontsize=8, handlelength=1.0, columnspacing=1.2)
    ax.grid(axis="x", alpha=0.25)
    return _finish(fig, title)


def bridge_parts(diffs: pd.DataFrame, structures: list[str], baseline: str) -> pd.DataFrame:
    """Each structure's contribution difference against the baseline and its parts,
    as effects on the contribution (costs enter with a minus), with paired intervals."""
    d = diffs.set_index(["structure", "measure"])
    rows = []
    for s in structures:
        if s == baseline or (s, "contribution") not in d.index:
            continue
        for measure, sign in (*BRIDGE, ("contribution", 1.0)):
            if (s, measure) not in d.index:
                continue
            r = d.loc[(s, measure)]
            low, high = sorted((sign * r["ci_low"], sign * r["ci_high"]))
            rows.append({"structure": s, "part": measure, "effect": sign * r["difference"],
                         "ci_low": low, "ci_high": high,
                         "excludes_zero": str(r["excludes_zero"]).lower() in ("true", "1")})
    return pd.DataFrame(rows, columns=["structure", "part", "effect", "ci_low", "ci_high",
                                       "excludes_zero"])


def bridge_figure(parts: pd.DataFrame, baseline: str, numbers: Numbers,
                  title: str | None = None) -> Figure:
    """The contribution bridge: one panel per structure, a bar per part (revenue x
    margin, payroll, overhead, marketing, transition) and the total, each with its
    paired 95 % interval; coloured by direction only where the interval excludes
    zero."""
    others = list(dict.fromkeys(parts["structure"]))
    fig, axes = _panels(max(1, len(others)), sharey=True, sharex=True,
                        size=(3.9, 0.42 * parts["part"].nunique() + 1.3))
    for ax, s in zip(axes, others, strict=False):
        p = parts[parts["structure"] == s].reset_index(drop=True)
        y = np.arange(len(p))
        colours = [palette.direction_colour(r.effect, r.excludes_zero, "higher")
                   for r in p.itertuples()]
        bars = ax.barh(y, p["effect"], color=colours, height=0.6)
        for bar, r in zip(bars, p.itertuples(), strict=True):
            bar.set_gid(f"series-{s}-{r.part}")
            if r.part == "contribution":
                bar.set_edgecolor("black")
                bar.set_linewidth(1.0)
        ax.hlines(y, p["ci_low"], p["ci_high"], color="black", lw=1.0)
        ax.axvline(0, **palette.BASELINE_LINE).set_gid(f"baseline-in-{s}")
        for yi, r in zip(y, p.itertuples(), strict=True):
            left = r.effect < 0  # the label beyond the bar's end and its interval
            ax.annotate(numbers.money(r.effect, signed=True),
                        (min(r.ci_low, r.effect) if left else max(r.ci_high, r.effect), yi),
                        xytext=(-3 if left else 3, 0), textcoords="offset points",
                        va="center", ha="right" if left else "left", fontsize=7)
        _rows(ax, [numbers.t("c.total") if r.part == "contribution"
                   else numbers.t(f"m.{r.part}") for r in p.itertuples()])
        ax.set_title(s, loc="left", fontweight="bold",
                     color=palette.structure_colours(others + [baseline], baseline)[s])
        ax.margins(x=0.25)
        _money_axis(ax, numbers, "x")
        ax.grid(axis="x", alpha=0.25)
        ax.set_xlabel(numbers.t("c.effect", baseline=baseline), fontsize=8)
    return _finish(fig, title)


def summary_figure(summary: pd.DataFrame, structures: list[str], baseline: str | None,
                   numbers: Numbers, title: str | None = None) -> Figure:
    """Revenue, new clients, contribution and clients lost per structure: a bar each,
    the 95 % interval as a line, the baseline grey with its mean dashed."""
    panels = (("revenue", "c.revenue", "money"), ("new_clients", "c.new_clients", "count"),
              ("contribution", "c.contribution", "money"),
              ("lost_clients", "c.lost_clients", "count"))
    colours = palette.structure_colours(structures, baseline)
    fig, axes = _panels(4, cols=2, sharey=True, sharex=False,
                        size=(5.2, 0.38 * len(structures) + 1.2))
    y = np.arange(len(structures))
    for ax, (measure, label, kind) in zip(axes, panels, strict=True):
        d = summary[summary["measure"] == measure].set_index("structure").reindex(structures)
        bars = ax.barh(y, d["mean"], color=[colours[s] for s in structures], height=0.6)
        for bar, s in zip(bars, structures, strict=True):
            bar.set_gid(f"series-{s}-{measure}")
        ax.hlines(y, d["ci_low"].fillna(d["mean"]), d["ci_high"].fillna(d["mean"]),
                  color="black", lw=1.0)
        if baseline in d.index:
            ax.axvline(d.loc[baseline, "mean"], **palette.BASELINE_LINE)
        for yi, v, hi in zip(y, d["mean"], d["ci_high"].fillna(d["mean"]), strict=True):
            ax.annotate(numbers.format(v, kind), (max(v, hi), yi), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=7.5)
        _rows(ax, structures)
        ax.set_title(numbers.t(label), loc="left", fontweight="bold")
        ax.margins(x=0.18)
        (_money_axis if kind == "money" else _count_axis)(ax, numbers, "x")
        ax.grid(axis="x", alpha=0.25)
    return _finish(fig, title)


# --- the sets of charts ----------------------------------------------------------------


def comparison_set(results, numbers: Numbers | None = None) -> dict[str, Chart]:
    """Every chart of a comparison, by file name, from any object with the frames and
    tables of :class:`sim.study.experiment.Results` (a finished study or a results folder);
    ``numbers``: the language and currency (default: the scenario's)."""
    sc = results.scenario
    n = numbers or numbers_for(sc)
    names, base = list(results.structures), results.baseline
    fresh = sc.experiment.initial_state == "fresh"
    months = sc.experiment.months
    summary, diffs, monthly = results.summary(), results.differences(), results.monthly
    curve = results.transition()
    others = [s for s in names if s != base]
    parts = bridge_parts(diffs, names, base)
    moss = moss_curve(results.managers.dropna(subset=["active_share"]))
    totals = {m: _means(summary, m, names).to_dict() for m in ("new_clients", "lost_clients")}
    return {
        "transition": Chart("transition", transition_title(curve, base, n), others,
                            lambda t: transition_figure(curve, names, base, n, fresh, t)),
        "revenue": Chart("revenue",
                         monthly_title(monthly, "revenue", "", names, base, n, "money"),
                         names, lambda t: monthly_figure(monthly, "revenue", names, base, n,
                                                         "money", fresh, t,
                                                         n.t("c.revenue_month"))),
        "new_clients": Chart("new_clients",
                             monthly_title(monthly, "new_clients", "", names, base, n,
                                           "count"),
                             names, lambda t: monthly_figure(
                                 monthly, "new_clients", names, base, n, "count", fresh, t,
                                 n.t("c.new_clients_month"))),
        "moss_curve": Chart("moss_curve", moss_title(moss, names, base, n), names,
                            lambda t: moss_figure(results.managers, names, base, n, t)),
        "new_clients_by_source": Chart(
            "new_clients_by_source",
            range_title(n.t("w.new_clients", months=months), totals["new_clients"], base,
                        "count", n),
            names, lambda t: stacked_figure(summary, "new_clients_", SOURCES, "src", names,
                                            base, n, t)),
        "lost_by_cause": Chart(
            "lost_by_cause",
            range_title(n.t("w.lost_clients", months=months), totals["lost_clients"], base,
                        "count", n),
            names, lambda t: stacked_figure(summary, "lost_clients_", LOSS_CAUSES, "cause",
                                            names, base, n, t)),
        "bridge": Chart("bridge", bridge_title(parts, n), others,
                        lambda t: bridge_figure(parts, base, n, t)),
        "summary": Chart("summary", n.t("t.summary", months=months), names,
                         lambda t: summary_figure(summary, names, base, n, t)),
    }


def save_png(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def inline_svg(fig: Figure, prefix: str, close: bool = True) -> str:
    """A matplotlib figure as an ``<svg>`` element to put inside HTML: no XML header or
    metadata, sized by the page, and every id prefixed so that several charts in one
    page never share an id (gids ``series-X`` become ``<prefix>-series-X``)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    if close:
        plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"',
                 rf'<svg\1 width="100%" class="chart-svg" role="img" data-chart="{prefix}"',
                 svg, count=1)
    ids = set(re.findall(r'\sid="([^"]+)"', svg))
    return re.sub(r'(\sid="|url\(#|href="#)([^")]+)',
                  lambda m: m.group(1) + (f"{prefix}-{m.group(2)}" if m.group(2) in ids
                                          else m.group(2)), svg)


def comparison_charts(results, folder: Path, numbers: Numbers | None = None,
                      svg: dict[str, str] | None = None) -> list[Path]:
    """The PNG set of a comparison, each with its takeaway as the title. With ``svg``,
    each figure is first written into it as inline SVG without the title (what
    ``report.html`` shows, exactly as :func:`sim.report.html.render` draws it), then
    titled for its PNG: a figure is built once for both."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in comparison_set(results, numbers).values():
        if svg is None:
            fig = c.draw(c.title)
        else:
            fig = c.draw(None)
            svg[c.name] = inline_svg(fig, c.name, close=False)
            _finish(fig, c.title)
        paths.append(save_png(fig, folder / f"{c.name}.png"))
    return paths


# --- one structure (salesim run) and the older entry points ----------------------------


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
