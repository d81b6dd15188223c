"""The figures of a comparison, one function each: over the months (the transition
against the baseline, a measure per month), by tenure (the moss curve and the
prospecting share), and totals by structure (new clients by source, losses by cause,
the contribution bridge, the key measures), with the takeaways of those whose title
needs more than the sentences of :mod:`sim.report.headline`. Each draws a figure from
the frames and tables of a study and knows nothing of files.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from sim.report import palette  # noqa: E402
from sim.report.charts.style import (  # noqa: E402
    _band,
    _count_axis,
    _fill,
    _finish,
    _line,
    _money_axis,
    _months,
    _panels,
    _rows,
)
from sim.report.headline import range_title  # noqa: E402
from sim.report.numbers import Numbers  # noqa: E402
from sim.study.measures import (  # noqa: E402
    moss_curve,
    payback_and_dip,
    prospecting_curve,
)

#: The contribution bridge: (measure, sign it enters the contribution with).
BRIDGE = (("gross_margin", 1.0), ("payroll", -1.0), ("overhead_cost", -1.0),
          ("marketing_spend", -1.0), ("transition_cost", -1.0))
#: Tenure (months) at which the moss chart's takeaway reads the curves, at most.
MOSS_READ_AT = 36


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
               numbers: Numbers, na: frozenset[str] = frozenset()) -> str:
    """The moss chart's takeaway: each structure's active share at the longest tenure
    all of them reach, leaving out those to which it does not apply (``na``)."""
    structures = [s for s in structures if s not in na]
    k = _read_at(curve, structures)
    if k is None:
        return numbers.t("c.moss_row")
    at = curve[curve["tenure_month"] == k].set_index("structure")["active_share"]
    return range_title(numbers.t("w.moss", tenure=k), at.reindex(structures).to_dict(),
                       baseline, "share", numbers)


def moss_figure(managers: pd.DataFrame, structures: list[str], baseline: str | None,
                numbers: Numbers, title: str | None = None,
                na: frozenset[str] = frozenset()) -> Figure:
    """Two rows of small multiples by month of tenure: the moss curve (active share of
    free time) and the prospecting share of worked hours, one column per structure,
    mean and 95 % band, the baseline dashed in every panel; "n/a" in the panels of the
    structures whose people do no active work (``na``), not a line at zero."""
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
            if row == 0:
                ax.set_title(s, loc="left", color=colours[s], fontweight="bold", fontsize=9)
            if s in na:
                ax.text(0.5, 0.5, numbers.t("c.not_applicable"), transform=ax.transAxes,
                        ha="center", va="center", fontsize=8, color=palette.BASELINE_COLOUR,
                        gid=f"na-{s}-{column}")
                ax.set_ylim(0, 100)
                ax.grid(alpha=0.25)
                if row == 1:
                    ax.set_xlabel(numbers.t("c.tenure"), fontsize=8)
                continue
            _fill(ax, c["tenure_month"], 100 * c["ci_low"].fillna(c[column]),
                  100 * c["ci_high"].fillna(c[column]), f"band-{s}-{column}", colours[s])
            _line(ax, c["tenure_month"], 100 * c[column],
                  f"series-{s}" if row == 0 else f"series-{s}-{column}", colours[s],
                  baseline=is_base)
            if not is_base and len(base):
                _line(ax, base["tenure_month"], 100 * base[column],
                      f"baseline-in-{s}-{column}", "", baseline=True)
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
    # Once under all panels: a long label under each would run into its neighbours'.
    fig.supxlabel(numbers.t("c.effect", baseline=baseline), fontsize=8)
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
