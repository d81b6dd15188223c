"""What a calibration tells its user, and whether its verdicts can fail: bands within
what a month's value can be, a warning where a check is too small to tell, numbers the
export cannot identify named, sweep ranges not widened silently, and files without
``nan`` or scientific notation.

The calibrations here are built from drawn statistics (no simulation), so each case is
exactly the situation it names and runs in a fraction of a second. Draws use fixed
seeds; where a rate is checked, its tolerance is the binomial bound at 99.9 %.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim import Scenario
from sim.crm.calibration import bands, identify
from sim.crm.calibration.bands import MIN_POWER, band_check
from sim.crm.calibration.check import fit_check, warnings
from sim.crm.calibration.correct import Estimate
from sim.crm.calibration.figures import money, plain
from sim.crm.calibration.fit import summarise
from sim.crm.calibration.moments import Window
from sim.crm.calibration.output import write
from sim.crm.calibration.ranges import calibrated_ranges
from sim.crm.calibration.result import Calibration, Settings

SMALL = Scenario().with_overrides({"market.n_accounts": 1500, "workforce.managers": 5})
TENURE = ("0-6", "6-12", "12-24", "24-48", "48+")
NAN = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)
SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE][+-]?\d")


def _draw(rng, mean, phi, count, size):
    return bands._draw(rng, np.asarray(mean, float), phi, count, size)


def calibration(months: int, lost: float, revenue: float, reps: int, factor: float = 1.0,
                tenure_se: float = 0.05, seed: int = 1, estimates=(), ranges=()
                ) -> Calibration:
    """A calibration whose monthly curves are ``reps`` replications drawn around ``lost``
    clients and ``revenue`` a month (quasi-Poisson, dispersion 1.5 and 100,000) and an
    export drawn around ``factor`` times them; its new clients by tenure are observed with
    error ``tenure_se``, the last two points not in the export."""
    rng = np.random.default_rng(seed)
    level = np.linspace(0.7, 1.3, months)
    rows, observed = [], []
    for name, mean, phi, count in (("lost_clients_by_month", lost * level, 1.5, True),
                                   ("revenue_by_month", revenue * level, 1e5, False)):
        sims = _draw(rng, mean[:, None], phi, count, (months, reps))
        export = _draw(rng, mean * factor, phi, count, (months,))
        for m in range(months):
            observed.append({"name": name, "group": str(m + 1), "value": export[m],
                             "se": math.nan, "n": export[m]})
            rows += [{"name": name, "group": str(m + 1), "value": sims[m, r],
                      "replication": r} for r in range(reps)]
    for i, g in enumerate(TENURE):
        true = 3.0 - 0.4 * i
        observed.append({"name": "new_clients_per_manager_month", "group": g,
                         "value": true * factor + rng.normal(0, tenure_se) if i < 3 else math.nan,
                         "se": tenure_se if i < 3 else math.nan, "n": 30})
        rows += [{"name": "new_clients_per_manager_month", "group": g,
                  "value": true + rng.normal(0, tenure_se), "replication": r}
                 for r in range(reps)]
    replicated = pd.DataFrame(rows)
    trials = pd.DataFrame({"number": [0, 1], "value": [12.5, 14.0],
                           "behaviour.income_weight": [0.6, 0.4], "stage": ["search", "slice"]})
    return Calibration(SMALL, list(estimates), pd.DataFrame(observed), summarise(replicated),
                       replicated, trials, Window(np.datetime64("2023-01-02"),
                                                  np.datetime64("2024-01-01")),
                       Settings(replications=reps, seed=seed), ranges=list(ranges))


TINY = dict(months=12, lost=3.0, revenue=150_000.0, reps=2, tenure_se=1.5)
ADEQUATE = dict(months=24, lost=40.0, revenue=2_000_000.0, reps=4)


@pytest.fixture(scope="module")
def tiny() -> tuple[Calibration, list[dict]]:
    cal = calibration(**TINY)
    return cal, fit_check(cal)


@pytest.fixture(scope="module")
def adequate() -> tuple[Calibration, list[dict]]:
    cal = calibration(**ADEQUATE)
    return cal, fit_check(cal)


def band_ends(check: dict) -> list[float]:
    return [float(x.replace(",", "")) for row in check["points"]
            for x in row[3].split(" to ")]


# ------------------------------------------------------------------ the bands
@pytest.mark.parametrize("case", ["tiny", "adequate"])
def test_monthly_bands_never_run_below_zero(case, request):
    checks = {c["name"]: c for c in request.getfixturevalue(case)[1]}
    for name in ("lost_clients_by_month", "revenue_by_month"):
        assert min(band_ends(checks[name])) >= 0, checks[name]["points"]


def test_a_band_stays_at_zero_and_up_where_mean_minus_t_sd_would_not():
    """A spread three times the mean: the old band (mean - t sd) ran far below zero."""
    mean, sd, k = np.full(12, 2.0), np.full(12, 6.0), np.full(12, 4)
    assert (mean - stats.t.ppf(0.975, 36) * sd).max() < 0
    for count in (True, False):
        b = band_check(np.zeros(12), mean, sd, k, count, np.random.default_rng(0))
        assert (b.low >= 0).all() and (b.high > mean).all()
        if count:
            assert b.inside.all()  # no client lost is a month a count can show


# ------------------------------------------------------------------ the power
def test_a_tiny_run_is_warned_too_small_and_an_adequate_one_is_not(tiny, adequate):
    said = warnings(*tiny)
    assert any("clients lost by month" in w and "too small to tell" in w for w in said), said
    assert any("new clients won" in w and "too small to tell" in w for w in said), said
    assert not [w for w in warnings(*adequate) if "too small" in w]
    assert all(c["power"] >= MIN_POWER for c in adequate[1])


def test_the_warning_says_whether_replications_or_only_a_larger_export_would_help(tiny):
    """Three clients lost a month over a year: half as many cannot be told apart even
    with the simulated spread known exactly, so more replications would not help."""
    said = [w for w in warnings(*tiny) if "clients lost" in w]
    assert "the export is too small for this check" in said[0]


def test_an_adequate_check_misses_a_department_at_twice_or_half_the_simulated():
    for factor in (2.0, 0.5):
        checks = {c["name"]: c for c in fit_check(calibration(**ADEQUATE, factor=factor))}
        for name in ("lost_clients_by_month", "revenue_by_month",
                     "new_clients_per_manager_month"):
            assert not checks[name]["fits"], (factor, name, checks[name]["verdict"])
            assert checks[name]["verdict"].startswith("misses")


@pytest.mark.slow
@pytest.mark.parametrize("count, reps", [(True, 4), (False, 2)], ids=["counts", "money"])
def test_the_monthly_verdict_misses_a_right_model_at_most_5_percent_of_the_time(count, reps):
    """The bands of one curve share their estimated spread, so months do not miss
    independently; the bootstrap verdict still misses a right model in at most 5 % of
    exports (binomial bound at 99.9 % over 200 exports). About two minutes."""
    rng = np.random.default_rng(2026)
    mean = (4.0 if count else 500_000.0) * np.linspace(0.6, 1.4, 12)
    phi = 2.5 if count else 2e5
    misses = 0
    for _ in range(200):
        draws = _draw(rng, mean[:, None], phi, count, (12, reps + 1))
        sims = draws[:, :reps]
        b = band_check(draws[:, reps], sims.mean(1), sims.std(1, ddof=1), np.full(12, reps),
                       count, rng)
        misses += not b.fits
    assert misses <= stats.binom.ppf(0.999, 200, 0.05), misses


# ------------------------------------------------------- what is written down
def _written(tmp_path, cal: Calibration) -> dict[str, str]:
    paths = write(cal, tmp_path / "fit" / "scenario.yaml", "crm/")
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


ESTIMATES = [
    Estimate("market.segments.smb.value_median", 61_320.5, 52_000.4, 150_000.0, "corrected",
             f"median of the accounts' mean order amount {plain(61_320.5)} observed"),
    Estimate("market.segments.mid.sales_cycle_days", 30.0, math.nan, math.nan, "measured",
             "one deal", identify.measured(math.nan, 0.0, 1)),
    Estimate("behaviour.income_weight", 0.6, 0.6, 0.75, "inferred", "fitted",
             "its 95 % set ends at the estimate below"),
    Estimate("skill.s0", 0.3, math.nan, math.nan, "base", "kept from the base scenario"),
]


@pytest.mark.parametrize("reps", [1, 2])
def test_no_written_file_shows_nan(tmp_path, reps):
    """One replication (no spread), export points missing, estimates without an
    interval: every file says so in words."""
    files = _written(tmp_path, calibration(**{**TINY, "reps": reps}, estimates=ESTIMATES))
    for name, text in files.items():
        assert not NAN.search(text), (name, NAN.search(text))
    assert "none in the export" in files["calibration.md"]


def test_money_is_written_in_plain_figures(tmp_path):
    files = _written(tmp_path, calibration(**TINY, estimates=ESTIMATES))
    comments = [line.split("#", 1)[1] for line in files["scenario.yaml"].splitlines()
                if "#" in line]
    for text in (files["calibration.md"], *comments):
        assert not SCIENTIFIC.search(text), SCIENTIFIC.search(text)
    assert "61,320" in files["calibration.md"] and "150,000" in files["calibration.md"]
    assert re.search(r"\| 1 \| \d{2,3},\d{3} \| \d{2,3},\d{3} \| \d{1,3}(,\d{3})* to "
                     r"\d{3},\d{3} \|", files["calibration.md"])  # revenue by month
    assert (plain(1.5e5), plain(6.132e4), plain(0.006972), plain(1e-7)) == (
        "150,000", "61,320", "0.006972", "0.0000001")
    assert (money(834.5), money(1_046_308.2), money(math.nan)) == ("834", "1,046,308", "none")


# ------------------------------------------------------------ identification
def _trials(path: str, values: list[float], distances: list[float]) -> pd.DataFrame:
    return pd.DataFrame({path: values, "value": distances})


@pytest.mark.parametrize("values, distances, expect", [
    ([0.0, 0.25, 0.5, 0.75, 1.0], [3.0, 1.0, 0.0, 2.0, 3.5], "flat profile"),
    ([0.0, 0.25, 0.5, 0.75, 1.0], [30.0, 9.0, 0.0, 2.0, 3.5], "upper end of the searched"),
    ([0.0, 0.25, 0.5, 0.75, 1.0], [30.0, 9.0, 0.0, 2.0, 9.5], "ends at the estimate below"),
    ([0.0, 0.25, 0.5, 0.75, 1.0], [30.0, 2.0, 0.0, 2.0, 9.5], ""),
])
def test_an_inferred_number_is_named_unidentified_with_its_reason(values, distances, expect):
    path = "behaviour.income_weight"
    t = _trials(path, values, distances)
    ok = t["value"] <= t["value"].min() + 3.84
    lo, hi = t.loc[ok, path].min(), t.loc[ok, path].max()
    why = identify.inferred(path, 0.5, lo, hi, (0.0, 1.0), t, ok, 3.84)
    assert (expect in why) if expect else why == "", why


def test_corrected_and_measured_numbers_are_named_unidentified_with_their_reason():
    assert "flat profile" in identify.corrected(0.01, 0.99, math.inf, True, 0.1, 0.1, False)
    assert "runs into 1" in identify.corrected(0.5, 1.0, 1.0, False, 1.0, 0.1, False)
    assert identify.corrected(0.2, 0.3, 1.0, False, 1.0, 0.1, False) == ""
    assert "cannot tell it from 0" in identify.measured(0.0, 0.0, 40)
    assert identify.measured(0.2, 0.0, 40) == ""


def test_unidentified_numbers_are_named_in_every_place_a_user_reads(tmp_path):
    cal = calibration(**TINY, estimates=ESTIMATES)
    files = _written(tmp_path, cal)
    said = "the export cannot identify behaviour.income_weight"
    assert any(w.startswith(said) for w in warnings(cal))
    assert "The export cannot identify `behaviour.income_weight`" in files["calibration.md"]
    line = next(x for x in files["scenario.yaml"].splitlines() if "  income_weight:" in x)
    assert "the export cannot identify it: its 95 % set ends at the estimate" in line


# --------------------------------------------------------------- sweep ranges
def test_a_calibrated_sweep_range_is_never_wider_than_the_base_without_a_reason():
    """The base's income weight ranges 0.3 to 1 (scenarios/default.yaml)."""
    base = SMALL.uncertainties["behaviour.income_weight"].range
    assert base == (0.3, 1.0)
    cases = {"inside": (0.6, 0.5, 0.8, ""), "wider": (0.6, 0.1, 1.0, ""),
             "outside": (0.2, 0.1, 0.35, ""), "unidentified": (0.6, 0.6, 0.75, "flat")}
    for case, (v, lo, hi, why) in cases.items():
        sc, (change,) = calibrated_ranges(SMALL, [
            Estimate("behaviour.income_weight", v, lo, hi, "inferred", "fit", why)])
        new = sc.uncertainties["behaviour.income_weight"].range
        assert new == change.new
        assert change.widened == (new[0] < base[0] or new[1] > base[1])
        if change.widened:
            assert "beyond the base's range" in change.why and case == "outside"
    assert calibrated_ranges(SMALL, [Estimate("behaviour.income_weight", 0.6, 0.1, 1.0,
                                              "inferred", "")])[1][0].new == (0.3, 1.0)


def test_a_widened_range_says_why_in_the_scenario_and_in_calibration_md(tmp_path):
    estimate = Estimate("behaviour.income_weight", 0.2, 0.1, 0.35, "inferred", "fit")
    sc, changes = calibrated_ranges(SMALL, [estimate])
    cal = calibration(**TINY, estimates=[estimate], ranges=changes)
    cal.scenario = sc
    files = _written(tmp_path, cal)
    line = next(x for x in files["scenario.yaml"].splitlines()
                if x.strip().startswith('"behaviour.income_weight"'))
    assert "# calibrated: the calibrated value 0.2 lies below the base's range" in line
    assert "beyond the base's range" in files["calibration.md"]
    assert any("uncertainties: behaviour.income_weight ranges 0.1 to 0.35, beyond the "
               "base's 0.3 to 1" in w for w in warnings(cal))
