"""The day's end work of the people present, over arrays: how each splits the free
hours, what it pays them at the margin, what they learn, and who quits. A department
uses it from ``ARRAY_MIN_PEOPLE`` people present; below that the per-person loop of
:class:`sim.model.workforce.Staff` is faster (numpy's fixed cost per call).

Every present person's day is computed at once, desk by desk in numpy arrays, grouped
by the organisation the desks work under (one group, or two during a phased roll-out:
:class:`sim.model.rollout.Phased`), through the array forms of the structures' hooks
(``work_skill_many``, ``rewards_many``, ``tasks_done_many``, ``padding_many``,
``daily_pay_many``). The formulas are the per-person ones of :mod:`sim.model.people`,
:mod:`sim.model.incentives`, :mod:`sim.model.control`, :mod:`sim.model.padding` and
:func:`sim.model.workday.split_day` (tests/model/test_day_arrays.py holds them equal);
the draws are those of the per-person loop, in the same order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.model.control import gamed_shares, monitoring_pull, monitoring_quit_factor
from sim.model.incentives import drift_factors, drifted_propensities, hourly_aspiration
from sim.model.labour import RATIO_BOUNDS
from sim.model.people import (
    Person,
    income_loss,
    quit_hazards_per_day,
    skills_after,
)

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.floor import Replication
    from sim.model.workday import Desk


class DaySplits(NamedTuple):
    """:class:`sim.model.workday.DaySplit` for many people: hours of each kind."""

    reactive: np.ndarray
    care: np.ndarray
    prospecting: np.ndarray
    idle: np.ndarray


def split_days(hours_per_day: float, reactive_hours: np.ndarray, care_propensity: np.ndarray,
               prospecting_propensity: np.ndarray, care_need_hours: np.ndarray) -> DaySplits:
    """:func:`sim.model.workday.split_day` for many people at once: reactive work first,
    then care up to its need and its own share, then prospecting up to its share."""
    reactive = np.minimum(np.maximum(reactive_hours, 0.0), hours_per_day)
    free = hours_per_day - reactive
    pi_c = np.minimum(np.maximum(care_propensity, 0.0), 1.0)
    pi_p = np.minimum(np.maximum(prospecting_propensity, 0.0), 1.0)
    active = free * np.maximum(pi_c, pi_p)
    care = np.minimum(np.minimum(np.maximum(care_need_hours, 0.0), free * pi_c), active)
    prospecting = np.minimum(active - care, free * pi_p)
    return DaySplits(reactive, care, prospecting, free - care - prospecting)


#: From this many people present on, the day's work and the quits run over arrays;
#: below it person by person (sim.model.workforce), with the same formulas and draws.
#: numpy's fixed cost per call outweighs the per-person loop in a small department:
#: measured in whole replications, the two take the same time at about 45 people
#: (docs/performance.md, "The day's work over arrays").
ARRAY_MIN_PEOPLE = 45

STATS = ("reactive", "care", "prospecting", "idle", "propensity", "pi_prospecting",
         "pi_care", "reward", "tasks", "norm_pay")


class DayWork:
    """The day's work and the quits of :class:`sim.model.workforce.Staff` (a mixin: the
    staff's state is its own)."""

    d: Replication
    month_stats: dict[int, dict[str, float]]
    adapt: dict[int, float]

    def depart(self, desk: Desk, now: float) -> None: ...  # pragma: no cover

    def compliance(self, person: Person, now: float) -> float:
        """The share of the new structure's behaviour a person has taken on: 1, or after
        a switch a start that is lower the longer the tenure, rising over the adaptation
        period, slower for those whose income fell (:mod:`sim.model.reorganisation`)."""
        c0 = self.adapt.get(person.person_id)
        if c0 is None:
            return 1.0
        reorg = self.d.sc.reorganisation
        ramp = reorg.adaptation_days * (1.0 + reorg.loss_adaptation_weight * income_loss(person))
        elapsed = now - person.switched_at
        return 1.0 if ramp <= 0 else c0 + (1.0 - c0) * min(1.0, elapsed / ramp)

    def work_day_arrays(self, now: float, clients: np.ndarray, owners: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Split each present person's day; return care contacts and prospecting hours
        per desk. Each kind of active work gets the propensity its marginal reward
        buys (:mod:`sim.model.incentives`), pulled toward the prescription by monitoring
        (:mod:`sim.model.control`). Care need: the person's own due clients, or a share of
        the pool's. Prospecting and care are the two rows of one (2, n) array."""
        d = self.d
        sc, acc, org = d.sc, d.acc, d.org
        sel, b, reorg = sc.selling, sc.behaviour, sc.reorganisation
        n_desks = len(d.desks)
        month = d.rec.month
        recording = month < d.months
        counters = d.rec.counts
        # Who is here: the one loop over the desks (their busy time is theirs to hand out).
        at: list[int] = []
        people: list[Person] = []
        roles = []
        busy_served: list[tuple[float, int]] = []
        training: list[bool] = []
        for desk in d.desks:
            busy = desk.take_busy_days(now)
            served, desk.served = desk.served, 0
            if desk.person is None:
                if recording:
                    counters["vacant_seat_days"][month] += 1.0
                continue
            at.append(desk.index)
            people.append(desk.person)
            roles.append(desk.role)
            busy_served.append((busy, served))
            training.append(desk.switched_at is not None
                            and now - desk.switched_at < reorg.training_days)
        n = len(at)
        care_counts = np.zeros(n_desks, dtype=int)
        prospect_hours = np.zeros(n_desks)
        if n == 0:
            return care_counts, prospect_hours
        care_draws = d.streams["care"].random(n)  # one per person present, in desk order
        skill, income, fixed, aspiration, hired, sold, quality, ability = np.array(
            [(p.skill, p.income_smoothed, p.fixed_smoothed, p.aspiration, p.hired_at,
              p.selling_hours, p.quality, p.ability) for p in people]).T
        kinds = np.array([(r.prospects and org.outbound_at(i, d.leads), r.care is not None)
                          for r, i in zip(roles, at, strict=True)], dtype=bool).T
        busy, served = np.array(busy_served).T
        # The organisation each desk works under (one, but during a roll-out), its hooks.
        members = [(org, org.floor_at(d, at[0]), slice(None))]
        if org.per_desk:
            groups: dict[int, list[int]] = {}
            for k, i in enumerate(at):
                groups.setdefault(id(org.at(i)), []).append(k)
            members = [(org.at(at[ks[0]]), org.floor_at(d, at[ks[0]]), np.array(ks))
                       for ks in groups.values()]
        w, pull, presc = np.zeros((2, n)), np.zeros(n), np.zeros(n)
        available = len(acc.available_prospects()) / acc.n
        for here, floor, ks in members:
            hour = d.pricing.at_many(here.work_skill_many(skill[ks], now), available,
                                     here.touch_hours)
            part = (people, roles) if len(members) == 1 else (
                [people[k] for k in ks], [roles[k] for k in ks])
            w[0, ks], w[1, ks] = here.rewards_many(floor, part[0], part[1], hour)
            pull[ks] = monitoring_pull(here.monitoring, sc.control)
            presc[ks] = here.prescribed_active_share
        # Propensities: drift, monitoring's pull, the share gamed.
        income_ratio = np.maximum(0.0, income - fixed) / np.maximum(1.0, aspiration - fixed)
        drift = drift_factors(income_ratio, np.maximum(0.0, now - hired), b)
        own = drifted_propensities(w, hourly_aspiration(aspiration, d.hours), drift, b)
        pi = (pull * presc + (1.0 - pull) * own) * kinds
        gamed = gamed_shares(own, pi, sc.control) * kinds
        for k, p in enumerate(people):
            if p.habit is not None:  # after a switch: from old habits to the new
                c = self.compliance(p, now)
                for j in (0, 1):
                    pi[j, k] = c * pi[j, k] + (1 - c) * p.habit[j] if kinds[j, k] else 0.0
        if any(training):
            pi *= np.where(training, 1 - reorg.training_share, 1.0)
        # Care need: own due clients, or a share of the pool's.
        owned = owners >= 0
        is_due = (now - acc.last_care[clients]) >= sel.care_cadence_days
        due = np.bincount(owners[owned], weights=is_due[owned], minlength=n_desks)
        care_of = [r.care for r in roles]
        pool = care_of.count("pool")
        per_pool_carer = (float(np.count_nonzero(is_due & ~owned)) / max(1, pool)
                          * sel.care_contact_hours)
        need = due[at] * sel.care_contact_hours
        if pool or len(care_of) != care_of.count("own"):
            need = np.where([c == "own" for c in care_of], need,
                            np.where([c == "pool" for c in care_of], per_pool_carer, 0.0))
        reactive, care, prospecting, idle = split_days(d.hours, busy * d.hours, pi[1],
                                                       pi[0], need)
        active = care + prospecting
        hours = sold + (reactive + active)
        learnt = skills_after(hours, sc.skill, quality, ability)
        n_kinds = kinds.sum(axis=0)
        propensity = np.zeros(n)
        np.divide(pi[0] + pi[1], n_kinds, out=propensity, where=n_kinds > 0)
        reward = (w * kinds).max(axis=0)  # a day without active work: the better rate
        np.divide(w[0] * prospecting + w[1] * care, active, out=reward, where=active > 0)
        # Counted work, padding and what really sells.
        logged = care / sel.care_contact_hours  # contacts logged; real ones below
        quick, real = np.zeros(n), np.ones(n)
        for here, floor, ks in members:
            quick[ks], real[ks] = here.padding_many(here.tasks_done_many(
                floor, logged[ks], prospecting[ks], served[ks]))
        want = logged * (1.0 - gamed[1]) * real
        whole = np.floor(want)
        contacts = whole.astype(int) + (care_draws < want - whole)
        tasks, pay = np.zeros(n), np.zeros(n)
        for here, floor, ks in members:
            tasks[ks] = here.tasks_done_many(
                floor, contacts[ks] + logged[ks] * gamed[1, ks] * real[ks],
                prospecting[ks] * real[ks], served[ks]) + quick[ks]
            pay[ks] = here.daily_pay_many(tasks[ks])
        care_counts[at] = contacts
        prospect_hours[at] = prospecting * (1.0 - gamed[0]) * real  # hours that really hunt
        # Back to the people and their month, in desk order.
        rows = np.array([reactive, care, prospecting, idle, propensity, pi[0], pi[1], reward,
                         tasks, pay, hours, learnt, income_ratio]).T.tolist()
        for p, row in zip(people, rows, strict=True):
            p.last_pi = (row[5], row[6])
            p.selling_hours, p.skill, p.base_income, p.last_tasks = row[10:] + row[8:9]
            stats = self.month_stats[p.person_id]
            stats["days"] += 1.0
            for name, value in zip(STATS, row[:10], strict=True):
                stats[name] += value
        if recording:
            for j, name in enumerate(("hours_reactive", "hours_care", "hours_prospecting",
                                      "hours_idle")):
                total = counters[name][month]
                for row in rows:
                    total += row[j]
                counters[name][month] = total
            counters["manager_days"][month] += float(n)
        return care_counts, prospect_hours

    # ---------------------------------------------------------------- leaving
    def quit_hazards(self, desks: list[Desk], now: float) -> np.ndarray:
        """The daily quit hazards at these desks (all seated): the shortfall against
        aspiration, a loss of income since a switch (for a while), pay against the
        outside option ability commands (:func:`sim.model.ability.outside_option`,
        :func:`sim.model.labour.quit_pay_factor`), and monitoring
        (:func:`sim.model.control.monitoring_quit_factor`)."""
        d = self.d
        sc, reorg, labour = d.sc, d.sc.reorganisation, d.sc.labour
        people = [desk.person for desk in desks]
        smoothed, aspiration, ability, switched, multiplier = np.array(
            [(p.income_smoothed, p.aspiration, p.ability, p.switched_at,
              desk.role.quit_multiplier) for p, desk in zip(people, desks, strict=True)]).T
        new = np.array([p.totals.get("months", 0) == 0 for p in people], dtype=bool)
        recent = now - switched < reorg.loss_quit_days
        if recent.any():
            multiplier = multiplier * np.where(recent, 1.0 + reorg.loss_quit_weight * np.array(
                [income_loss(p) for p in people]), 1.0)
        outside = sc.market_wage * ability ** labour.market_ability_elasticity
        lo, hi = RATIO_BOUNDS
        market = np.where(new, 1.0, np.minimum(hi, np.maximum(lo, smoothed / outside))
                          ** -labour.quit_pay_elasticity)
        org = d.org
        watched = (np.array([monitoring_quit_factor(org.at(desk.index).monitoring, sc.control)
                             for desk in desks]) if org.per_desk
                   else monitoring_quit_factor(org.monitoring, sc.control))
        ratio = np.where(new, 1.0, smoothed / aspiration)
        return quit_hazards_per_day(ratio, sc.workforce, multiplier * market * watched)

    def quits_arrays(self, now: float) -> None:
        """Each person present quits with the chance their day's hazard gives: one draw
        each, in desk order. The chances and draws come in blocks; where someone quits,
        the stream is wound back to just past their draw, and the next block starts
        after their desk with the people still seated there (a departure may move a
        person up to the vacated seat; it changes no one else's hazard)."""
        d = self.d
        rng = d.streams["quit"]
        start = 0
        while True:
            seated = [desk for desk in d.desks[start:] if desk.person is not None]
            if not seated:
                return
            chance = -np.expm1(-self.quit_hazards(seated, now))
            before = rng.bit_generator.state
            quit = np.flatnonzero(rng.random(len(seated)) < chance)
            if not len(quit):
                return
            first = int(quit[0])
            rng.bit_generator.state = before
            rng.random(first + 1)
            self.depart(seated[first], now)
            start = seated[first].index + 1


__all__ = ["ARRAY_MIN_PEOPLE", "DaySplits", "DayWork", "split_days"]
