"""Queue-theory checks: the pool as M/M/c, personal queues as M/M/1, pooling, Little's law.

The M/M/c configuration of docs/validation.md (``scenarios/validation_mmc.yaml``) at a
given size and load, its run length from the queue's relaxation time, and the checks of
its steady-state waits against Erlang C, M/M/1 and their difference; the queue monitor's
own consistency; and Little's law on waits measured from outside the model
(:mod:`sim.validation.trace`). Each check returns :class:`~sim.validation.checks.Check`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from sim.config.scenario import DAYS_PER_MONTH, Scenario, load_scenario
from sim.model.department import Department
from sim.study.experiment import compare, run
from sim.study.measures import mean_ci
from sim.validation.checks import ROOT, Check
from sim.validation.theory import erlang_c, mm1_mean_wait, mmc_mean_wait
from sim.validation.trace import traced_runs

__all__ = ["MMC_SCENARIO", "check_littles_law", "check_mm1_personal", "check_mmc",
           "check_pooling", "monitor_consistency", "queue_scenario", "run_length",
           "steady_waits"]

MMC_SCENARIO = ROOT / "scenarios" / "validation_mmc.yaml"


def queue_scenario(servers: int, utilisation: float, structure: str = "ticket_pool",
                   months: int = 12, replications: int = 10) -> Scenario:
    """The M/M/c configuration of docs/validation.md at a given size and load.

    Service takes one hour on average (mu = hours_per_day a day per server); arrivals
    are Poisson at ``utilisation x servers x mu`` a day. Under ``classic``, leads are
    routed at random, so each personal queue is M/M/1 at ``lambda / servers``."""
    base = load_scenario(MMC_SCENARIO)
    mu = base.workforce.hours_per_day / base.demand.lead_contact_hours
    return base.with_overrides({
        "workforce.managers": servers,
        "demand.inbound_leads_per_day": utilisation * servers * mu,
        "experiment.horizon_years": months / 12,
        "experiment.replications": replications,
        "structures.classic.inbound_routing": "random",
        "experiment.structure": structure,
    })


def run_length(servers: int, utilisation: float, mu_per_day: float) -> tuple[int, int]:
    """Months to skip (the empty start) and months to run, from the queue's relaxation
    time ``1 / (c mu (1 - sqrt(rho))^2)`` (Morse 1955): a queue near saturation forgets
    its start slowly, so it needs a longer warm-up and a longer run."""
    tau = 1.0 / (servers * mu_per_day * (1.0 - math.sqrt(utilisation)) ** 2)
    skip = max(2, math.ceil(5 * tau / DAYS_PER_MONTH))
    return skip, skip + max(12, math.ceil(40 * tau / DAYS_PER_MONTH))


def steady_waits(monthly: pd.DataFrame, skip_months: int) -> pd.DataFrame:
    """Per replication and structure: mean lead wait (working hours) and the share of
    leads that waited, over the months after ``skip_months`` (the empty start)."""
    m = monthly[monthly["month"] > skip_months]
    g = m.assign(total=m["lead_wait_hours_mean"].fillna(0) * m["lead_waits"]).groupby(
        ["structure", "replication"])
    out = pd.DataFrame({"wait_hours": g["total"].sum() / g["lead_waits"].sum(),
                        "p_wait": g["leads_waited"].sum() / g["lead_waits"].sum()})
    return out.reset_index()


def _lengths(servers: int, utilisation: float) -> tuple[int, int]:
    base = load_scenario(MMC_SCENARIO)
    return run_length(servers, utilisation,
                      base.workforce.hours_per_day / base.demand.lead_contact_hours)


def check_mmc(servers: int, utilisation: float, replications: int = 10, seed: int = 1,
              confidence: float = 0.99) -> list[Check]:
    """The pool as M/M/c against Erlang C: mean wait and probability of waiting."""
    skip_months, months = _lengths(servers, utilisation)
    sc = queue_scenario(servers, utilisation, "ticket_pool", months, replications)
    mu = sc.workforce.hours_per_day / sc.demand.lead_contact_hours
    lam = sc.demand.inbound_leads_per_day
    res = run(sc, seed=seed)
    w = steady_waits(res.monthly, skip_months)
    hours = sc.workforce.hours_per_day
    out = []
    mean, half, n = mean_ci(w["wait_hours"], confidence)
    theory = mmc_mean_wait(lam, mu, servers) * hours
    out.append(Check(f"M/M/{servers} at load {utilisation:g}: mean wait (h)", mean, half,
                     theory, theory, "Erlang C", n))
    mean, half, n = mean_ci(w["p_wait"], confidence)
    theory = erlang_c(servers, lam / mu)
    out.append(Check(f"M/M/{servers} at load {utilisation:g}: P(wait)", mean, half,
                     theory, theory, "Erlang C", n))
    return out


def check_mm1_personal(servers: int, utilisation: float, replications: int = 10,
                       seed: int = 1, confidence: float = 0.99) -> Check:
    """Classic managers' personal queues with random routing against M/M/1."""
    skip_months, months = _lengths(1, utilisation)
    sc = queue_scenario(servers, utilisation, "classic", months, replications)
    mu = sc.workforce.hours_per_day / sc.demand.lead_contact_hours
    lam = sc.demand.inbound_leads_per_day / servers
    w = steady_waits(run(sc, seed=seed).monthly, skip_months)
    mean, half, n = mean_ci(w["wait_hours"], confidence)
    theory = mm1_mean_wait(lam, mu) * sc.workforce.hours_per_day
    return Check(f"{servers} personal queues (M/M/1) at load {utilisation:g}: mean wait (h)",
                 mean, half, theory, theory, "M/M/1", n)


def check_pooling(servers: int, utilisation: float, replications: int = 10, seed: int = 1,
                  confidence: float = 0.99) -> Check:
    """At equal load, personal queues wait longer than one pool, by what theory says:
    paired difference of classic (random routing) minus ticket pool."""
    skip_months, months = _lengths(1, utilisation)
    sc = queue_scenario(servers, utilisation, "classic", months, replications)
    mu = sc.workforce.hours_per_day / sc.demand.lead_contact_hours
    lam = sc.demand.inbound_leads_per_day
    res = compare(sc, ["classic", "ticket_pool"], seed=seed)
    w = steady_waits(res.monthly, skip_months).pivot(index="replication", columns="structure",
                                                     values="wait_hours")
    mean, half, n = mean_ci(w["classic"] - w["ticket_pool"], confidence)
    hours = sc.workforce.hours_per_day
    theory = (mm1_mean_wait(lam / servers, mu) - mmc_mean_wait(lam, mu, servers)) * hours
    return Check(f"pooling gain, {servers} desks at load {utilisation:g}: wait difference (h)",
                 mean, half, theory, theory, "M/M/1 - M/M/c", n)


def monitor_consistency(dept: Department) -> list[dict[str, float]]:
    """For each queue of a finished run, the monitor's time-average length ``L`` and
    ``lambda x W`` from its own per-request times in the queue.

    This is a consistency check of the monitor, not Little's law: both sides are
    accumulated by the same monitor, so ``L - lambda W`` equals the time still-waiting
    requests have spent in the queue (``bound``) by construction, and ``W`` starts
    when a request joined this queue, not when it arrived. It fails only when the
    monitor misses a change. See :func:`check_littles_law` for the real law."""
    rows = []
    for q in dept.queue_stats():
        t = q["horizon_days"]
        length = q["area"] / t
        lam = q["departures"] / t
        w = q["time_in_queue"] / q["departures"] if q["departures"] else 0.0
        rows.append({"desk": q["desk"], "L": length, "lambda_W": lam * w,
                     "bound": q["pending_time"] / t, "entries": q["entries"]})
    return rows


def _littles_law_check(name: str, reps: list[dict], confidence: float = 0.999) -> Check:
    """Sampled ``L`` against ``lambda W``: given the run, the samples are independent
    draws of the number waiting at a uniform random moment, so their mean estimates the
    time-average with the standard error of a mean; the identity ``L = lambda W`` of a
    sample path leaves only that error. Requires no abandonment (patience never ends)."""
    if any(r["leads_lost"] for r in reps):
        raise ValueError("Little's-law check needs runs without abandonment")
    n = len(reps)
    sampled = np.mean([r["L"] for r in reps])
    little = np.mean([r["lambda"] * r["W"] for r in reps])
    se = math.sqrt(sum(r["L_se"] ** 2 for r in reps)) / n
    z = stats.norm.ppf(0.5 + confidence / 2)
    return Check(name, sampled, z * se, little, little,
                 "Little's law: lambda x mean(started - arrived)", n)


def check_littles_law(servers: int, utilisation: float, structure: str = "ticket_pool",
                      replications: int = 2, seed: int = 1, months: int = 12) -> Check:
    """Little's law on waiting for service: the time-average number of requests in the
    queues (sampled at random moments, not read from the monitor) against the arrival
    rate times the mean time from arrival to the start of service."""
    sc = queue_scenario(servers, utilisation, structure, months)
    reps = traced_runs(sc, structure, replications, seed)
    return _littles_law_check(
        f"Little's law, {structure} with {servers} desks at load {utilisation:g}: "
        "requests waiting", reps)
