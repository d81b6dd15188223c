"""Parameters a CRM export shows only through the model's other mechanisms, and the
statistics' bookkeeping calibration shares.

Each :class:`Corrected` parameter is scaled until the simulated export shows what the
real one shows (``theta <- theta * observed / simulated``, a fixed-point form of indirect
inference; Gourieroux, Monfort and Renault 1993); its 95 % interval is the observed
statistic's, carried to the parameter by the delta method with the statistic's
:func:`elasticity`. :func:`variance` is the one rule for the variance of an observed
minus a simulated statistic, used by the fit's distance and the fit check alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.crm.calibration import identify
from sim.crm.calibration.figures import plain

Z95 = 1.959964


#: The largest factor one correction round may move a parameter by.
MAX_STEP = 2.0


#: What an export must show of a statistic to correct its parameter by it.
MIN_OBSERVATIONS = 10


MAX_CORRECTABLE_ERROR = 0.25


#: Relative standard error at which an interval is as good as none (a factor of about
#: 360 either way); larger errors are capped there.
MAX_RELATIVE_ERROR = 3.0


#: The bounds of an elasticity: a statistic at the floor barely follows its parameter.
ELASTICITY_FLOOR = 0.1
ELASTICITY_CEILING = 10.0


#: Statistics that read as their parameter before any correction.
NAIVE = {
    "new_client_mix": lambda o: o,
    "win_rate": lambda o: o,
    "churn_per_year": lambda o: -math.expm1(-o),
    "orders_per_client_year": lambda o: o,
}


@dataclass
class Estimate:
    """One calibrated number of the scenario, how it was found and its 95 % interval."""

    path: str
    value: float
    low: float
    high: float
    kind: str  # measured, corrected, inferred, base
    method: str
    unidentified: str = ""  # why the export cannot identify it; empty where it can


def stat(m: pd.DataFrame, name: str, group: str = "") -> tuple[float, float]:
    row = m[(m["name"] == name) & (m["group"] == group)]
    if row.empty:
        return math.nan, math.nan
    return float(row["value"].iloc[0]), float(row["se"].iloc[0])


def observations(m: pd.DataFrame, name: str, group: str = "") -> float:
    row = m[(m["name"] == name) & (m["group"] == group)]
    return float(row["n"].iloc[0]) if not row.empty else 0.0


def informative(obs: pd.DataFrame, p: Corrected) -> bool:
    """Whether the export shows a corrected parameter's statistic well enough to
    correct by: at least ``MIN_OBSERVATIONS`` observations and a relative error below
    ``MAX_CORRECTABLE_ERROR``. Correcting by noise would move the other parameters
    through the model (a wild learning curve changes every win rate)."""
    if p.form == "share":  # shares are renormalised together: all are corrected
        return True
    o, se = stat(obs, p.moment, p.group)
    return (np.isfinite(o) and o > 0 and observations(obs, p.moment, p.group) >= MIN_OBSERVATIONS
            and np.isfinite(se) and se / o < MAX_CORRECTABLE_ERROR)


def variance(obs_se, sim_sd, sim_se):
    """The variance of an observed minus a simulated statistic: the export's sampling
    variance (the larger of its stated error and the spread of simulated exports, since
    clients and people recur from month to month and the stated errors treat them as
    independent), plus the error of the simulated mean."""
    obs_var = np.fmax(np.nan_to_num(np.asarray(obs_se, float) ** 2),
                      np.nan_to_num(np.asarray(sim_sd, float) ** 2))
    return obs_var + np.nan_to_num(np.asarray(sim_se, float) ** 2)


@dataclass(frozen=True)
class Corrected:
    """A parameter scaled until its statistic matches: ``form`` says how (``rate``:
    the value itself, ``hazard``: a yearly probability through its hazard, ``share``:
    segment shares renormalised to one)."""

    path: str
    moment: str
    group: str
    form: str
    upper: float = math.inf
    text: str = ""


def corrected_parameters(segments: list[str]) -> list[Corrected]:
    out: list[Corrected] = []
    for s in segments:
        seg = f"market.segments.{s}"
        out += [
            Corrected(f"{seg}.share", "new_client_mix", s, "share", 1.0,
                      text="share of new clients in the segment"),
            Corrected(f"{seg}.win_rate", "win_rate", s, "rate", 1.0,
                      text="won / closed new-business deals"),
            Corrected(f"{seg}.churn_annual", "churn_per_year", s, "hazard",
                      text="clients lost per client-year"),
            Corrected(f"{seg}.orders_per_year", "orders_per_client_year", s, "rate",
                      text="orders and upsells per client-year"),
            Corrected(f"{seg}.value_median", "order_value_median", s, "rate",
                      text="median of the accounts' mean order amount"),
        ]
    out += [
        Corrected("demand.inbound_leads_per_day", "inbound_deals_per_day", "", "rate",
                  text="inbound new-business deals per working day"),
        Corrected("demand.referral_rate", "referral_deals_per_client_month", "", "rate",
                  text="referral deals per client-month"),
        Corrected("workforce.quit_rate_annual", "quits_per_year", "", "hazard",
                  text="leavers per person-year"),
        Corrected("workforce.vacancy_days", "vacancy_days", "", "rate",
                  text="mean working days from a leave to the next hire (the model fills "
                       "a seat slower when it pays below the market)"),
        Corrected("skill.s0", "ramp_start", "", "rate", 1.0,
                  text="relative win rate at hire, from the win rate by tenure"),
        Corrected("skill.tau_hours", "ramp_months", "", "rate",
                  text="time constant of the win rate by tenure"),
    ]
    return out


def correct_step(values: dict[str, float], params: list[Corrected], obs: pd.DataFrame,
             sim: pd.DataFrame, seen: dict[str, list] | None = None) -> dict[str, float]:
    """One step of ``theta <- theta * observed / simulated`` for each corrected
    parameter whose statistic both exports show; ``seen`` collects, per parameter, the
    value simulated and the statistic it gave (row of ``sim``), round by round."""
    out = dict(values)
    for p in params:
        o, _ = stat(obs, p.moment, p.group)
        m, _ = stat(sim, p.moment, p.group)
        if not (np.isfinite(o) and np.isfinite(m) and m > 0 and o > 0):
            continue
        if seen is not None:
            row = sim[(sim["name"] == p.moment) & (sim["group"] == p.group)].iloc[0]
            seen.setdefault(p.path, []).append((values[p.path], row))
        ratio = min(max(o / m, 1.0 / MAX_STEP), MAX_STEP)
        v = values[p.path]
        if p.form == "hazard":
            h = -math.log1p(-min(v, 0.999)) * ratio
            out[p.path] = min(-math.expm1(-h), 0.99)
        else:
            out[p.path] = min(v * ratio, p.upper)
    shares = [p.path for p in params if p.form == "share"]
    total = sum(out[s] for s in shares)
    for s in shares:
        out[s] = out[s] / total
    return out


def _scale(p: Corrected, v: float) -> float:
    """The parameter on the scale it is corrected on (a probability as its hazard)."""
    return -math.log1p(-min(v, 0.999)) if p.form == "hazard" else v


def _unscale(p: Corrected, x: float) -> float:
    return -math.expm1(-x) if p.form == "hazard" else x


def elasticity(p: Corrected, history: list) -> float:
    """How strongly the statistic follows the parameter, ``d log m / d log theta``,
    from the first and last points the corrections simulated at the final drift (the
    rounds after the search); 1 (proportional) where the parameter barely moved there.
    Bounded to 0.1..10."""
    if len(history) < 2 or p.form == "share":  # shares move together: taken as 1
        return 1.0
    (v0, r0), (v1, r1) = history[0], history[-1]
    dx = math.log(_scale(p, v1)) - math.log(_scale(p, v0))
    if abs(dx) < 0.05 or r0["value"] <= 0 or r1["value"] <= 0:
        return 1.0
    e = (math.log(r1["value"]) - math.log(r0["value"])) / dx
    return min(max(e, ELASTICITY_FLOOR), ELASTICITY_CEILING)


def corrected_estimate(p: Corrected, v: float, obs: pd.DataFrame, history: list,
                        at_drift: list) -> Estimate:
    """A corrected parameter's estimate: its interval is the observed statistic's
    (:func:`variance`), carried to the parameter by the delta method with the
    statistic's :func:`elasticity`."""
    o, se_o = stat(obs, p.moment, p.group)
    if not history:
        return Estimate(p.path, v, math.nan, math.nan, "base",
                        f"kept from the base scenario: the export shows no {p.text}")
    _, row = history[-1]
    e = elasticity(p, at_drift)
    rel = math.sqrt(float(variance(se_o, row["sd"], row["se"]))) / o / e
    capped = not (math.isfinite(rel) and rel < MAX_RELATIVE_ERROR)
    rel = MAX_RELATIVE_ERROR if capped else rel
    x = _scale(p, v)
    lo, hi = _unscale(p, x * math.exp(-Z95 * rel)), _unscale(p, x * math.exp(Z95 * rel))
    hi = min(hi, p.upper)
    why = identify.corrected(lo, hi, p.upper, p.form == "hazard", e, ELASTICITY_FLOOR,
                             capped)
    return Estimate(p.path, v, lo, hi, "corrected",
                    f"{p.text} {plain(o)} observed; scaled by simulation until the simulated "
                    f"export shows it ({plain(row['value'])}; elasticity {e:.2f})", why)

