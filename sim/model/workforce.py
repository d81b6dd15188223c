"""Desks and the people at them: hire, seat, move, the work of a day, quitting,
departure, and the month's pay. From ``ARRAY_MIN_PEOPLE`` people present the day's work
and the quits go over arrays (:class:`sim.model.daywork.DayWork`).

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
from sim.model.ability import PlanPay, choose_hire, outside_option
from sim.model.control import gamed_share, monitoring_pull, monitoring_quit_factor
from sim.model.daywork import ARRAY_MIN_PEOPLE, DayWork
from sim.model.incentives import drift_factor, drifted_propensity, hourly_aspiration
from sim.model.labour import hire_quality, quit_pay_factor, time_to_fill
from sim.model.market import CLIENT, OPPORTUNITY
from sim.model.people import (
    Person,
    effective_propensity,
    income_loss,
    quit_hazard_per_day,
    skill_after,
    variable_income_ratio,
)
from sim.model.recorder import empty_stats, manager_row
from sim.model.workday import Desk, split_day

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.floor import Replication


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

    def over_arrays(self) -> bool:
        """Whether today's work and quits go over arrays: from ``ARRAY_MIN_PEOPLE``
        people present (below, numpy's cost per call outweighs the loop it replaces)."""
        return len(self.present_desks()) >= ARRAY_MIN_PEOPLE

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

    # --------------------------------------------------------------- the day
    def work_day(self, now: float, clients: np.ndarray, owners: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Split each present person's day; return care contacts and prospecting hours
        per desk. Each kind of active work gets the propensity its marginal reward
        buys (:mod:`sim.model.incentives`), pulled toward the prescription by monitoring
        (:mod:`sim.model.control`). Care need: the person's own due clients, or a share of
        the pool's. Below ``ARRAY_MIN_PEOPLE`` people present, person by person; from
        there over arrays (:meth:`sim.model.daywork.DayWork.work_day_arrays`), the same
        formulas and draws."""
        d = self.d
        if self.over_arrays():
            return self.work_day_arrays(now, clients, owners)
        sc, acc, org = d.sc, d.acc, d.org
        sel, b = sc.selling, sc.behaviour
        n_desks = len(d.desks)
        owned = owners >= 0
        is_due = (now - acc.last_care[clients]) >= sel.care_cadence_days
        due = np.bincount(owners[owned], weights=is_due[owned], minlength=n_desks)
        pool_carers = [x for x in d.desks if x.person is not None and x.role.care == "pool"]
        pool_due = float(np.count_nonzero(is_due & ~owned))
        care_counts = [0] * n_desks
        prospect_hours = [0.0] * n_desks
        dues = due.tolist()
        per_pool_carer = pool_due / max(1, len(pool_carers)) * sel.care_contact_hours
        available = len(acc.available_prospects()) / acc.n
        reorg = sc.reorganisation
        month = d.rec.month
        recording = month < d.months
        counters = d.rec.counts
        price = d.pricing.at
        # One care draw per person present, in desk order, taken as one block.
        present = sum(1 for desk in d.desks if desk.person is not None)
        care_draws = iter(d.streams["care"].random(present).tolist())
        pulls: dict[int, float] = {}  # monitoring pull per organisation
        for desk in d.desks:
            busy = desk.take_busy_days(now)
            served, desk.served = desk.served, 0
            person = desk.person
            if person is None:
                if recording:
                    counters["vacant_seat_days"][month] += 1.0
                continue
            i = desk.index
            role = desk.role
            here, floor = org.at(i), org.floor_at(d, i)
            hunts = role.prospects and org.outbound_at(i, d.leads)
            cares = role.care is not None
            income_ratio = variable_income_ratio(person)
            hour = price(here.work_skill(person.skill, now), available, here.touch_hours)
            w_p, w_c = here.rewards(floor, person, role, hour)
            pull = pulls.get(id(here))
            if pull is None:
                pull = pulls[id(here)] = monitoring_pull(here.monitoring, sc.control)
            pi_p = pi_c = g_p = g_c = 0.0  # propensities; shares of them gamed
            if hunts or cares:
                hourly = hourly_aspiration(person.aspiration, d.hours)
                drift = drift_factor(income_ratio, person.tenure_days(now), b)
                presc = here.prescribed_active_share
                if hunts:
                    own = drifted_propensity(w_p, hourly, drift, b)
                    pi_p = effective_propensity(own, pull, presc)
                    g_p = gamed_share(own, pi_p, sc.control)
                if cares:
                    own = drifted_propensity(w_c, hourly, drift, b)
                    pi_c = effective_propensity(own, pull, presc)
                    g_c = gamed_share(own, pi_c, sc.control)
            if person.habit is not None:  # after a switch: from old habits to the new
                c = self.compliance(person, now)
                pi_p = c * pi_p + (1 - c) * person.habit[0] if hunts else 0.0
                pi_c = c * pi_c + (1 - c) * person.habit[1] if cares else 0.0
            if desk.switched_at is not None and now - desk.switched_at < reorg.training_days:
                pi_p, pi_c = pi_p * (1 - reorg.training_share), pi_c * (1 - reorg.training_share)
            person.last_pi = (pi_p, pi_c)
            if role.care == "own":
                need = dues[i] * sel.care_contact_hours
            elif role.care == "pool":
                need = per_pool_carer
            else:
                need = 0.0
            reactive, care, prospecting, idle = split_day(d.hours, busy * d.hours, pi_c, pi_p,
                                                          need)
            active = care + prospecting
            person.learn(reactive + active, sc.skill)
            person.base_income = income_ratio
            stats = self.month_stats[person.person_id]
            stats["reactive"] += reactive
            stats["care"] += care
            stats["prospecting"] += prospecting
            stats["idle"] += idle
            stats["days"] += 1.0
            stats["propensity"] += (pi_p + pi_c) / (hunts + cares) if hunts or cares else 0.0
            stats["pi_prospecting"] += pi_p
            stats["pi_care"] += pi_c
            stats["reward"] += ((w_p * prospecting + w_c * care) / active
                                if active > 0 else max(w_p if hunts else 0.0,
                                                       w_c if cares else 0.0))
            logged = care / sel.care_contact_hours  # contacts logged; real ones below
            # Short of a counted norm, part of the work turns into quick touches.
            quick, real = here.padding(here.tasks_done(floor, logged, prospecting, served))
            want = logged * (1.0 - g_c) * real
            care_counts[i] = int(want) + int(next(care_draws) < want - int(want))
            prospect_hours[i] = prospecting * (1.0 - g_p) * real  # hours that really hunt
            tasks = here.tasks_done(floor, care_counts[i] + logged * g_c * real,
                                    prospecting * real, served) + quick
            person.last_tasks = tasks
            stats["tasks"] += tasks
            stats["norm_pay"] += here.daily_pay(tasks)
            if recording:
                counters["hours_reactive"][month] += reactive
                counters["hours_care"][month] += care
                counters["hours_prospecting"][month] += prospecting
                counters["hours_idle"][month] += idle
                counters["manager_days"][month] += 1.0
        return np.array(care_counts, dtype=int), np.array(prospect_hours)

    # ---------------------------------------------------------------- leaving
    def quits(self, now: float) -> None:
        """Each person present quits with their day's chance: one draw each, in desk
        order (over arrays from ``ARRAY_MIN_PEOPLE`` people present)."""
        if self.over_arrays():
            self.quits_arrays(now)
            return
        rng = self.d.streams["quit"]
        for desk in self.d.desks:
            if desk.person is not None and rng.random() < -math.expm1(
                    -self.quit_hazard(desk, now)):
                self.depart(desk, now)

    def quit_hazard(self, desk: Desk, now: float) -> float:
        """The daily quit hazard at ``desk``: the shortfall against aspiration, a loss of
        income since a switch (for a while), pay against the outside option ability
        commands (:mod:`sim.model.ability`), and monitoring (:mod:`sim.model.control`)."""
        d = self.d
        person = desk.person
        new = person.totals.get("months", 0) == 0  # no income history yet: nothing is felt
        ratio = 1.0 if new else person.income_smoothed / person.aspiration
        reorg = d.sc.reorganisation
        boost = (1.0 + reorg.loss_quit_weight * income_loss(person)
                 if now - person.switched_at < reorg.loss_quit_days else 1.0)
        outside = outside_option(person.ability, d.sc.market_wage, d.sc.labour)
        market = 1.0 if new else quit_pay_factor(person.income_smoothed / outside, d.sc.labour)
        watched = monitoring_quit_factor(d.org.at(desk.index).monitoring, d.sc.control)
        return quit_hazard_per_day(ratio, d.sc.workforce, desk.role.quit_multiplier * boost
                                   * market * watched)

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

