"""Validation: the model against queueing theory, its own formulas and published figures.

Each check runs replications and returns the measured mean with its confidence
interval next to the target, so a test can assert agreement within the interval and
``python -m sim.validation`` can print the table kept in docs/validation.md.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize

from .department import Department
from .experiment import compare, mean_ci, run
from .scenario import DAYS_PER_MONTH, Scenario, load_scenario
from .streams import Streams
from .structures import adbudg, make_structure
from .theory import erlang_c, mm1_mean_wait, mmc_mean_wait

ROOT = Path(__file__).resolve().parent.parent
MMC_SCENARIO = ROOT / "scenarios" / "validation_mmc.yaml"


@dataclass
class Check:
    """One measured quantity against its target."""

    name: str
    measured: float
    half_width: float
    target_low: float
    target_high: float
    source: str
    replications: int

    @property
    def agrees(self) -> bool:
        """A theory value (low == high) must lie in the interval; a published range
        must contain the measured mean."""
        if self.target_low == self.target_high:
            return abs(self.measured - self.target_low) <= self.half_width
        return self.target_low <= self.measured <= self.target_high

    def row(self) -> dict:
        target = (f"{self.target_low:.4g}" if self.target_low == self.target_high
                  else f"{self.target_low:.4g} to {self.target_high:.4g}")
        return {"check": self.name, "target": target, "source": self.source,
                "measured": f"{self.measured:.4g} +- {self.half_width:.2g}",
                "replications": self.replications, "agrees": self.agrees}


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


def littles_law(dept: Department) -> list[dict[str, float]]:
    """For each queue of a finished run: time-average number waiting L against
    lambda x W, and the largest gap the finite horizon allows (requests still waiting
    at the end have spent ``pending_time`` in the queue but are not yet counted in W).
    """
    rows = []
    for q in dept.queue_stats():
        t = q["horizon_days"]
        length = q["area"] / t
        lam = q["departures"] / t
        w = q["time_in_queue"] / q["departures"] if q["departures"] else 0.0
        rows.append({"desk": q["desk"], "L": length, "lambda_W": lam * w,
                     "bound": q["pending_time"] / t, "entries": q["entries"]})
    return rows


# ------------------------------------------------------------ published ranges
def ramp_up_months(managers: pd.DataFrame, full: float) -> pd.Series:
    """Months of tenure until each new hire's skill first reaches ``full``."""
    hires = managers.groupby(["replication", "structure", "manager_id"])
    first_tenure = hires["tenure_months"].min()
    new = first_tenure[first_tenure <= 1.0].index
    reached = managers[managers["skill"] >= full].groupby(
        ["replication", "structure", "manager_id"])["tenure_months"].min()
    return reached.reindex(new).dropna()


def published_ranges(replications: int = 30, seed: int = 20261127,
                     scenario: Scenario | None = None) -> list[Check]:
    """The default classic department against the published ranges MODEL.md cites."""
    sc = (scenario or load_scenario(ROOT / "scenarios" / "default.yaml")).with_overrides(
        {"experiment.initial_state": "fresh", "experiment.replications": replications})
    res = run(sc, "classic", seed=seed)
    checks = []
    full = sc.skill.full_productivity * sc.skill.s_max
    ramp = ramp_up_months(res.managers, full)
    per_rep = ramp.groupby(level="replication").median()
    mean, half, n = mean_ci(per_rep)
    checks.append(Check("median months to full productivity", mean, half, 3, 6,
                        "Sales Benchmark Index (736 new hires)", n))
    mean, half, n = mean_ci(res.runs["turnover_annual"])
    checks.append(Check("annual manager turnover", mean, half, 0.15, 0.28,
                        "MODEL.md: published figures 15-28 %", n))
    losses = []
    for r in range(replications):
        dept = Department(sc, make_structure("classic", sc), Streams(seed, r))
        dept.run()
        if dept.departure_losses:  # the replication's loss, weighted by affected sales
            losses.append(np.average([d["loss"] for d in dept.departure_losses],
                                     weights=[d["expected_affected"]
                                              for d in dept.departure_losses]))
    mean, half, n = mean_ci(losses)
    checks.append(Check("loss of the affected clients' annual sales at a departure", mean,
                        half, 0.13, 0.18, "Shi, Sridhar, Grewal and Lilien (JM 2017)", n))
    early, late = [], []
    m = res.managers.assign(free=res.managers["hours_active"] + res.managers["hours_idle"])
    for _, d in m.groupby("replication"):
        def share(lo, hi, d=d):
            w = d[(d["tenure_months"] > lo) & (d["tenure_months"] <= hi)]
            return w["hours_active"].sum() / w["free"].sum()
        early.append(share(3, 6))
        late.append(share(24, 36))
    mean, half, n = mean_ci(np.array(early) - np.array(late))
    checks.append(Check("active share at 3-6 minus 24-36 months of tenure", mean, half,
                        0.0 + 1e-9, 1.0, "falls with tenure: DeCarlo and Lam (2016)", n))
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
    stats = m.groupby("t")["skill"].agg(["mean", "std", "count"]).reset_index()
    return stats[stats["count"] >= 5]


def fit_power_law(t: np.ndarray, gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    def f(t, a, b, c):
        return a * (1 + t / b) ** (-c)

    params, _ = optimize.curve_fit(f, t, gap, p0=(gap[0], 1.0, 2.0), maxfev=20_000,
                                   bounds=([0, 1e-3, 1e-3], [10, 1e3, 100]))
    return params, f(t, *params)


def marketing_leads(budgets: list[float], months: int = 12, seed: int = 5,
                    q: float = 0.0, replications: int = 1) -> list[dict[str, float]]:
    """Leads bought at each budget against the ADBUDG curve (Poisson counts), and word
    of mouth against the Bass imitation term summed over the run's days."""
    base = Scenario().with_overrides({
        "experiment.initial_state": "fresh", "experiment.horizon_years": months / 12,
        "market.n_accounts": 50_000, "demand.inbound_leads_per_day": 0.0,
        "demand.referral_rate": 0.0, "workforce.managers": 3,
        "structures.automated_marketing.word_of_mouth_q": q})
    rows = []
    for budget in budgets:
        sc = base.with_overrides({"structures.automated_marketing.budget_monthly": budget})
        res = run(sc, "automated_marketing", replications=replications, seed=seed, workers=1)
        rows.append({
            "budget": budget,
            "paid_leads": res.monthly["leads_marketing_paid"].sum() / replications,
            "adbudg_expected": adbudg(budget, sc.structures.automated_marketing)
            * sc.experiment.months,
            "word_of_mouth": res.monthly["leads_word_of_mouth"].sum() / replications,
            "bass_expected": res.monthly["leads_word_of_mouth_expected"].sum() / replications,
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the validation table: ``python -m sim.validation [--replications N]``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--replications", type=int, default=30)
    args = parser.parse_args(argv)
    checks = []
    for c, rho in [(1, 0.5), (1, 0.8), (5, 0.8), (20, 0.95)]:
        checks += check_mmc(c, rho, replications=args.replications)
    checks.append(check_mm1_personal(5, 0.8, replications=args.replications))
    checks.append(check_pooling(5, 0.8, replications=args.replications))
    checks += published_ranges(args.replications)
    for c in checks:
        r = c.row()
        print(f"| {r['check']} | {r['target']} | {r['source']} | {r['measured']} | "
              f"{r['replications']} | {'yes' if r['agrees'] else 'NO'} |")
    return 0 if all(c.agrees for c in checks) else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


__all__ = ["Check", "check_mm1_personal", "check_mmc", "check_pooling", "cohort_learning",
           "fit_power_law", "littles_law", "marketing_leads", "published_ranges",
           "ramp_up_months"]
