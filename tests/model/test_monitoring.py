"""Monitoring with diminishing returns and gaming (sim/model/control.py): direction tests
on common random numbers, 95 % intervals from the paired differences."""

from __future__ import annotations

from sim import run_replication
from sim.study.measures import mean_ci

from tests.helpers import small

R = 6
BASE = {"workforce.managers": 4, "experiment.horizon_years": 0.5,
        "structures.classic.prescribed_active_share": 0.9}


def _classic(reps: int, levels: tuple[float, ...], measure, **extra) -> list[list[float]]:
    """``measure`` of classic at each monitoring level, per replication (same seeds)."""
    return [[measure(*run_replication(small(**{**BASE, **extra,
                                               "structures.classic.monitoring": m}),
                                      "classic", 9, r))
             for m in levels] for r in range(reps)]


def prospecting_hours(monthly, managers) -> float:
    return float(monthly["hours_prospecting"].sum())


def opportunities_per_hour(monthly, managers) -> float:
    return float(monthly["opportunities_opened"].sum() / monthly["hours_prospecting"].sum())


def test_monitorings_effect_on_prospecting_hours_is_concave_in_its_level():
    runs = _classic(R, (0.0, 0.4, 0.8), prospecting_hours)
    first = [(h[1] - h[0]) / h[0] for h in runs]
    second = [(h[2] - h[1]) / h[0] for h in runs]
    mean, half, _ = mean_ci(first)
    assert mean - half > 0.0, (mean, half)  # monitoring raises prospecting
    mean, half, _ = mean_ci([a - b for a, b in zip(first, second, strict=True)])
    assert mean - half > 0.0, (mean, half)  # the second step of 0.4 adds less


def test_gamed_activity_meets_the_measure_but_opens_fewer_opportunities():
    # Under high monitoring, a department that games part of what monitoring enforces
    # logs its hours but opens fewer opportunities per logged hour than one that does not.
    diffs = []
    for r in range(R):
        honest, gaming = (opportunities_per_hour(*run_replication(
            small(**{**BASE, "structures.classic.monitoring": 0.8,
                     "control.gaming_share": g}), "classic", 9, r)) for g in (0.0, 0.6))
        diffs.append(gaming / honest - 1.0)
    mean, half, _ = mean_ci(diffs)
    assert mean + half < 0.0, (mean, half)
