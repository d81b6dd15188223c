"""Queue-theory checks while people quit and seats stay vacant for weeks.

While ``k`` desks are staffed the pool is an M/M/k queue, so P(wait), the mean wait and
the tail of the waits are Erlang C values mixed over the share of time each ``k`` was
staffed, sampled by a :class:`~sim.validation.trace.RequestTrace`. Holds the scenario
(:func:`turnover_scenario`, the M/M/c pool of :mod:`sim.validation.queues` with a quit
rate), the mixtures, and the checks of waits, Little's law and abandonment against them.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from sim.config.scenario import Scenario
from sim.study.measures import mean_ci
from sim.validation.checks import Check
from sim.validation.queues import _littles_law_check, queue_scenario
from sim.validation.theory import erlang_c, mmc_mean_wait
from sim.validation.trace import traced_runs

__all__ = ["check_mmc_turnover", "check_patience_turnover", "turnover_scenario"]


def turnover_scenario(servers: int, utilisation: float, quit_rate: float,
                      patience_days: float = 1.0e9, months: int = 12) -> Scenario:
    """The M/M/c pool with people quitting at ``quit_rate`` a year, each seat vacant
    ``vacancy_days`` (42 working days) before its successor arrives. The quit hazard is
    the same for everyone (no income-shortfall term, no labour-market response to pay),
    so a seat is staffed a share ``E[stay] / (E[stay] + vacancy)`` of the time."""
    return queue_scenario(servers, utilisation, "ticket_pool", months).with_overrides({
        "workforce.quit_rate_annual": quit_rate,
        "workforce.quit_income_weight": 0.0,
        "labour.quit_pay_elasticity": 0.0,
        "labour.applications_elasticity": 0.0,
        "demand.lead_patience_days": patience_days,
    })


# ------------------------------------------------------------ with turnover
def _erlang_mixture(shares: np.ndarray, offered_load: float, each) -> float:
    """``sum_k share_k x each(k)`` over the numbers ``k`` of staffed desks; ``nan`` if
    some time was spent with no more desks than the offered load (no steady state)."""
    total = 0.0
    for k, share in enumerate(shares):
        if share == 0:
            continue
        if k <= offered_load:
            return float("nan")
        total += share * each(k)
    return total


def _long_wait_rate(shares: np.ndarray, lam: float, mu: float, x: float) -> float:
    """Share of arrivals that wait longer than ``x`` days, for the desks present:
    ``P(W > x) = C(k, a) exp(-(k mu - lambda) x)`` for M/M/k, and 1 (as an upper
    bound) while no more desks than the offered load are staffed."""
    a = lam / mu
    total = 0.0
    for k, share in enumerate(shares):
        if share == 0:
            continue
        total += share * (1.0 if k <= a else erlang_c(k, a) * math.exp(-(k * mu - lam) * x))
    return total


def check_mmc_turnover(servers: int = 10, utilisation: float = 0.3, quit_rate: float = 0.6,
                       replications: int = 8, seed: int = 1, months: int = 12,
                       confidence: float = 0.99, runs: list[dict] | None = None) -> list[Check]:
    """The pool as M/M/c while people quit and seats stay vacant for weeks.

    Vacancies last far longer than the queue takes to settle (hours), so while ``k``
    desks are staffed the pool is an M/M/k queue: P(wait) and the mean wait are the
    Erlang C values mixed over the share of time each ``k`` was staffed (sampled in the
    run; arrivals are Poisson, so they see the time shares). Each replication's measure
    minus its own mixture is a paired difference; its interval must contain 0. Also:
    Little's law on the same runs, and the longest wait against the wait ``x`` that,
    by the same mixture, fewer than 0.001 of the runs' requests would exceed.
    ``runs``: the :func:`traced_runs` of :func:`turnover_scenario` with these
    arguments, if already made."""
    sc = turnover_scenario(servers, utilisation, quit_rate, months=months)
    mu = sc.workforce.hours_per_day / sc.demand.lead_contact_hours
    lam = sc.demand.inbound_leads_per_day
    a = lam / mu
    hours = sc.workforce.hours_per_day
    reps = runs if runs is not None else traced_runs(sc, "ticket_pool", replications, seed)
    label = f"M/M/{servers} at load {utilisation:g}, {quit_rate:.0%} quitting a year"
    source = "Erlang C mixed over the desks staffed"
    p = np.array([np.mean(r["waits_hours"] > 0) for r in reps])
    w = np.array([np.mean(r["waits_hours"]) for r in reps])
    p_theory = np.array([_erlang_mixture(r["staffed_shares"], a,
                                         lambda k: erlang_c(k, a)) for r in reps])
    w_theory = np.array([_erlang_mixture(r["staffed_shares"], a,
                                         lambda k: mmc_mean_wait(lam, mu, k) * hours)
                         for r in reps])
    out = []
    for what, measured, theory in (("P(wait)", p, p_theory), ("mean wait (h)", w, w_theory)):
        _, half, n = mean_ci(measured - theory, confidence)
        out.append(Check(f"{label}: {what}", float(measured.mean()), half,
                         float(theory.mean()), float(theory.mean()), source, n))
    out.append(_littles_law_check(f"Little's law, {label}: requests waiting", reps))

    def beyond(x: float) -> float:  # expected number of requests waiting longer than x days
        return sum(r["arrivals"] * _long_wait_rate(r["staffed_shares"], lam, mu, x)
                   for r in reps)

    x = (optimize.brentq(lambda x: beyond(x) - 0.001, 0.0, 1e4) if beyond(1e4) < 0.001
         else math.inf)  # no bound while no more desks than the load were staffed
    longest = max(float(np.max(r["waits_hours"], initial=0.0)) for r in reps)
    out.append(Check(f"{label}: longest wait (h)", longest, 0.0, 0.0, x * hours,
                     "Erlang C tail: exceeded with chance 0.001", len(reps)))
    return out


def check_patience_turnover(servers: int = 10, utilisation: float = 0.3,
                            quit_rate: float = 0.6, patience_days: float = 5.0,
                            replications: int = 8, seed: int = 1, months: int = 12) -> Check:
    """At low load with people quitting, no request should wait past its patience: the
    leads abandoned, against the 99.9 % Poisson quantile of the count the Erlang C tail
    gives for the desks staffed (an upper bound: a lead that gives up costs the
    others nothing)."""
    sc = turnover_scenario(servers, utilisation, quit_rate, patience_days, months)
    mu = sc.workforce.hours_per_day / sc.demand.lead_contact_hours
    lam = sc.demand.inbound_leads_per_day
    reps = traced_runs(sc, "ticket_pool", replications, seed)
    expected = sum(r["arrivals"] * _long_wait_rate(r["staffed_shares"], lam, mu, patience_days)
                   for r in reps)
    lost = sum(r["leads_lost"] for r in reps)
    return Check(f"M/M/{servers} at load {utilisation:g}, {quit_rate:.0%} quitting a year, "
                 f"patience {patience_days:g} days: leads abandoned", lost, 0.0, 0.0,
                 float(stats.poisson.ppf(0.999, expected)),
                 "Erlang C tail, 99.9 % Poisson quantile", len(reps))
