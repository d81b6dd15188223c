"""Desks and the people at them: hire, seat, move, departure, and the month's pay; the
work of a day and the quits are :class:`sim.model.daywork.DayWork`'s, over arrays.

A seat holds one person at a time or none. A person's day is reactive work first (the
requests their desk served), then the free hours split by their activity propensity
(drift, pulled toward the structure's prescription by monitoring) into care,
prospecting and idle time. The organisation's hooks say what a role does with its
free time, who takes a leaver's clients and how people are paid.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.config.settings import DAYS_PER_MONTH
from sim.model.ability import PlanPay, choose_hire
from sim.model.daywork import DayWork
from sim.model.labour import hire_quality, time_to_fill
from sim.model.market import CLIENT, OPPORTUNITY
from sim.model.people import Person, income_loss, skill_after, variable_income_ratio
from sim.model.recorder import empty_stats, manager_row
from sim.model.workday import Desk

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.floor import Replication

# The income measures moved to sim.model.people; their old home still names them.
__all__ = ["Staff", "income_loss", "variable_income_ratio"]


class Staff(DayWork):
    """The people of one department: who sits where, what they did this month."""

    def __init__(self, dept: Replication):
        self.d = dept
        self.next_person_id = 0
        self.pending: list[float] = []  # times of hires still to come
        self.month_stats: dict[int, dict[str, float]] = {}
        self.adapt: dict[int, float] = {}  # person -> share of new behaviour at the switch
        self.pay_ratio = 1.0  # mean pay per head last month over the market wage
        self.plan: PlanPay | None = None  # fixed and variable pay per head, last month
        self.month_pay = [0.0, 0.0, 0.0]  # this month so far: days, pay, fixed pay

    # ------------------------------------------------------------ who is where
    def present_desks(self) -> list[int]:
        return [d.index for d in self.d.desks if d.person is not None]

    def base_sizes(self) -> np.ndarray:
        acc = self.d.acc
        owned = (acc.state == CLIENT) & (acc.owner >= 0)
        return np.bincount(acc.owner[owned], minlength=len(self.d.desks))

    @property
    def pending_hires(self) -> list[float]:
        return [t for t in self.pending if t > self.d.env.now]

    # ------------------------------------------------------------------ hiring
    def new_person(self) -> Person:
        b = self.d.sc.behaviour
        rng = self.d.streams["hiring"]
        aspiration = b.aspiration_income * math.exp(b.aspiration_sigma * rng.standard_normal()
                                                    - b.aspiration_sigma ** 2 / 2)
        person = Person(person_id=self.next_person_id, hired_at=self.d.env.now,
                        aspiration=aspiration)
        person.skill = self.d.sc.skill.s0
        self.next_person_id += 1
        return person

    def hire_initial(self, spread_days: float) -> None:
        """A fresh department: every seat filled at a time drawn over ``spread_days``."""
        n = len(self.d.desks)
        starts = (np.zeros(n) if spread_days <= 0
                  else np.sort(self.d.streams["hiring"].uniform(0.0, spread_days, n)))
        for desk, start in zip(self.d.desks, starts, strict=True):
            self.hire_later(desk, float(start))

    def hire_later(self, desk: Desk, at: float) -> None:
        self.pending.append(at)
        self.d.env.process(self._hire_at(desk, at))

    def _hire_at(self, desk: Desk, at: float):
        env = self.d.env
        if at > env.now:
            yield env.timeout(at - env.now)
        person = self.new_person()
        sc = self.d.sc
        person.role = desk.role.name  # the seat's pay is what the applicants see
        person.quality = hire_quality(self.pay_ratio, sc.labour)
        person.ability = choose_hire(self.d.streams["ability"],
                                     self.plan or self.advertised_plan(desk, person),
                                     sc.market_wage, sc.skill, sc.labour)
        person.skill = skill_after(0.0, sc.skill, person.quality, person.ability)
        self.seat(desk, person)
        self.d.rec.add("hires")

    def advertised_plan(self, desk: Desk, person: Person) -> PlanPay:
        """Before a month's pay is known: the seat's fixed pay for a full month, and the
        rest of the market wage expected as variable pay (a plan pays about the market
        on average)."""
        d = self.d
        here = d.org.at(desk.index)
        bare = empty_stats()
        bare["days"] = DAYS_PER_MONTH
        bare["norm_pay"] = here.daily_pay(0.0) * DAYS_PER_MONTH
        fixed = here.income(d.org.floor_at(d, desk.index), person, bare)
        return PlanPay(fixed, max(0.0, d.sc.market_wage - fixed))

    def seat(self, desk: Desk, person: Person, meets_clients: bool = True) -> None:
        """Seat a person; clients the seat kept meet them as a stranger, unless the
        person keeps their own clients (a takeover)."""
        person.role = desk.role.name
        self.month_stats.setdefault(person.person_id, empty_stats())
        desk.seat(person)
        if self.d.journal is not None:
            self.d.journal.seated(desk.index, person.person_id, person.hired_at)
        if not (meets_clients and self.d.org.at(desk.index).personal):
            return
        acc = self.d.acc
        held = np.flatnonzero((acc.owner == desk.index) & (acc.state == CLIENT))
        if len(held):
            acc.relationship[held] = 0.0
            acc.bond[held] = person.person_id

    def move_person(self, source: Desk, target: Desk, now: float) -> None:
        """Move a present person to another seat (a promotion); the old seat is vacant."""
        person = source.person
        self.close_month_for(person, source, now, left=False, moved=True)
        source.vacate()
        self.seat(target, person)
        self.d.demand.requeue(source)

    # ---------------------------------------------------------------- leaving
    def quit_hazard(self, desk: Desk, now: float) -> float:
        """The daily quit hazard at ``desk``: the shortfall against aspiration, a loss of
        income since a switch (for a while), pay against the outside option ability
        commands (:mod:`sim.model.ability`), and monitoring (:mod:`sim.model.control`);
        the one-desk case of :meth:`quit_hazards`."""
        return float(self.quit_hazards([desk], now)[0])

    def depart(self, desk: Desk, now: float) -> None:
        """A manager leaves: clients bonded to them may follow, the rest of their base is
        reassigned, a promotion may fill the seat, and a seat waits for a new hire."""
        d = self.d
        person = desk.person
        d.departures.track(desk, person, now)
        self.close_month_for(person, desk, now, left=True)
        desk.vacate()
        self.person_leaves(person, desk, now)
        acc = d.acc
        stay = np.flatnonzero((acc.owner == desk.index) & (acc.state == CLIENT))
        new_owner = d.org.reassign(d, stay, desk.index)
        acc.owner[stay] = new_owner
        for owner in np.unique(new_owner):
            keeper = d.desks[int(owner)].person
            moved = stay[new_owner == owner]
            acc.relationship[moved] = 0.0
            acc.bond[moved] = keeper.person_id if keeper is not None else -1
        opps = np.flatnonzero((acc.owner == desk.index) & (acc.state == OPPORTUNITY))
        acc.owner[opps] = d.org.reassign(d, opps, desk.index)
        d.demand.requeue(desk)
        waiting = d.org.on_vacancy(d, desk, now)
        self.hire_later(waiting, now + time_to_fill(d.sc.workforce.vacancy_days,
                                                    self.pay_ratio, d.sc.labour))

    def person_leaves(self, person: Person, desk: Desk | None, now: float) -> None:
        """Clients whose bond is with the leaver follow with chance ``follow_rate x r``."""
        d = self.d
        acc = d.acc
        if desk is None:  # no seat in the new structure: laid off at the takeover
            d.rec.add("layoffs")
            d.rec.add_manager_row(manager_row(d.rec.month + 1, person, -1,
                                              person.tenure_days(now), 0, empty_stats(),
                                              0.0, left=True))
        else:
            d.rec.add("quits")
        if d.journal is not None:
            d.journal.left(person.person_id, now)
        bonded = np.flatnonzero((acc.bond == person.person_id) & (acc.state == CLIENT))
        follow = d.streams["follow"].random(len(bonded)) < (
            d.sc.selling.follow_rate * acc.relationship[bonded])
        d.sales.lose_clients(bonded[follow], "manager_left", now)
        rest = bonded[~follow]
        acc.relationship[rest] = 0.0
        acc.bond[rest] = -1

    # ------------------------------------------------------------- month close
    def close_month(self, now: float) -> None:
        """Pay everyone present; the month's mean pay per head is what the next hires
        and vacancies see offered (:mod:`sim.model.labour`)."""
        d = self.d
        for desk in d.desks:
            if desk.person is not None:
                self.close_month_for(desk.person, desk, now, left=False)
        days, paid, fixed = self.month_pay
        if days > 0:
            heads = days / DAYS_PER_MONTH
            self.plan = PlanPay(fixed / heads, max(0.0, paid - fixed) / heads)
        self.month_pay = [0.0, 0.0, 0.0]
        if d.rec.month < d.months:
            counts = d.rec.counts
            heads = counts["manager_days"][d.rec.month] / DAYS_PER_MONTH
            if heads > 0:
                self.pay_ratio = counts["payroll"][d.rec.month] / heads / d.sc.market_wage

    def close_month_for(self, person: Person, desk: Desk, now: float, left: bool,
                        moved: bool = False) -> None:
        """Pay the person for the month so far and write their manager-month row."""
        d = self.d
        stats = self.month_stats[person.person_id]
        here, floor = d.org.at(desk.index), d.org.floor_at(d, desk.index)
        income = here.income(floor, person, stats)
        d.rec.add("payroll", income)
        # The fixed part: what the month would have paid for presence alone.
        bare = empty_stats()
        bare["days"], bare["norm_pay"] = stats["days"], here.daily_pay(0.0) * stats["days"]
        self.month_pay[0] += stats["days"]
        self.month_pay[1] += income
        fixed = min(income, here.income(floor, person, bare))
        self.month_pay[2] += fixed
        months = person.totals.get("months", 0) + (0 if moved else 1)
        person.totals["months"] = months
        person.totals["revenue"] = person.totals.get("revenue", 0.0) + stats["revenue"]
        if not moved and stats["days"] > 0:
            w = 1.0 / min(max(months, 1), d.sc.behaviour.income_smoothing_months)
            person.income_smoothed += w * (income * DAYS_PER_MONTH / stats["days"]
                                           - person.income_smoothed)
            person.fixed_smoothed += w * (fixed * DAYS_PER_MONTH / stats["days"]
                                          - person.fixed_smoothed)
        base = int(np.count_nonzero((d.acc.owner == desk.index) & (d.acc.state == CLIENT)))
        d.rec.add_manager_row(manager_row(d.rec.month + 1, person, desk.index,
                                          person.tenure_days(now), base, stats, income,
                                          left))
        self.month_stats[person.person_id] = empty_stats()

    def team_share(self, days: float) -> float:
        """A person's share of this month's revenue so far, by days worked (team bonus)."""
        d = self.d
        m = min(d.rec.month, d.months - 1)
        counts = d.rec.counts
        worked = counts["manager_days"][m]
        revenue = counts["revenue_new"][m] + counts["revenue_repeat"][m]
        return revenue * days / worked if worked > 0 else 0.0

