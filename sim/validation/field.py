"""Field results on incentives and monitoring, reproduced as paired runs of the default
scenario (common random numbers, one warm-up per replication, both arms from it).

Each result is the design of a published field study put into the model, measured as
the paired difference with its 95 % interval; nothing here is tuned to the papers'
figures, and docs/validation.md keeps the table with every miss stated.

- Lazear (AER 2000), Safelite: hourly wage to piece rate, output per worker +44 %,
  about half from who joins and stays. Here: the warm-up pays a flat salary of 8,500;
  at the switch one arm keeps it, the other pays 2,500 + 3 % commission.
- Friebel, Heinz, Krueger and Zubanov (AER 2017): a team bonus in shops of about 7
  raised sales by about 3 %. Here: a ticket pool of 7 with and without a team bonus of
  0.08 % of revenue, a bonus of about 3 % of pay as in the study (markets and inbound
  scaled to 7 of the default 15; the default 1 % rate would be about 40 % of pay).
- Sandvik, Saouma, Seegert and Stanton (Management Science 2021): an 18 % commission
  cut raised turnover mainly among the most productive. Here: classic against a
  hybrid ``cut`` (classic at commission 0.0246) from the switch; the mean annual quit
  hazard over the first six months of the people present at the switch, by third of
  their income then.
- Pierce, Snow and McAfee (Management Science 2015): monitoring raised revenue by about
  7 %. Here: classic at process_norm's monitoring (0.8) against its own (0.1).

``python -m sim.validation.field [REPLICATIONS]`` prints the table (default 6).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario, load_scenario
from sim.config.settings import DAYS_PER_MONTH
from sim.model.department import Department
from sim.model.streams import Streams
from sim.model.structures import make_structure
from sim.study.measures import mean_ci
from sim.study.replication import run_replication, warm_up
from sim.validation.checks import ROOT

SEED = 2025
COMMAND = "python -m sim.validation.field"


@dataclass(frozen=True)
class FieldRow:
    """One paired figure against a paper's."""

    paper: str
    theirs: str
    measure: str
    mean: float
    half: float
    unit: str = "%"

    def row(self) -> str:
        if self.unit == "%":
            value = f"{self.mean * 100:+.1f} % (+-{self.half * 100:.1f})"
        else:
            value = f"{self.mean:+.3f} (+-{self.half:.3f})"
        return f"| {self.paper} | {self.theirs} | {self.measure}: {value} | `{COMMAND}` |"


def _default() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "default.yaml").with_overrides(
        {"experiment.initial_state": "mature"})


def _after(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame[(frame.structure == name) & (frame.month >= 1)]


def _per_head(monthly: pd.DataFrame, column: str | list[str]) -> float:
    heads = monthly["manager_days"].sum() / DAYS_PER_MONTH
    return float(monthly[column].to_numpy().sum() / heads)


def _ci(values: list[float]) -> tuple[float, float]:
    mean, half, _ = mean_ci(values)
    return mean, half


def _pairs(sc: Scenario, a: str, b: str, reps: int,
           measure: Callable[[pd.DataFrame, pd.DataFrame, str], float]
           ) -> list[tuple[float, float]]:
    out = []
    for r in range(reps):
        monthly, managers = run_replication(sc, [a, b], SEED, r)
        out.append((measure(monthly, managers, a), measure(monthly, managers, b)))
    return out


def lazear(reps: int) -> list[FieldRow]:
    sc = _default().with_overrides({
        "pay.salary_monthly": 8500.0, "pay.commission_rate": 0.0,
        "structures.hybrids": {"piece": {"routing": "classic",
                                         "pay": {"salary_monthly": 2500.0,
                                                 "commission_rate": 0.03}}}})
    revenue = ["revenue_new", "revenue_repeat"]
    rows = []
    pairs = []
    for r in range(reps):
        monthly, managers = run_replication(sc, ["classic", "piece"], SEED, r)
        arms = []
        for name in ("classic", "piece"):
            m, g = _after(monthly, name), _after(managers, name)
            last = g[g.month == g.month.max()]
            first = set(g[g.month == 1].manager_id)
            stay = g[g.manager_id.isin(first)]
            arms.append((_per_head(m, revenue), _per_head(m, "new_clients"),
                         float(np.average(last.ability, weights=last.days_worked)),
                         float(stay.revenue.sum() / (stay.days_worked.sum() / DAYS_PER_MONTH))))
        pairs.append(arms)
    out = [p[1][0] / p[0][0] - 1 for p in pairs]
    rows.append(FieldRow("Lazear (2000)", "output per worker +44 %",
                         "revenue per manager, salary 8,500 -> 2,500 + 3 %", *_ci(out)))
    rows.append(FieldRow("Lazear (2000)", "(new clients: no figure)",
                         "new clients per manager", *_ci([p[1][1] / p[0][1] - 1
                                                          for p in pairs])))
    stayers = [p[1][3] / p[0][3] - 1 for p in pairs]
    rows.append(FieldRow("Lazear (2000)", "about half of it from who joins and stays",
                         "revenue per month of those present at the switch (effort; the "
                         "rest of the rise is sorting)", *_ci(stayers)))
    rows.append(FieldRow("Lazear (2000)", "abler workers after the switch",
                         "mean ability present after three years (points of the mean-1 "
                         "scale)", *_ci([p[1][2] - p[0][2] for p in pairs]), unit="abs"))
    return rows


#: Friebel et al.'s dose: a team bonus of about 3 % of pay, which in the default pool's
#: revenue per head is 0.08 % of revenue.
RATE = 0.0008


def friebel(reps: int) -> list[FieldRow]:
    share = 7 / 15
    sc = _default().with_overrides({
        "workforce.managers": 7, "market.n_accounts": round(6000 * share),
        "demand.inbound_leads_per_day": 5.0 * share,
        "structures.ticket_pool.team_bonus_rate": 0.0})
    # The bonus arm is the same pool on a scenario with its bonus, from the same warm-up
    # (a hybrid carries pay, not a structure's settings).
    with_bonus = sc.with_overrides({"structures.ticket_pool.team_bonus_rate": RATE})
    revenue, active, bonus = [], [], []
    for r in range(reps):
        snap = warm_up(sc, SEED, r)
        arms = []
        for s in (sc, with_bonus):
            m, _ = Department(s, make_structure("ticket_pool", s), Streams(SEED, r),
                              snapshot=snap).run()
            arms.append(m)
        rev = [float(m.revenue.sum()) for m in arms]
        revenue.append(rev[1] / rev[0] - 1)
        active.append(float(arms[1].active_share.mean() / arms[0].active_share.mean() - 1))
        bonus.append(RATE * rev[1] / float(arms[1].payroll.sum()))
    return [FieldRow("Friebel et al. (2017)", "sales about +3 %",
                     "revenue, ticket pool of 7, team bonus 0.08 % of revenue",
                     *_ci(revenue)),
            FieldRow("Friebel et al. (2017)", "(effort: no figure)",
                     "active share of free time", *_ci(active)),
            FieldRow("Friebel et al. (2017)", "bonus about 3 % of pay",
                     "team bonus as a share of payroll", *_ci(bonus))]


def hazard_by_third(sc: Scenario, names: tuple[str, str], replication: int,
                    months: int = 6) -> np.ndarray:
    """Mean annual quit hazard over ``months`` of the people present at the switch, by
    third of their income then (rows: the two structures; columns: bottom, middle,
    top third)."""
    snap = warm_up(sc, SEED, replication)
    ranked = sorted((p.income_smoothed, p.person_id) for p, _ in snap.people)
    third = {pid: min(2, int(3 * i / len(ranked))) for i, (_, pid) in enumerate(ranked)}
    out = np.zeros((2, 3))
    for row, name in enumerate(names):
        dept = Department(sc, make_structure(name, sc), Streams(SEED, replication),
                          snapshot=snap, months=months)
        total, count = np.zeros(3), np.zeros(3)
        for month in range(1, months + 1):
            dept.env.run(until=month * DAYS_PER_MONTH + 1e-9)
            for desk in dept.desks:
                if desk.person is not None and desk.person.person_id in third:
                    k = third[desk.person.person_id]
                    total[k] += dept.staff.quit_hazard(desk, dept.env.now) * 252
                    count[k] += 1
        out[row] = total / np.maximum(count, 1)
    return out


def sandvik(reps: int) -> list[FieldRow]:
    sc = _default().with_overrides({"structures.hybrids": {
        "cut": {"routing": "classic", "pay": {"commission_rate": 0.03 * 0.82}}}})
    rises = np.array([np.diff(hazard_by_third(sc, ("classic", "cut"), r), axis=0)[0]
                      for r in range(reps)])
    rows = [FieldRow("Sandvik et al. (2021)", "turnover rises mainly among the top",
                     f"annual quit hazard, {label} income third (absolute)",
                     *_ci(list(rises[:, k])), unit="abs")
            for k, label in ((2, "top"), (1, "middle"), (0, "bottom"))]
    pairs = _pairs(sc, "classic", "cut", reps,
                   lambda m, g, n: float(_after(m, n).payroll.sum()))
    rows.append(FieldRow("Sandvik et al. (2021)", "take-home pay -7 %", "payroll",
                         *_ci([b / a - 1 for a, b in pairs])))
    pairs = _pairs(sc, "classic", "cut", reps,
                   lambda m, g, n: float(_after(m, n).contribution.sum()))
    rows.append(FieldRow("Sandvik et al. (2021)", "(profit: no figure)", "contribution",
                         *_ci([b / abs(a) - 1 for a, b in pairs])))
    return rows


def pierce(reps: int) -> list[FieldRow]:
    sc = _default()
    high = sc.with_overrides({"structures.classic.monitoring": 0.8})
    revenue = []
    for r in range(reps):
        snap = warm_up(sc, SEED, r)
        rev = [float(Department(s, make_structure("classic", s), Streams(SEED, r),
                                snapshot=snap).run()[0].revenue.sum()) for s in (sc, high)]
        revenue.append(rev[1] / rev[0] - 1)
    return [FieldRow("Pierce, Snow and McAfee (2015)", "revenue about +7 %",
                     "revenue, classic at monitoring 0.8 instead of 0.1", *_ci(revenue))]


def field_rows(reps: int = 6) -> list[FieldRow]:
    return lazear(reps) + friebel(reps) + sandvik(reps) + pierce(reps)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    reps = int(args[0]) if args else 6
    print("| paper | their figure | salesim, paired (95 % interval) | command |")
    print("| --- | --- | --- | --- |")
    for row in field_rows(reps):
        print(row.row(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
