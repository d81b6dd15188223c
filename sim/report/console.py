"""What ``salesim`` prints on the terminal after a study: the key-figures table of a
comparison and the summary of a sensitivity analysis. Presentation only: the numbers
come from the study's results, and the caller (the CLI) gives the console to print on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from sim.config.uncertainties import short_name

if TYPE_CHECKING:  # pragma: no cover
    from sim.report.results_like import ResultsLike
    from sim.study.sensitivity import Sensitivity


#: The key figures: (summary measure, header, divisor, whole numbers), in two blocks
#: that each fit 80 columns beside the longest structure name.
BLOCKS = (
    ("money and clients", (("contribution", "contribution\nM", 1e6, False),
                           ("revenue", "revenue\nM", 1e6, False),
                           ("new_clients", "new\nclients", 1, True),
                           ("lost_clients", "lost\nclients", 1, True))),
    ("people and service", (("lead_wait_hours_mean", "lead wait\nhours", 1, False),
                            ("active_share", "active share\n%", 0.01, False),
                            ("turnover_annual", "turnover\n% a year", 0.01, False),
                            ("top_manager_revenue_share", "key person\n%", 0.01, False))),
)
NOT_APPLICABLE = "n/a"


def cell(mean: float, half: float, whole: bool) -> str:
    """``mean±half`` in the unit of the column: whole numbers for counts of 100 or
    more, one decimal otherwise; the mean alone where there is no interval."""
    digits = 0 if whole and abs(mean) >= 100 else 1
    if mean != mean:
        return NOT_APPLICABLE
    text = f"{mean:,.{digits}f}"
    return text + (f"±{half:,.{digits}f}" if half == half else "")


def key_figures(results: ResultsLike, console: Console) -> None:
    """The key figures, mean ± 95 % half-width per structure, in two blocks that fit
    80 columns; "n/a" where a measure does not apply to a structure
    (:func:`sim.study.applicability.measure_applies`); below them, whether the
    intervals are narrow enough to rank the structures against the baseline."""
    from sim.study.applicability import measure_applies

    summary = results.summary().set_index(["structure", "measure"])
    years = results.scenario.experiment.horizon_years
    console.print(f"Key figures over {years:g} years after the switch: mean ± 95 % interval "
                  f"half-width, {results.replications} replication"
                  f"{'s' if results.replications != 1 else ''}", highlight=False)
    for name, shown in BLOCKS:
        table = Table(title=name, title_justify="left", box=box.SIMPLE_HEAD,
                      pad_edge=False, collapse_padding=True)
        table.add_column("structure", no_wrap=True)
        for _, header, _, _ in shown:
            table.add_column(header, justify="right", min_width=8, overflow="fold")
        for structure in results.structures:
            cells = []
            for key, _, scale, whole in shown:
                if not measure_applies(results.scenario, structure, key):
                    cells.append(NOT_APPLICABLE)
                    continue
                row = summary.loc[(structure, key)]
                cells.append(cell(row["mean"] / scale, row["half_width"] / scale, whole))
            table.add_row(structure, *cells)
        console.print(table)
    if len(results.structures) > 1:
        ranking(results.differences(), results.summary(), results.baseline,
                results.replications, console)
        console.print("Plain-language findings: findings.md in the results folder.",
                      highlight=False)


def ranking(differences: pd.DataFrame, summary: pd.DataFrame, baseline: str,
            replications: int, console: Console, measure: str = "contribution") -> None:
    """One sentence when the paired intervals are too wide to rank the structures
    (:func:`sim.study.precision.ranking_precision`, the rule the report's first screen
    applies too), with the replications that would rank them."""
    from sim.study.precision import RANK_PRECISION, ranking_precision

    rp = ranking_precision(differences, summary, baseline, replications, measure)
    if rp is None or not rp.too_wide:
        return
    if replications < 2:
        console.print(f"With one replication there are no intervals to rank the structures "
                      f"by: run at least {rp.needed}, better 30.", highlight=False)
        return
    console.print(
        f"With {replications} replications the 95 % intervals are too wide to rank the "
        f"structures on {measure}: the widest, {rp.structure} against {baseline}, is "
        f"±{rp.widest:,.0f}, more than the ±{rp.allowed:,.0f} ({RANK_PRECISION:.0%} of "
        f"{baseline}'s) that ranks them; about {rp.needed:,} replications would, if the "
        f"spread stays as observed (--replications {rp.needed}, or --precision "
        f"{RANK_PRECISION:g} to add them as needed).", highlight=False)


def sensitivity_summary(analysis: Sensitivity, folder: Path, console: Console) -> None:
    """The top parameters (groups, for a grouped screening) per structure, the shares
    won, the boxes, the warnings."""
    for s in analysis.structures:
        if s == analysis.baseline or analysis.indices.empty:
            continue
        top = analysis.top(s)
        ranked = top[top["above_noise"].astype(bool)].sort_values("rank")
        others = top[~top["above_noise"].astype(bool)]
        head = f"contribution, {s} minus {analysis.baseline}"
        text = (f"{head}, ranked by {analysis.ranked_by}: "
                + ", ".join(short_name(p) for p in ranked["parameter"])
                if len(ranked) else f"{head}: no "
                f"{'group' if analysis.grouped else 'parameter'} ranked by {analysis.ranked_by}")
        if len(others):
            text += ("; not ranked (interval within the noise or reaching 0): "
                     + ", ".join(short_name(p) for p in others["parameter"]))
        console.print(text, highlight=False)
    for sentence in [*analysis.sentences(), *analysis.ahead["sentence"]]:
        console.print(sentence, highlight=False)
    if analysis.warnings:
        console.print(f"{len(analysis.warnings)} warning(s): see "
                      f"{folder / 'sensitivity' / 'findings.md'}", highlight=False)
