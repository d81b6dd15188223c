"""The comparison set: every chart of a comparison as a :class:`Chart` (its file name,
its takeaway, the series it shows and how to draw it), built from any object with the
frames and tables of a study (a finished study or a results folder read back), and its
export as the PNG set of a results folder and the inline SVG of ``report.html``, drawn
once for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from sim.model.recorder import LOSS_CAUSES, SOURCES
from sim.report.charts.export import inline_svg, save_png
from sim.report.charts.figures import (
    _means,
    bridge_figure,
    bridge_parts,
    monthly_figure,
    monthly_title,
    moss_figure,
    moss_title,
    stacked_figure,
    summary_figure,
    transition_figure,
)
from sim.report.charts.style import _finish
from sim.report.headline import bridge_title, range_title, transition_title
from sim.report.numbers import Numbers, numbers_for
from sim.study.applicability import not_applicable
from sim.study.measures import moss_curve

if TYPE_CHECKING:  # pragma: no cover
    from sim.report.results_like import ResultsLike


@dataclass
class Chart:
    """One chart: its file name, its takeaway, the series it shows (structure names,
    the ``series-<name>`` ids of its SVG) and how to draw it (with or without the
    takeaway as the figure's title)."""

    name: str
    title: str
    series: list[str]
    draw: Callable[[str | None], Figure] = field(repr=False)


def comparison_set(results: ResultsLike, numbers: Numbers | None = None) -> dict[str, Chart]:
    """Every chart of a comparison, by file name, from any object with the frames and
    tables of :class:`sim.report.results_like.ResultsLike` (a finished study or a results
    folder); ``numbers``: the language and currency (default: the scenario's)."""
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
    idle = frozenset(s for s, m in not_applicable(results.scenario, names).items()
                     if "active_share" in m)
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
        "moss_curve": Chart("moss_curve", moss_title(moss, names, base, n, idle),
                            [s for s in names if s not in idle],
                            lambda t: moss_figure(results.managers, names, base, n, t, idle)),
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


def comparison_charts(results: ResultsLike, folder: Path, numbers: Numbers | None = None,
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
