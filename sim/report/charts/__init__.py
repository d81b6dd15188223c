"""Charts a business owner can read: small multiples (one panel per structure) instead
of many lines on one axis, direct labels instead of legends where possible, the
baseline drawn the same way everywhere (:mod:`sim.report.palette`), money in thousands
or millions with the scenario's currency, and a one-line takeaway computed from the
numbers as each chart's title.

Each chart is a :class:`Chart`: its takeaway, the series it must show, and a function
that draws it. The PNG set of a results folder and the inline SVG of ``report.html``
are drawn by the same functions; only the file format differs.

The package, by section: :mod:`~sim.report.charts.style` (the house style and shared
helpers), :mod:`~sim.report.charts.figures` (the figures of a comparison),
:mod:`~sim.report.charts.sets` (the comparison set and its PNG/SVG export),
:mod:`~sim.report.charts.export` (a figure to PNG or inline SVG) and
:mod:`~sim.report.charts.single_run` (the charts of ``salesim run``). The names below
are re-exported for callers; the submodules import one another by full path, never
from here.
"""

from sim.report.charts.export import inline_svg, save_png
from sim.report.charts.figures import (
    bridge_figure,
    bridge_parts,
    monthly_figure,
    moss_figure,
    stacked_figure,
    summary_figure,
    transition_figure,
)
from sim.report.charts.sets import Chart, comparison_charts, comparison_set
from sim.report.charts.single_run import standard_charts
from sim.report.numbers import numbers_for

__all__ = ["Chart", "bridge_figure", "bridge_parts", "comparison_charts", "comparison_set",
           "inline_svg", "monthly_figure", "moss_figure", "numbers_for", "save_png",
           "stacked_figure", "standard_charts", "summary_figure", "transition_figure"]
