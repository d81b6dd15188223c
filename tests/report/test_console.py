"""The terminal's key figures: two blocks that fit 80 columns, the money column called
contribution, n/a where a measure does not apply, and a word when the intervals are too
wide to rank."""

from __future__ import annotations

import io

import pandas as pd
from rich.console import Console

from sim.report.console import key_figures, ranking
from sim.report.results_folder import ResultsFolder


def _render(results, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, record=True)
    key_figures(results, console)
    return console.export_text()


def test_the_table_fits_80_columns_uncut_and_says_contribution(results_folder):
    results = ResultsFolder(results_folder)
    text = _render(results)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in text
    assert "contribution" in text and "Profit" not in text
    summary = results.summary().set_index(["structure", "measure"])
    for s in results.structures:  # every name whole, starting its row in both blocks
        rows = [line for line in lines if line.startswith(f" {s} ")]
        assert len(rows) == 2, (s, text)
        mean, half = summary.loc[(s, "contribution"), ["mean", "half_width"]] / 1e6
        assert rows[0].split()[1] == f"{mean:,.1f}±{half:,.1f}"


def test_measures_that_do_not_apply_read_n_a(results_folder):
    lines = _render(ResultsFolder(results_folder)).splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in lines
            if line.strip() and line.split()[0] in ("classic", "automated_marketing")}
    # the second block: lead wait, active share, turnover, key person
    assert rows["automated_marketing"][1] == "n/a" and rows["automated_marketing"][3] == "n/a"
    assert "n/a" not in rows["classic"]


def _tables(half: float, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    differences = pd.DataFrame([{"structure": "ticket_pool", "baseline": "classic",
                                 "measure": "contribution", "difference": 1.0,
                                 "ci_low": 1.0 - half, "ci_high": 1.0 + half,
                                 "replications": n}])
    summary = pd.DataFrame([{"structure": "classic", "measure": "contribution",
                             "mean": 100.0}])
    return differences, summary


def _said(half: float, n: int) -> str:
    console = Console(file=io.StringIO(), width=400, record=True)
    ranking(*_tables(half, n), "classic", n, console)
    return console.export_text()


def test_too_wide_intervals_are_named_with_the_replications_that_would_rank():
    # the rule: a half-width above 5 % of classic's contribution (here 5) is too wide
    text = _said(30.0, 4)
    assert text.startswith("With 4 replications the 95 % intervals are too wide to rank "
                           "the structures on contribution: the widest, ticket_pool")
    needed = int(text.split("--replications ")[1].split(",")[0].split(")")[0])
    assert needed > 4
    assert _said(4.0, 4) == ""
    assert "With one replication there are no intervals" in _said(float("nan"), 1)
