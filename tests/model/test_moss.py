"""The moss and its two causes, in classic.

Drift (income targeting and habituation) lowers the active share of free time with
tenure; a growing base crowds out prospecting even without drift (saturation), so the
prospecting share of worked hours falls in both cases and further with drift.
Replications are the independent observations: for each, hours-weighted shares over
the manager-months in a tenure window; differences (between windows of one run, or
between drift on and off in the same replication, common random numbers) get a
Student-t 95 % interval."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

import sim
from sim.study.measures import mean_ci, prospecting_curve, tenure_window_shares

REPS = 6


def _window(managers, low, high, measure):
    return tenure_window_shares(managers, low, high).set_index("replication")[measure]


@pytest.fixture(scope="module")
def runs(default_scenario):
    fresh = default_scenario.with_overrides({"experiment.initial_state": "fresh"})
    on = sim.run(fresh, replications=REPS, seed=11, workers=2)
    off = sim.run(fresh.with_overrides({"behaviour.drift": False}),
                  replications=REPS, seed=11, workers=2)
    return on, off


def _early_minus_late(managers, measure="active_share"):
    return _window(managers, 3, 6, measure) - _window(managers, 24, 36, measure)


def test_with_drift_the_active_share_at_24_36_months_is_below_3_6_months(runs):
    # DeCarlo and Lam (2016) give a direction: the whole interval lies above zero. (Until
    # issue 25 the fall was about 33 points and the test asked for ten; with a drive that
    # answers to the reward across the range, the skill a tenure brings raises what an
    # hour pays and offsets part of the drift: docs/validation.md states the size.)
    diff = _early_minus_late(runs[0].managers)
    mean, half, _ = mean_ci(diff)
    assert mean - half > 0.0, (mean, half)


def test_drift_makes_the_active_share_fall_further_with_tenure(runs):
    # Paired by replication: the fall with drift minus the fall without it.
    diff = _early_minus_late(runs[0].managers) - _early_minus_late(runs[1].managers)
    mean, half, _ = mean_ci(diff)
    assert mean - half > 0.0, (mean, half)


def test_without_drift_the_active_share_does_not_fall_with_tenure(runs):
    # Without drift the drive follows the reward alone, and a skilled hour pays more,
    # so the active share may rise with tenure; it must not fall (the whole interval of
    # the fall lies below two points).
    diff = _early_minus_late(runs[1].managers)
    mean, half, _ = mean_ci(diff)
    assert mean + half < 0.02, (mean, half)


def test_without_drift_prospecting_still_falls_as_the_base_fills_the_day(runs):
    """Saturation: with drift off, the prospecting share of worked hours at 24-36
    months is below its 3-6 month level while the base has grown (paired by
    replication, the whole interval of the difference above zero)."""
    m = runs[1].managers
    mean, half, n = mean_ci(_early_minus_late(m, "prospecting_share"))
    assert n == REPS and mean - half > 0, (mean, half)
    growth = _window(m, 24, 36, "base_clients") - _window(m, 3, 6, "base_clients")
    mean, half, _ = mean_ci(growth)
    assert mean - half > 0, (mean, half)


def test_drift_lowers_the_prospecting_share_further_than_saturation_alone(runs):
    """Same replication with drift on and off (common random numbers): at 24-36 months
    drift on leaves a smaller prospecting share, and its fall from 3-6 months is
    larger; each paired difference's interval lies above zero."""
    on, off = (r.managers for r in runs)
    late_gap = _window(off, 24, 36, "prospecting_share") - _window(on, 24, 36,
                                                                   "prospecting_share")
    mean, half, n = mean_ci(late_gap)
    assert n == REPS and mean - half > 0, (mean, half)
    extra_fall = (_early_minus_late(on, "prospecting_share")
                  - _early_minus_late(off, "prospecting_share"))
    mean, half, _ = mean_ci(extra_fall)
    assert mean - half > 0, (mean, half)


def test_the_prospecting_curve_is_the_tenure_window_share_month_by_month(runs):
    """``Results.prospecting_curve`` at month k is the mean over replications of the
    window measure over tenure (k-1, k]: both bin and weight the hours the same way."""
    results = runs[0]
    curve = results.prospecting_curve().set_index("tenure_month")
    for k in (1, 4, 12, 30):
        by_rep = _window(results.managers, k - 1, k, "prospecting_share")
        assert curve.loc[k, "prospecting_share"] == pytest.approx(by_rep.mean(), rel=1e-12)
        assert curve.loc[k, "replications"] == len(by_rep.dropna())


def _frame() -> pd.DataFrame:
    """Five manager-months in two replications, hours chosen by hand."""
    cols = ["replication", "tenure_months", "hours_reactive", "hours_care",
            "hours_prospecting", "hours_idle", "base_clients"]
    rows = [
        (0, 0.5, 10.0, 5.0, 40.0, 15.0, 2),   # month 1, 70 worked hours
        (0, 1 + 1e-12, 0.0, 0.0, 7.0, 7.0, 4),  # month 1 (tenure in (0, 1], rounded), 14 h
        (0, 1.5, 50.0, 20.0, 0.0, 0.0, 9),    # month 2
        (1, 0.9, 35.0, 7.0, 21.0, 7.0, 1),    # month 1
        (1, 2.0, 0.0, 0.0, 0.0, 0.0, 0),      # month 2, no day worked (left at once)
    ]
    df = pd.DataFrame(rows, columns=cols)
    df.insert(1, "structure", "classic")
    return df


def test_prospecting_share_is_hours_weighted_over_worked_hours_by_month_of_tenure():
    curve = prospecting_curve(_frame()).set_index("tenure_month")
    assert list(curve.index) == [1, 2]
    # Month 1: replication 0 pools its two people, (40 + 7) / (70 + 14), not the mean
    # of 40/70 and 7/14; replication 1 has 21 / 70.
    shares = [47 / 84, 21 / 70]
    mean = sum(shares) / 2
    half = stats.t.ppf(0.975, 1) * abs(shares[0] - shares[1]) / 2  # s / sqrt(2), n = 2
    row = curve.loc[1]
    assert row["prospecting_share"] == pytest.approx(mean, rel=1e-12)
    assert row["ci_low"] == pytest.approx(mean - half, rel=1e-12)
    assert row["ci_high"] == pytest.approx(mean + half, rel=1e-12)
    assert row["replications"] == 2
    # Month 2: a row without worked hours is no observation (not a share of 0).
    assert curve.loc[2, "prospecting_share"] == 0.0 and curve.loc[2, "replications"] == 1


def test_tenure_window_shares_split_worked_and_free_hours_by_hand():
    w = tenure_window_shares(_frame(), 0, 1).set_index("replication")
    assert w.loc[0, "prospecting_share"] == pytest.approx(47 / 84)
    assert w.loc[0, "reactive_share"] == pytest.approx(10 / 84)
    assert w.loc[0, "care_share"] == pytest.approx(5 / 84)
    assert w.loc[0, "idle_share"] == pytest.approx(22 / 84)
    assert w.loc[0, "active_share"] == pytest.approx(52 / 74)   # (care + prospecting) / free
    assert w.loc[0, "base_clients"] == pytest.approx(3.0)
    assert w.loc[1, "active_share"] == pytest.approx(28 / 35)
    assert w.loc[1, "prospecting_share"] == pytest.approx(21 / 70)
