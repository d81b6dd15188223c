"""The default classic department against the published figures MODEL.md cites.

Three of them are calibration targets (a parameter was chosen to hit each): these
tests confirm the calibration still holds. One, the fall of the active share with
tenure, was not tuned to. At the small size ten replications cannot place a mean
within a range a few points wide, so only directions are asserted: each interval lies
above zero. At full size (100 replications) the whole 95 % interval must lie inside
the published range widened by ``RANGE_WIDENING`` (a quarter of its width) at each end.
"""

from __future__ import annotations

import pytest

from sim.validation.checks import Check
from sim.validation.published import published_ranges, turnover_by_structure

CALIBRATED = [
    "median months to full productivity",
    "annual manager turnover",
    "loss of the affected clients' annual sales at a departure",
]
VALIDATED = "active share at 3-6 minus 24-36 months of tenure"


@pytest.fixture(scope="module")
def checks(size):
    return {c.name: c for c in published_ranges(size["published_replications"])}


def _full(size) -> bool:
    return size["published_replications"] >= 100


@pytest.mark.parametrize("name", CALIBRATED)
def test_calibrated_figure_is_positive_or_inside_its_widened_range(checks, name, size):
    check = checks[name]
    assert check.basis == "calibrated"
    assert check.above_zero, check.row()
    if _full(size):
        width = check.target_high - check.target_low
        assert check.allowed_low == pytest.approx(check.target_low - 0.25 * width)
        assert check.allowed_high == pytest.approx(check.target_high + 0.25 * width)
        assert check.agrees, check.row()


def test_active_share_falls_with_tenure(checks):
    """DeCarlo and Lam (2016) report a direction, not a size: the interval of the
    paired fall (3-6 minus 24-36 months of tenure, per replication) lies above 0."""
    check = checks[VALIDATED]
    assert check.basis == "validated"
    assert check.above_zero and check.agrees, check.row()


def test_range_rule_needs_the_whole_interval_inside():
    inside = Check("x", 0.15, 0.01, 0.13, 0.18, "", 100, "calibrated", 0.1175, 0.1925)
    astride = Check("x", 0.12, 0.01, 0.13, 0.18, "", 100, "calibrated", 0.1175, 0.1925)
    assert inside.agrees and not astride.agrees


def test_every_structure_keeps_people_leaving_and_classic_stays_calibrated(size):
    """Turnover under each structure of the default comparison. Only classic's base
    quit rate was chosen for the published 15-28 %; the others follow from their pay
    against the market and the switch, so at full size only classic is held to the
    range (docs/validation.md reports the rest, misses included). At the small size:
    every structure's interval lies above zero."""
    reps = 30 if _full(size) else 3
    checks = turnover_by_structure(reps)
    assert len(checks) == 6
    for check in checks:
        assert check.above_zero, check.row()
    classic = next(c for c in checks if c.basis == "calibrated")
    assert classic.name.endswith("classic")
    if _full(size):
        assert classic.agrees, classic.row()
