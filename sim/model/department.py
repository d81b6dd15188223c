"""One replication: a SimPy environment wiring the market, the people and a structure.

Time is in working days. Requests (leads, orders, booked meetings) arrive in
continuous time and wait in queues served by SimPy processes; everything that does not
wait for anything (prospecting outcomes, care contacts, churn, learning, drift,
quitting) is drawn once per day at the day's end, in array form where it concerns
accounts. A department starts ``fresh`` or from a :class:`Snapshot` of a warm-up.

The mechanisms live in their own modules (see docs/architecture.md): ``demand``
(arrivals and routing), ``workforce`` (desks, people, their day, pay), ``selling``
(requests, pipeline, orders, care, prospecting, churn) and ``reorganisation`` (the
warm-up snapshot and the takeover). This class builds them and states the order of a
day and of a month.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario
from sim.config.settings import DAYS_PER_MONTH
from sim.model.booking import Bookings
from sim.model.clock import Clock
from sim.model.demand import Demand
from sim.model.departures import DepartureLosses, revenue_at_risk
from sim.model.incentives import HourPricing, Territory
from sim.model.journal import Journal
from sim.model.market import CLIENT, LOST, OPPORTUNITY, PROSPECT, Accounts
from sim.model.recorder import Recorder
from sim.model.reorganisation import Snapshot, snapshot, take_over
from sim.model.rollout import Phased
from sim.model.selling import Sales
from sim.model.streams import Streams
from sim.model.structures import Structure, make_structure, phasable, under_structure
from sim.model.workday import Desk
from sim.model.workforce import Staff

__all__ = ["Department", "InvariantError", "Snapshot", "check_invariants"]


class Department:
    """A sales department under one structure for one replication.

    It is also the narrow view a structure's hooks get (:class:`sim.model.structures.Floor`):
    the scenario, streams, accounts and desks, and a few questions about people."""

    def __init__(self, scenario: Scenario, structure: Structure, streams: Streams,
                 snapshot: Snapshot | None = None, months: int | None = None,
                 hire_spread_days: float | None = None, journal: Journal | None = None):
        scenario = under_structure(structure.name, scenario)  # a hybrid's own pay plan
        self.sc = scenario
        self.journal = journal  # a CRM's view of the history, kept only when asked
        self.structure = structure
        self.org = structure.org
        self.leads = structure.leads
        self.streams = streams
        self.env = Clock()
        if scenario.experiment.request_path == "arrays" and journal is None:
            self.env.bookings = Bookings(self)  # before the desks, which look for it
        if (snapshot is not None and snapshot.structure != structure.name
                and scenario.reorganisation.phase_share < 1.0):
            if not phasable(structure.name, scenario.structures.hybrids):
                raise ValueError(f"reorganisation.phase_share: {structure.name} changes the "
                                 "seats of workforce.managers, so it cannot be rolled out in "
                                 "phases; set phase_share to 1")
            old = make_structure(snapshot.structure, scenario)
            self.org = Phased(self, old.org, structure.org, old.leads)
        self.hours = scenario.workforce.hours_per_day
        self.months = scenario.experiment.months if months is None else months
        self.days = self.months * DAYS_PER_MONTH
        self.rec = Recorder(self.months)
        n = self.org.seats(scenario.workforce.managers)
        self.desks = [Desk(self.env, i, role) for i, role in enumerate(self.org.roles(n))]
        self.org.make_queues(self.env, self.desks)
        self.staff = Staff(self)
        self.sales = Sales(self)
        if self.env.bookings is not None:
            self.env.bookings.sales = self.sales
        self.demand = Demand(self)
        self.departures = DepartureLosses(self)
        self.reorganised = False  # a new structure took over a warmed-up department
        self._decay = math.exp(-1.0 / scenario.selling.relationship_decay_days)
        for desk in self.desks:
            desk.open(self.sales)
        if snapshot is None:
            self.acc = Accounts.create(scenario.market, streams["accounts"])
            self.staff.hire_initial(scenario.workforce.hire_spread_days
                                    if hire_spread_days is None else hire_spread_days)
        else:
            take_over(self, copy.deepcopy(snapshot))
        self.territory = Territory.of(self.acc)
        self.pricing = HourPricing(scenario, self.territory)  # an hour's worth, each day
        self.org.start(self.reorganised)
        self.leads.start(self.reorganised)
        self.demand.start()
        self.env.process(self._days())

    # ------------------------------------------------- the floor structures see
    def present_desks(self) -> list[int]:
        return self.staff.present_desks()

    def base_sizes(self) -> np.ndarray:
        return self.staff.base_sizes()

    def move_person(self, source: Desk, target: Desk, now: float) -> None:
        self.staff.move_person(source, target, now)

    def month_team_share(self, days: float) -> float:
        return self.staff.team_share(days)

    def team_size(self) -> int:
        return len(self.present_desks())

    # ------------------------------------------------------ the day and month
    def _days(self):
        for day in range(self.days):
            yield self.env.timeout(day + 1 - self.env.now)
            now = self.env.now
            self._end_of_day(now)
            if (day + 1) % DAYS_PER_MONTH == 0:
                self._end_of_month(now)

    def _end_of_day(self, now: float) -> None:
        """Everyone splits their day; then care, prospecting, decisions on the pipeline,
        churn, fading relationships, and quits, in this order. On the array path the
        day's booked requests come first (:mod:`sim.model.booking`)."""
        if self.env.bookings is not None:
            self.env.bookings.flush(now)
        clients = self.acc.clients()
        owners = self.acc.owner[clients]
        care_counts, prospect_hours = self.staff.work_day(now, clients, owners)
        self.sales.care(clients, owners, care_counts, now)
        self.sales.prospect(prospect_hours, now)
        self.sales.decide_opportunities(now)
        self.sales.churn(now)
        self.sales.fade_and_recapture(now, self._decay)
        self.staff.quits(now)

    def _end_of_month(self, now: float) -> None:
        """Levels, the marketing and overhead bills, consistency checks, then
        everyone's pay."""
        acc = self.acc
        counts = acc.state_counts()
        self.rec.set_level("active_clients", counts[CLIENT])
        self.rec.set_level("prospects", counts[PROSPECT])
        self.rec.set_level("opportunities", counts[OPPORTUNITY])
        self.rec.set_level("lost_accounts", counts[LOST])
        self.rec.set_level("managers", len(self.present_desks()))
        self.rec.set_level("key_person_revenue_at_risk",
                           revenue_at_risk(acc, self.sc.selling.follow_rate,
                                           self.org.institutional))
        self.rec.add("marketing_spend", self.leads.spend_per_month())
        self.rec.add("overhead_cost", self.org.overhead_per_month(self)
                     + self.leads.overhead_per_month(self))
        if self.reorganised:
            self.rec.add("transition_cost", self.org.buildup_cost(now))
        self.leads.close_month()
        acc.check()
        if counts[OPPORTUNITY] != len(self.sales.pipeline):
            raise AssertionError("opportunities and the pipeline disagree")
        self.staff.close_month(now)
        self.rec.month += 1

    # -------------------------------------------------------------------- run
    def run(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Simulate the horizon; return the ``monthly`` and ``managers`` frames."""
        self.env.run(until=self.days + 1e-9)
        monthly = self.rec.monthly_frame(self.sc.market.gross_margin)
        managers = self.rec.managers_frame()
        check_invariants(self, monthly, managers)
        return monthly, managers

    def snapshot(self) -> Snapshot:
        """This department's state as plain data, times shifted so that now is 0."""
        return snapshot(self)

    @property
    def departure_losses(self) -> list[dict[str, float]]:
        return self.departures.losses

    def queue_stats(self) -> list[dict[str, float]]:
        """Each distinct queue's monitor totals."""
        seen: dict[int, dict[str, float]] = {}
        for desk in self.desks:
            if id(desk.queue) not in seen:
                seen[id(desk.queue)] = {"desk": desk.index, **desk.queue.stats()}
        return list(seen.values())


class InvariantError(AssertionError):
    """A run broke one of the model's invariants: a bug, never a result."""


def check_invariants(dept: Department, monthly: pd.DataFrame, managers: pd.DataFrame) -> None:
    """Cheap checks after every replication: accounts conserved, hours within the days
    worked, money adding up and never negative or NaN. Fails loudly."""
    n, hours = dept.acc.n, dept.hours
    dept.acc.check()
    problems = []
    states = monthly[["prospects", "opportunities", "active_clients", "lost_accounts"]]
    if not (states.sum(axis=1) == n).all():
        problems.append("account states do not add up to the territory")
    cols = ["hours_reactive", "hours_care", "hours_prospecting", "hours_idle"]
    if len(managers):
        filled = managers[cols].sum(axis=1).to_numpy()
        if (managers[cols] < -1e-9).any().any() or not np.allclose(
                filled, managers["days_worked"].to_numpy() * hours, atol=1e-6):
            problems.append("a manager's hours do not fill the days worked")
    paid = managers.groupby("month")["income"].sum().reindex(monthly["month"], fill_value=0.0)
    if not np.allclose(monthly["payroll"].to_numpy(), paid.to_numpy(), rtol=1e-9, atol=1e-6):
        problems.append("payroll differs from the sum of incomes")
    money = monthly[["revenue_new", "revenue_repeat", "payroll", "marketing_spend",
                     "overhead_cost"]]
    if money.isna().any().any() or (money < 0).any().any():
        problems.append("money is negative or NaN")
    if monthly["contribution"].isna().any():
        problems.append("contribution is NaN")
    if problems:
        raise InvariantError("invariant broken: " + "; ".join(problems))
