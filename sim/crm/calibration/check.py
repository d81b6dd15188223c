"""The fit check: each curve of the export against the calibrated scenario's simulated
exports, a verdict in numbers, and a warning where the check is too small to tell.

Curves by tenure are judged by a chi-square of their points; monthly curves by how many
months fall inside a prediction band that stays within what the value can be
(:mod:`sim.crm.calibration.bands`). Each verdict comes with its power: the chance it
says "misses" for a department with twice, or half, the simulated values
(:data:`~sim.crm.calibration.bands.MISFIT`); where that chance is below
:data:`~sim.crm.calibration.bands.MIN_POWER` the check cannot tell a fitting model from
a wrong one, and says whether more replications or only a larger export would help.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from sim.crm.calibration.bands import ALPHA, MIN_POWER, MISFIT, Band, band_check
from sim.crm.calibration.correct import Z95, variance
from sim.crm.calibration.figures import money, plain
from sim.crm.calibration.result import Calibration
from sim.model.streams import Streams

#: The streams of the fit check's bootstrap: its own, apart from the fit's and a
#: synthetic export's, one per curve.
STREAMS = "calibration/fit check/"

#: The fit check's curves: statistic, title, and what its points are.
CURVES = (
    ("new_clients_per_manager_month", "New clients won per manager-month, by tenure (months)"),
    ("clients_served_per_manager_month",
     "Clients served (with an order) per manager-month, by tenure (months)"),
    ("win_rate_by_tenure", "Win rate of new business by tenure (months): the ramp-up"),
    ("lost_clients_by_month", "Clients lost by month of the export"),
    ("revenue_by_month", "Revenue of won deals by month of the export"),
)
#: Curves of one export's monthly values, checked against the simulated prediction band.
BAND_CURVES = ("lost_clients_by_month", "revenue_by_month")
#: What a curve's values are, for its warning.
_WHAT = {"new_clients_per_manager_month": "new clients per manager-month",
         "clients_served_per_manager_month": "clients served per manager-month",
         "win_rate_by_tenure": "win rate", "lost_clients_by_month": "clients lost a month",
         "revenue_by_month": "revenue a month"}


def _chi2_power(gap: np.ndarray, var: np.ndarray, n: int) -> dict[float, float]:
    """The chance a chi-square on ``n`` points says "misses" when every observed point is
    ``f`` times the simulated one: noncentral chi-square with noncentrality the sum of
    the squared shifts over their variances."""
    crit = float(stats.chi2.ppf(1 - ALPHA, n))
    return {f: float(stats.ncx2.sf(crit, n, float((((f - 1.0) * gap) ** 2 / var).sum())))
            for f in (1.0 / MISFIT, MISFIT)}


def _factor(f: float) -> str:
    return "half" if f < 1 else ("twice" if f == 2 else f"{f:g} times")


def _warning(name: str, power: dict[float, float], unlimited: dict[float, float],
             reps: int) -> str:
    """A sentence saying the check is too small to tell, or empty where it is not."""
    f = min(power, key=power.get)
    if power[f] >= MIN_POWER:
        return ""
    why = (f"more replications than {reps} would help (with the simulated spread known "
           f"exactly it would catch it with chance {unlimited[f]:.2f})"
           if unlimited[f] >= MIN_POWER else
           "the export is too small for this check: even with unlimited replications it "
           f"would catch it with chance {unlimited[f]:.2f} only")
    return (f"too small to tell: a department with {_factor(f)} the simulated "
            f"{_WHAT[name]} would be found to miss with chance {power[f]:.2f} only "
            f"(below {MIN_POWER:g}); {why}")


def _band_rows(o: pd.DataFrame, s: pd.DataFrame, b: Band, fmt) -> list[list[str]]:
    return [[str(g), fmt(o.at[g, "value"]), fmt(s.at[g, "value"]),
             f"{fmt(b.low[i])} to {fmt(b.high[i])}", "yes" if b.inside[i] else "no"]
            for i, g in enumerate(o.index)]


def _band_curve(name: str, o: pd.DataFrame, s: pd.DataFrame, reps: int, seed: int) -> dict:
    count = name == "lost_clients_by_month"
    b = band_check(o["value"].to_numpy(), s["value"].to_numpy(), s["sd"].to_numpy(),
                   s["k"].to_numpy(), count, Streams(seed, 0, prefix=STREAMS)[name])
    if b is None:
        return {"points": [], "fits": False, "power": 0.0,
                "warning": "too small to tell: one replication gives no spread to draw a "
                           "band from (run two or more)",
                "verdict": "no verdict: one replication gives no spread to draw a band "
                           "from (run two or more)"}
    n = len(b.inside)
    ratio = float(o["value"].sum() / s["value"].sum()) if s["value"].sum() > 0 else math.nan
    what = "clients lost" if count else "revenue"
    verdict = (f"{'fits' if b.fits else 'misses'}: {b.hits} of {n} months within the "
               f"simulated 95 % band (p = {b.p_value:.3f} for so few; fits at p >= "
               f"{ALPHA:g}); observed {what} is "
               f"{plain(ratio, 3, 'not comparable (nothing simulated)')} x the simulated")
    return {"points": _band_rows(o, s, b, plain if count else money), "fits": b.fits,
            "power": b.power[b.weakest], "verdict": verdict,
            "warning": _warning(name, b.power, b.power_unlimited, reps)}


def _chi2_curve(name: str, o: pd.DataFrame, s: pd.DataFrame, reps: int, seed: int) -> dict:
    var = pd.Series(variance(o["se"], s["sd"], s["se"]), index=o.index)
    ok = np.isfinite(o["value"]) & np.isfinite(s["value"]) & (var > 0)
    z = (o["value"] - s["value"]) / np.sqrt(var.where(var > 0))
    n = int(ok.sum())
    points = []
    for g in o.index:
        cells = []
        for side in (o, s):
            v, se = side.at[g, "value"], side.at[g, "se"]
            cells.append(plain(v) + (f" ± {plain(Z95 * se)}" if math.isfinite(se)
                                     and math.isfinite(v) else ""))
        if not math.isfinite(o.at[g, "value"]):
            cells[0] = "none in the export"
        points.append([str(g), *cells, plain(z[g], missing="none") if ok[g] else "none",
                       ("yes" if abs(z[g]) <= Z95 else "no") if ok[g] else "not checked"])
    if n == 0:
        return {"points": points, "fits": False, "power": 0.0,
                "warning": "too small to tell: the export shows none of its points",
                "verdict": "no verdict: the export shows none of its points"}
    chi2 = float((z[ok] ** 2).sum())
    p = float(stats.chi2.sf(chi2, n))
    gap = s["value"][ok].to_numpy()
    power = _chi2_power(gap, var[ok].to_numpy(), n)
    unlimited_var = variance(o["se"][ok], s["sd"][ok], 0.0)
    unlimited = _chi2_power(gap, np.where(unlimited_var > 0, unlimited_var, np.inf), n)
    fits = p >= ALPHA
    within = int((z[ok].abs() <= Z95).sum())
    verdict = (f"{'fits' if fits else 'misses'}: chi-square {chi2:.1f} on {n} points, "
               f"p = {p:.3f} (fits at p >= {ALPHA:g}); {within} of {n} points within "
               "their 95 % band")
    return {"points": points, "fits": fits, "power": min(power.values()), "verdict": verdict,
            "warning": _warning(name, power, unlimited, reps)}


def fit_check(cal: Calibration) -> list[dict]:
    """Per curve: ``name``, ``title``, table ``points``, ``fits``, ``verdict``, ``power``
    (the chance its verdict catches a misfit of a factor two, the weaker direction) and
    ``warning`` (empty unless the check is too small to tell)."""
    obs = cal.observed.set_index(["name", "group"])
    sim = cal.simulated.set_index(["name", "group"])
    reps = cal.settings.replications
    out = []
    for name, title in CURVES:
        if name not in obs.index.get_level_values(0):
            continue
        o = obs.loc[name]
        s = sim.loc[name].reindex(o.index) if name in sim.index.get_level_values(0) else (
            pd.DataFrame(np.nan, index=o.index, columns=["value", "sd", "se", "k"]))
        check = (_band_curve if name in BAND_CURVES else _chi2_curve)(
            name, o, s, reps, cal.settings.seed)
        out.append({"name": name, "title": title, **check})
    return out


def warnings(cal: Calibration, checks: list[dict] | None = None) -> list[str]:
    """What a user must know before trusting the calibration, one sentence each: checks
    too small to tell, parameters the export cannot identify, and sweep ranges wider than
    the base's."""
    checks = fit_check(cal) if checks is None else checks
    out = [f"fit check of {c['title'][0].lower()}{c['title'][1:]}: {c['warning']}"
           for c in checks if c["warning"]]
    out += [f"the export cannot identify {e.path}: {e.unidentified}"
            for e in cal.estimates if e.unidentified]
    out += [f"uncertainties: {r.path} ranges {plain(r.new[0])} to {plain(r.new[1])}, beyond "
            f"the base's {plain(r.base[0])} to {plain(r.base[1])}: {r.why}"
            for r in cal.ranges if r.widened]
    return out
