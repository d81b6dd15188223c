"""Fixtures of the report tests: one tiny results folder, built once per session and
shared by test_report.py and test_report_browser.py."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim

from tests.helpers import small


@pytest.fixture(scope="session")
def results_folder(tmp_path_factory) -> Path:
    """A results folder of a tiny comparison written by sim.write_results (as compare
    writes it). The tests read it; a test that changes it works on a copy."""
    sc = small(**{"experiment.initial_state": "mature", "experiment.warmup_years": 0.5,
                  "currency": "€"})
    # automated_marketing differs enough from classic for three replications to show
    # intervals that exclude zero, so the report states leads and gaps, not only
    # "no clear difference".
    results = sim.compare(sc, ["classic", "process_norm", "automated_marketing"],
                          replications=3, seed=5, executor="serial")
    return sim.write_results(results, tmp_path_factory.mktemp("results") / "tiny-compare")
