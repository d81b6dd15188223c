"""The model against published figures and its own mechanisms' formulas.

Published ranges: the default classic department's ramp-up, turnover, loss at a
departure and active share by tenure against the figures MODEL.md cites (three a
parameter was calibrated to, one nothing was tuned to), and turnover under every
structure of the default comparison. Mechanism checks: the learning curve of new hires
against a power law, and marketing leads against ADBUDG and Bass's imitation term.
:data:`RANGE_WIDENING` is how far beyond a published range the full-size tests accept.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize

from sim.config.scenario import DAYS_PER_MONTH, DAYS_PER_YEAR, Scenario, load_scenario
from sim.model.department import Department
from sim.model.streams import Streams
from sim.model.structures import adbudg, make_structure
from sim.study.executors import execute, open_executor
from sim.study.experiment import compare, run
from sim.study.measures import mean_ci, run_measures
from sim.validation.checks import ROOT, Check

__all__ = ["RANGE_WIDENING", "bass_expected", "cohort_learning", "fit_power_law",
           "marketing_leads", "published_ranges", "ramp_up_months", "turnover_by_structure"]

#: How far beyond each end of a published range the full-size tests accept the
#: interval, as a share of the range's width (docs/validation.md says why).
RANGE_WIDENING = 0.25


# ------------------------------------------------------------ published ranges
def ramp_up_months(managers: pd.DataFrame, full: float) -> pd.Series:
    """Months of tenure until each new hire's skill first reaches ``full``."""
    hires = managers.groupby(["replication", "structure", "manager_id"])
    first_tenure = hires["tenure_months"].min()
    new = first_tenure[first_tenure <= 1.0].index
    reached = managers[managers["skill"] >= full].groupby(
        ["replication", "structure", "manager_id"])["tenure_months"].min()
    return reached.reindex(new).dropna()


def _published_replication(task: tuple[Scenario, int, int]) -> tuple:
    """One classic replication: its frames and the departure losses it measured."""
    sc, seed, r = task
    dept = Department(sc, make_structure("classic", sc), Streams(seed, r))
    monthly, managers = dept.run()
    for df in (monthly, managers):
        df.insert(0, "structure", "classic")
        df.insert(0, "replication", r)
    return monthly, managers, list(dept.departure_losses)


def _widened(low: float, high: float) -> dict[str, float]:
    margin = RANGE_WIDENING * (high - low)
    return {"allowed_low": low - margin, "allowed_high": high + margin}


def published_ranges(replications: int = 30, seed: int = 20261127,
                     scenario: Scenario | None = None) -> list[Check]:
    """The default classic department (fresh) against the published figures MODEL.md
    cites: three a parameter was calibrated to, one nothing was tuned to."""
    sc = (scenario or load_scenario(ROOT / "scenarios" / "default.yaml")).with_overrides(
        {"experiment.initial_state": "fresh", "experiment.replications": replications})
    out: dict[int, tuple] = {}

    def failed(r: int, exc: BaseException) -> None:
        raise exc

    with open_executor("processes") as pool:
        execute(_published_replication, {r: (sc, seed, r) for r in range(replications)},
                pool, out.__setitem__, failed)
    monthly = pd.concat([out[r][0] for r in range(replications)], ignore_index=True)
    managers = pd.concat([out[r][1] for r in range(replications)], ignore_index=True)
    checks = []
    full = sc.skill.full_productivity * sc.skill.s_max
    ramp = ramp_up_months(managers, full)
    mean, half, n = mean_ci(ramp.groupby(level="replication").median())
    checks.append(Check("median months to full productivity", mean, half, 3, 6,
                        "Sales Benchmark Index (736 new hires); tau_hours chosen for it",
                        n, "calibrated", **_widened(3, 6)))
    mean, half, n = mean_ci(run_measures(monthly, managers)["turnover_annual"])
    checks.append(Check("annual manager turnover", mean, half, 0.15, 0.28,
                        "published figures quoted in MODEL.md; quit_rate_annual chosen for it",
                        n, "calibrated", **_widened(0.15, 0.28)))
    losses = []
    for r in range(replications):
        records = out[r][2]
        if records:  # the replication's loss, weighted by the affected clients' sales
            losses.append(np.average([d["loss"] for d in records],
                                     weights=[d["expected_affected"] for d in records]))
    mean, half, n = mean_ci(losses)
    checks.append(Check("loss of the affected clients' annual sales at a departure", mean,
                        half, 0.13, 0.18,
                        "Shi, Sridhar, Grewal and Lilien (JM 2017); follow_rate chosen for it",
                        n, "calibrated", **_widened(0.13, 0.18)))
    early, late = [], []
    m = managers.assign(free=managers["hours_active"] + managers["hours_idle"])
    for _, d in m.groupby("replication"):
        def share(lo, hi, d=d):
            w = d[(d["tenure_months"] > lo) & (d["tenure_months"] <= hi)]
            return w["hours_active"].sum() / w["free"].sum()
        early.append(share(3, 6))
        late.append(share(24, 36))
    mean, half, n = mean_ci(np.array(early) - np.array(late))
    checks.append(Check("active share at 3-6 minus 24-36 months of tenure", mean, half,
                        0.0, math.inf, "falls with tenure: DeCarlo and Lam (2016)", n,
                        "validated"))
    return checks


def turnover_by_structure(replications: int = 30, seed: int = 20261127,
                          scenario: Scenario | None = None) -> list[Check]:
    """Annual turnover under every structure of the default comparison (a mature
    department after the switch) against the published 15-28 %. Only classic's base
    quit rate was chosen for the range; under the others turnover follows from their pay
    against the market and the loss of income at the switch, so their rows are
    validation, and a miss is reported, not tuned away."""
    sc = scenario or load_scenario(ROOT / "scenarios" / "default.yaml")
    res = compare(sc, replications=replications, seed=seed)
    checks = []
    for structure, runs in res.runs.groupby("structure", sort=False):
        mean, half, n = mean_ci(runs["turnover_annual"])
        basis = "calibrated" if structure == res.baseline else "validated"
        checks.append(Check(f"annual turnover under {structure}", mean, half, 0.15, 0.28,
                            "published figures quoted in MODEL.md", n, basis,
                            **_widened(0.15, 0.28)))
    return checks


# ------------------------------------------------------------ learning, marketing
def cohort_learning(managers: pd.DataFrame) -> pd.DataFrame:
    """Mean skill gap ``(s_max - s)`` of new hires by tenure month, with a power-law fit
    ``a x (1 + t / b) ^ -c`` (the form an average of exponentials takes; Heathcote,
    Brown and Mewhort 2000)."""
    # Hires who started at a month's start, so that each tenure month is a whole month.
    hires = managers.groupby(["replication", "manager_id"])["tenure_months"].transform("min")
    m = managers[np.isclose(hires, 1.0)].assign(t=np.ceil(managers["tenure_months"] - 1e-9))
    m = m[m["left"] == False]  # noqa: E712 - full months only
    stats_ = m.groupby("t")["skill"].agg(["mean", "std", "count"]).reset_index()
    return stats_[stats_["count"] >= 5]


def fit_power_law(t: np.ndarray, gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    def f(t, a, b, c):
        return a * (1 + t / b) ** (-c)

    params, _ = optimize.curve_fit(f, t, gap, p0=(gap[0], 1.0, 2.0), maxfev=20_000,
                                   bounds=([0, 1e-3, 1e-3], [10, 1e3, 100]))
    return params, f(t, *params)


def bass_expected(monthly: pd.DataFrame, accounts: int, q: float) -> tuple[float, float, float]:
    """Word-of-mouth leads a fresh run should have drawn, from its monthly levels alone.

    Bass's imitation term: each available prospect becomes a lead at ``q x F`` a year,
    ``F`` = active clients / accounts. The rate is computed at every month's end (and at
    the start: no clients, every account a prospect) and summed over the month's days
    at both ends' rates: the smaller gives the low bound, the larger the high one
    (exact while the rate moves one way within a month, as in a growing base). The low
    bound also leaves out the month's leads, which may still be engaged (a prospect
    in nurturing is not available). Returns (low, midpoint, high)."""
    clients = np.r_[0.0, monthly["active_clients"].to_numpy(float)]
    prospects = np.r_[float(accounts), monthly["prospects"].to_numpy(float)]
    leads = (monthly["leads_marketing_paid"] + monthly["leads_word_of_mouth"]).to_numpy(float)
    per_month = q / DAYS_PER_YEAR * DAYS_PER_MONTH / accounts
    rate = per_month * clients * prospects
    low = per_month * np.minimum(clients[:-1] * np.maximum(prospects[:-1] - leads, 0),
                                 clients[1:] * np.maximum(prospects[1:] - leads, 0))
    high = np.maximum(rate[:-1], rate[1:])
    return float(low.sum()), float((rate[:-1] + rate[1:]).sum() / 2), float(high.sum())


def marketing_leads(budgets: list[float], months: int = 12, seed: int = 5,
                    q: float = 0.0) -> list[dict[str, float]]:
    """Leads bought at each budget against the ADBUDG curve (Poisson counts), and word
    of mouth against Bass's imitation term computed from the run's monthly levels
    (:func:`bass_expected`), not from the rate the model recorded."""
    accounts = 50_000
    base = Scenario().with_overrides({
        "experiment.initial_state": "fresh", "experiment.horizon_years": months / 12,
        "market.n_accounts": accounts, "demand.inbound_leads_per_day": 0.0,
        "demand.referral_rate": 0.0, "workforce.managers": 3,
        "structures.automated_marketing.word_of_mouth_q": q})
    rows = []
    for budget in budgets:
        sc = base.with_overrides({"structures.automated_marketing.budget_monthly": budget})
        monthly = run(sc, "automated_marketing", replications=1, seed=seed, workers=1).monthly
        low, mid, high = bass_expected(monthly, accounts, q)
        rows.append({
            "budget": budget,
            "paid_leads": monthly["leads_marketing_paid"].sum(),
            "adbudg_expected": adbudg(budget, sc.structures.automated_marketing)
            * sc.experiment.months,
            "word_of_mouth": monthly["leads_word_of_mouth"].sum(),
            "bass_low": low, "bass_expected": mid, "bass_high": high,
        })
    return rows
