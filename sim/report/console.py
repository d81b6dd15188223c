"""What ``salesim`` prints on the terminal after a study: the key-figures table of a
comparison and the summary of a sensitivity analysis. Presentation only: the numbers
come from the study's results, and the caller (the CLI) gives the console to print on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from sim.config.uncertainties import short_name

if TYPE_CHECKING:  # pragma: no cover
    from sim.study.results import Results
    from sim.study.sensitivity import Sensitivity


def key_figures(results: Results, console: Console) -> None:
    """One row per structure: mean ± 95 % half-width of the key measures."""
    summary = results.summary().set_index(["structure", "measure"])
    shown = [("revenue", "Revenue", 1e6, "M"),
             ("new_clients", "New clients", 1, ""),
             ("contribution", "Profit", 1e6, "M"),
             ("lost_clients", "Lost clients", 1, ""),
             ("lead_wait_hours_mean", "Lead wait", 1, "h"),
             ("active_share", "Active share", 0.01, "%"),
             ("turnover_annual", "Turnover/yr", 0.01, "%"),
             ("top_manager_revenue_share", "Top person", 0.01, "%")]
    table = Table(title=f"Key figures over {results.scenario.experiment.horizon_years:g} years: "
                        f"mean ± 95 % interval, {results.replications} replications")
    table.add_column("structure")
    for _, label, _, _ in shown:
        table.add_column(label, justify="right")
    for structure in results.structures:
        cells = []
        for key, _, scale, unit in shown:
            row = summary.loc[(structure, key)]
            mean, half = row["mean"] / scale, row["half_width"] / scale
            digits = 0 if unit == "" and abs(mean) >= 100 else 1
            text = f"{mean:,.{digits}f}{unit}"
            if half == half:
                text += f"±{half:,.{digits}f}"
            cells.append(text)
        table.add_row(structure, *cells)
    console.print(table)
    if len(results.structures) > 1:
        console.print("Plain-language findings: findings.md in the results folder.",
                      highlight=False)


def sensitivity_summary(analysis: Sensitivity, folder: Path, console: Console) -> None:
    """The top parameters per structure, the shares won, the boxes, the warnings."""
    for s in analysis.structures:
        if s == analysis.baseline or analysis.indices.empty:
            continue
        top = analysis.top(s)
        listed = ", ".join(
            short_name(r.parameter) + ("" if r.above_noise else " (not ranked)")
            for r in top.itertuples())
        console.print(f"contribution, {s} minus {analysis.baseline}, by "
                      f"{analysis.ranked_by}: {listed}", highlight=False)
    for sentence in [*analysis.sentences(), *analysis.ahead["sentence"]]:
        console.print(sentence, highlight=False)
    if analysis.warnings:
        console.print(f"{len(analysis.warnings)} warning(s): see "
                      f"{folder / 'sensitivity' / 'findings.md'}", highlight=False)
