"""Validation: the model against queueing theory, its own formulas and published figures.

Each check runs replications and returns the measured mean with its confidence
interval next to the target, so a test can assert agreement within the interval and
``python -m sim.validation.checks`` can print the tables kept in docs/validation.md.

A published figure is either one a parameter was **calibrated** to (the check then
only confirms the calibration still holds) or one nothing was tuned to (**validated**);
each check says which.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats

from sim.config.scenario import DAYS_PER_MONTH, DAYS_PER_YEAR, Scenario, load_scenario
from sim.model.department import Department
from sim.model.streams import Streams
from sim.model.structures import adbudg, make_structure
from sim.study.executors import default_workers, execute, open_executor
from sim.study.experiment import compare, run
from sim.study.measures import mean_ci, run_measures
from sim.validation.theory import erlang_c, mm1_mean_wait, mmc_mean_wait

ROOT = Path(__file__).resolve().parents[2]
MMC_SCENARIO = ROOT / "scenarios" / "validation_mmc.yaml"

#: How far beyond each end of a published range the full-size tests accept the
#: interval, as a share of the range's width (docs/validation.md says why).
RANGE_WIDENING = 0.25


@dataclass
class Check:
    """One measured quantity against its target.

    A theory value (``target_low == target_high``) must lie in the interval. A range
    must contain the whole interval, widened to ``allowed_low``/``allowed_high`` where
    given; ``target_high = inf`` states a direction (the interval above ``target_low``).
    ``basis`` is ``theory``, ``calibrated`` (a parameter was chosen to hit the target)
    or ``validated`` (nothing was tuned to it)."""

    name: str
    measured: float
    half_width: float
    target_low: float
    target_high: float
    source: str
    replications: int
    basis: str = "theory"
    allowed_low: float | None = None
    allowed_high: float | None = None

    @property
    def agrees(self) -> bool:
        if self.target_low == self.target_high:
            return bool(abs(self.measured - self.target_low) <= self.half_width)
        low = self.target_low if self.allowed_low is None else self.allowed_low
        high = self.target_high if self.allowed_high is None else self.allowed_high
        return bool(low <= self.measured - self.half_width
                    and self.measured + self.half_width <= high)

    @property
    def above_zero(self) -> bool:
        """The whole interval lies above zero (a direction)."""
        return bool(self.measured - self.half_width > 0)

    def row(self) -> dict:
        if self.target_low == self.target_high:
            target = f"{self.target_low:.4g}"
        elif math.isinf(self.target_high):
            target = f"above {self.target_low:.4g}"
        else:
            target = f"{self.target_low:.4g} to {self.target_high:.4g}"
        if self.allowed_low is not None or self.allowed_high is not None:
            target += (f" (test: {self.allowed_low:.4g} to {self.allowed_high:.4g})")
        return {"check": self.name,
                "measured": f"{self.measured:.4g} +- {self.half_width:.2g}",
                "target": target, "agrees": self.agrees, "replications": self.replications,
                "source": self.source, "basis": self.basis}


# ------------------------------------------------------------------ queues
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


# ------------------------------------------- requests followed from outside
class RequestTrace:
    """Follows one department's requests from outside the model, for validation.

    Every request put into a queue is kept with its arrival time (each queue's ``put``
    is wrapped); ``Request.started`` says when its service first began. At random
    moments (a Poisson process of ``samples_per_day``, from a generator of its own)
    it counts the requests waiting in the queues and the desks that have a person.
    Nothing here reads the queue monitor, and the sampling moments fall between the
    model's events, so the run is the same as without the trace. Meant for fresh runs:
    requests carried over from a warm-up are queued before the trace begins."""

    def __init__(self, dept: Department, samples_per_day: float, seed: tuple[int, ...]):
        self.dept = dept
        self.requests: list = []  # kept alive, so ids stay unique
        self._seen: set[int] = set()
        self.queues = list({id(d.queue): d.queue for d in dept.desks}.values())
        for q in self.queues:
            q.put = self._recording(q.put)
        rng = np.random.default_rng(list(seed))
        horizon = dept.days
        self.times = np.sort(rng.uniform(0.0, horizon, rng.poisson(samples_per_day * horizon)))
        self.waiting = np.zeros(len(self.times), dtype=int)
        self.staffed = np.zeros(len(self.times), dtype=int)
        dept.env.process(self._sample())

    def _recording(self, put):
        def recorded_put(req, arriving=False):
            if id(req) not in self._seen:
                self._seen.add(id(req))
                self.requests.append(req)
            put(req, arriving)

        return recorded_put

    def _sample(self):
        env = self.dept.env
        for i, t in enumerate(self.times):
            yield env.timeout(t - env.now)
            self.waiting[i] = sum(len(q.requests()) for q in self.queues)
            self.staffed[i] = sum(d.person is not None for d in self.dept.desks)

    def summary(self, monthly: pd.DataFrame) -> dict:
        """Per-request waits and the two sides of Little's law for a finished run.

        ``W`` is each request's time from arrival to the start of its service, cut at
        the horizon for requests not started by then (fresh runs start empty, so
        nothing is cut at time 0); ``lambda`` counts every request put in a queue."""
        horizon = float(self.dept.days)
        arrived = np.array([r.arrived for r in self.requests], dtype=float)
        started = np.array([np.nan if r.started is None else r.started
                            for r in self.requests], dtype=float)
        left = np.where(np.isnan(started), horizon, np.minimum(started, horizon))
        in_line = np.clip(left - np.maximum(arrived, 0.0), 0.0, None)
        n = len(self.waiting)
        return {
            "horizon": horizon, "arrivals": len(arrived),
            "leads_received": float(monthly["leads_received"].sum()),
            "leads_lost": float(monthly["leads_lost"].sum()),
            "quits": float(monthly["quits"].sum()),
            "waits_hours": (started - arrived)[~np.isnan(started)] * self.dept.hours,
            "L": float(self.waiting.mean()) if n else float("nan"),
            "L_se": float(self.waiting.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan"),
            "lambda": len(arrived) / horizon,
            "W": float(in_line.mean()) if len(in_line) else 0.0,
            "staffed_shares": np.bincount(self.staffed, minlength=len(self.dept.desks) + 1) / n,
        }


def _traced_replication(task: tuple[Scenario, str, int, int, float]) -> dict:
    sc, structure, seed, r, samples_per_day = task
    dept = Department(sc, make_structure(structure, sc), Streams(seed, r))
    trace = RequestTrace(dept, samples_per_day, (seed, r, 7))
    monthly, _ = dept.run()
    return trace.summary(monthly)


def traced_runs(sc: Scenario, structure: str, replications: int, seed: int,
                samples_per_day: float = 20.0) -> list[dict]:
    """:meth:`RequestTrace.summary` of each replication, in replication order."""
    out: dict[int, dict] = {}

    def failed(r: int, exc: BaseException) -> None:
        raise exc

    with open_executor("processes", min(replications, default_workers())) as pool:
        execute(_traced_replication,
                {r: (sc, structure, seed, r, samples_per_day) for r in range(replications)},
                pool, out.__setitem__, failed)
    return [out[r] for r in range(replications)]


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


def _print(title: str, checks: list[Check]) -> None:
    print(f"\n{title}\n")
    print("| check | target | source | measured | replications | agrees |")
    print("|---|---|---|---|---|---|")
    for c in checks:
        r = c.row()
        print(f"| {r['check']} | {r['target']} | {r['source']} | {r['measured']} | "
              f"{r['replications']} | {'yes' if r['agrees'] else 'NO'} |")


def main(argv: list[str] | None = None) -> int:
    """Print the validation tables: ``python -m sim.validation.checks [--replications N]
    [--published-replications M]``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--published-replications", type=int, default=100)
    args = parser.parse_args(argv)
    theory = []
    for c, rho in [(1, 0.5), (1, 0.8), (5, 0.8), (20, 0.95)]:
        theory += check_mmc(c, rho, replications=args.replications)
    theory.append(check_mm1_personal(5, 0.8, replications=args.replications))
    theory.append(check_pooling(5, 0.8, replications=args.replications))
    theory.append(check_littles_law(10, 0.8))
    theory.append(check_littles_law(5, 0.8, "classic"))
    theory += check_mmc_turnover(replications=args.replications)
    theory.append(check_patience_turnover(replications=args.replications))
    published = published_ranges(args.published_replications)
    by_structure = turnover_by_structure(args.replications)
    _print("Theory", theory)
    _print("Calibrated to", [c for c in published if c.basis == "calibrated"])
    _print("Validated against", [c for c in published if c.basis == "validated"])
    _print("Turnover under each structure (a mature department after the switch)",
           by_structure)
    return 0 if all(c.agrees for c in theory + published) else 1




__all__ = ["RANGE_WIDENING", "Check", "RequestTrace", "bass_expected", "check_littles_law",
           "check_mm1_personal", "check_mmc", "check_mmc_turnover", "check_patience_turnover",
           "check_pooling", "cohort_learning", "fit_power_law", "marketing_leads",
           "monitor_consistency", "published_ranges", "ramp_up_months", "traced_runs",
           "turnover_by_structure", "turnover_scenario"]
