"""The model's central claim: in classic, drift makes the active share fall with tenure.

Replications are the independent observations: for each, the hours-weighted active
share of managers at tenure 3-6 months and at 24-36 months; the paired difference
has a Student-t 95 % interval."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.experiment import mean_ci

REPS = 6


def _early_minus_late(managers):
    df = managers.assign(free=managers["hours_active"] + managers["hours_idle"])
    out = []
    for _, d in df.groupby("replication"):
        def share(lo, hi, d=d):
            w = d[(d["tenure_months"] > lo) & (d["tenure_months"] <= hi)]
            return w["hours_active"].sum() / w["free"].sum()
        out.append(share(3, 6) - share(24, 36))
    return np.array(out)


@pytest.fixture(scope="module")
def runs(default_scenario):
    fresh = default_scenario.with_overrides({"experiment.initial_state": "fresh"})
    on = sim.run(fresh, replications=REPS, seed=11, workers=2)
    off = sim.run(fresh.with_overrides({"behaviour.drift": False}),
                  replications=REPS, seed=11, workers=2)
    return on, off


def test_with_drift_the_active_share_at_24_36_months_is_well_below_3_6_months(runs):
    diff = _early_minus_late(runs[0].managers)
    mean, half, _ = mean_ci(diff)
    # "Well below": the whole interval lies above ten percentage points.
    assert mean - half > 0.10, (mean, half)


def test_without_drift_the_active_share_does_not_fall_with_tenure(runs):
    diff = _early_minus_late(runs[1].managers)
    mean, half, _ = mean_ci(diff)
    assert abs(mean) < 0.02 and mean - half < 0.02, (mean, half)


def test_without_drift_prospecting_still_falls_as_the_base_fills_the_day(runs):
    """Base saturation is separable from drift: care and orders crowd out hunting."""
    m = runs[1].managers
    early = m[(m.tenure_months > 3) & (m.tenure_months <= 6)]
    late = m[(m.tenure_months > 24) & (m.tenure_months <= 36)]
    assert late["hours_prospecting"].mean() < early["hours_prospecting"].mean()
    assert late["base_clients"].mean() > early["base_clients"].mean()
