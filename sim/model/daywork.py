"""The day's end work of the people present, over arrays: how each splits the free
hours, what it pays them at the margin, what they learn, and who quits.

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

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.model.ability import outside_option
from sim.model.control import gamed_shares, monitoring_pull, monitoring_quit_factor
from sim.model.incentives import drift_factors, drifted_propensities, hourly_aspiration
from sim.model.labour import quit_pay_factor
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

    def work_day(self, now: float, clients: np.ndarray, owners: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Split each present person's day; return care contacts and prospecting hours
        per desk. Each kind of active work gets the propensity its marginal reward
        buys (:mod:`sim.model.incentives`), pulled toward the prescription by monitoring
        (:mod:`sim.model.control`). Care need: the person's own due clients, or a share of
        the pool's."""
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
        busy_list: list[float] = []
        served_list: list[int] = []
        for desk in d.desks:
            busy = desk.take_busy_days(now)
            served, desk.served = desk.served, 0
            if desk.person is None:
                if recording:
                    counters["vacant_seat_days"][month] += 1.0
                continue
            at.append(desk.index)
            people.append(desk.person)
            busy_list.append(busy)
            served_list.append(served)
        n = len(at)
        care_counts = np.zeros(n_desks, dtype=int)
        prospect_hours = np.zeros(n_desks)
        if n == 0:
            return care_counts, prospect_hours
        care_draws = d.streams["care"].random(n)  # one per person present, in desk order
        desks = [d.desks[i] for i in at]
        roles = [desk.role for desk in desks]
        hunts = np.array([r.prospects and org.outbound_at(i, d.leads)
                          for r, i in zip(roles, at, strict=True)], dtype=bool)
        cares = np.array([r.care is not None for r in roles], dtype=bool)
        # The organisation each desk works under, and what its hooks say.
        groups: dict[int, list[int]] = {}
        for k, i in enumerate(at):
            groups.setdefault(id(org.at(i)), []).append(k)
        members = [(org.at(at[ks[0]]), org.floor_at(d, at[ks[0]]), np.array(ks))
                   for ks in groups.values()]
        skill = np.array([p.skill for p in people])
        w_p, w_c, pull, presc = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
        available = len(acc.available_prospects()) / acc.n
        for here, floor, ks in members:
            hour = d.pricing.at_many(here.work_skill_many(skill[ks], now), available,
                                     here.touch_hours)
            w_p[ks], w_c[ks] = here.rewards_many(floor, [people[k] for k in ks],
                                                 [roles[k] for k in ks], hour)
            pull[ks] = monitoring_pull(here.monitoring, sc.control)
            presc[ks] = here.prescribed_active_share
        # Propensities: drift, monitoring's pull, the share gamed.
        income = np.array([p.income_smoothed for p in people])
        fixed = np.array([p.fixed_smoothed for p in people])
        aspiration = np.array([p.aspiration for p in people])
        income_ratio = (np.maximum(0.0, income - fixed)
                        / np.maximum(1.0, aspiration - fixed))
        tenure = np.maximum(0.0, now - np.array([p.hired_at for p in people]))
        drift = drift_factors(income_ratio, tenure, b)
        hourly = hourly_aspiration(aspiration, d.hours)
        own_p = drifted_propensities(w_p, hourly, drift, b)
        own_c = drifted_propensities(w_c, hourly, drift, b)
        pi_p = np.where(hunts, pull * presc + (1.0 - pull) * own_p, 0.0)
        pi_c = np.where(cares, pull * presc + (1.0 - pull) * own_c, 0.0)
        g_p = np.where(hunts, gamed_shares(own_p, pi_p, sc.control), 0.0)
        g_c = np.where(cares, gamed_shares(own_c, pi_c, sc.control), 0.0)
        for k, p in enumerate(people):
            if p.habit is not None:  # after a switch: from old habits to the new
                c = self.compliance(p, now)
                pi_p[k] = c * pi_p[k] + (1 - c) * p.habit[0] if hunts[k] else 0.0
                pi_c[k] = c * pi_c[k] + (1 - c) * p.habit[1] if cares[k] else 0.0
        training = np.array([desk.switched_at is not None
                             and now - desk.switched_at < reorg.training_days
                             for desk in desks], dtype=bool)
        if training.any():
            pi_p = np.where(training, pi_p * (1 - reorg.training_share), pi_p)
            pi_c = np.where(training, pi_c * (1 - reorg.training_share), pi_c)
        # Care need: own due clients, or a share of the pool's.
        owned = owners >= 0
        is_due = (now - acc.last_care[clients]) >= sel.care_cadence_days
        due = np.bincount(owners[owned], weights=is_due[owned], minlength=n_desks)
        pool = np.array([r.care == "pool" for r in roles], dtype=bool)
        per_pool_carer = (float(np.count_nonzero(is_due & ~owned))
                          / max(1, int(pool.sum())) * sel.care_contact_hours)
        own_care = np.array([r.care == "own" for r in roles], dtype=bool)
        need = np.where(own_care, due[at] * sel.care_contact_hours,
                        np.where(pool, per_pool_carer, 0.0))
        reactive, care, prospecting, idle = split_days(
            d.hours, np.array(busy_list) * d.hours, pi_c, pi_p, need)
        active = care + prospecting
        hours = np.array([p.selling_hours for p in people]) + (reactive + active)
        learnt = skills_after(hours, sc.skill, np.array([p.quality for p in people]),
                              np.array([p.ability for p in people]))
        n_kinds = hunts.astype(float) + cares
        propensity = np.zeros(n)
        np.divide(pi_p + pi_c, n_kinds, out=propensity, where=n_kinds > 0)
        idle_reward = np.maximum(np.where(hunts, w_p, 0.0), np.where(cares, w_c, 0.0))
        reward = idle_reward.copy()
        np.divide(w_p * prospecting + w_c * care, active, out=reward, where=active > 0)
        # Counted work, padding and what really sells.
        logged = care / sel.care_contact_hours  # contacts logged; real ones below
        served = np.array(served_list, dtype=float)
        quick, real = np.zeros(n), np.ones(n)
        for here, floor, ks in members:
            quick[ks], real[ks] = here.padding_many(here.tasks_done_many(
                floor, logged[ks], prospecting[ks], served[ks]))
        want = logged * (1.0 - g_c) * real
        whole = np.floor(want)
        contacts = whole.astype(int) + (care_draws < want - whole)
        tasks, pay = np.zeros(n), np.zeros(n)
        for here, floor, ks in members:
            tasks[ks] = here.tasks_done_many(
                floor, contacts[ks] + logged[ks] * g_c[ks] * real[ks],
                prospecting[ks] * real[ks], served[ks]) + quick[ks]
            pay[ks] = here.daily_pay_many(tasks[ks])
        care_counts[at] = contacts
        prospect_hours[at] = prospecting * (1.0 - g_p) * real  # hours that really hunt
        # Back to the people and their month, in desk order.
        columns = np.column_stack([reactive, care, prospecting, idle, propensity, pi_p,
                                   pi_c, reward, tasks, pay]).tolist()
        for p, row, pp, pc, h, s, r, t in zip(
                people, columns, pi_p.tolist(), pi_c.tolist(), hours.tolist(),
                learnt.tolist(), income_ratio.tolist(), tasks.tolist(), strict=True):
            p.last_pi = (pp, pc)
            p.selling_hours = h
            p.skill = s
            p.base_income = r
            p.last_tasks = t
            stats = self.month_stats[p.person_id]
            stats["days"] += 1.0
            for name, value in zip(STATS, row, strict=True):
                stats[name] += value
        if recording:
            for name, values in (("hours_reactive", reactive), ("hours_care", care),
                                 ("hours_prospecting", prospecting), ("hours_idle", idle)):
                total = counters[name][month]
                for v in values.tolist():
                    total += v
                counters[name][month] = total
            counters["manager_days"][month] += float(n)
        return care_counts, prospect_hours

    # ---------------------------------------------------------------- leaving
    def quit_hazards(self, desks: list[Desk], now: float) -> np.ndarray:
        """The daily quit hazards at these desks (all seated), as
        :meth:`sim.model.workforce.Staff.quit_hazard` gives them one by one."""
        d = self.d
        sc, reorg = d.sc, d.sc.reorganisation
        people = [desk.person for desk in desks]
        smoothed = np.array([p.income_smoothed for p in people])
        new = np.array([p.totals.get("months", 0) == 0 for p in people], dtype=bool)
        ratio = np.where(new, 1.0, smoothed / np.array([p.aspiration for p in people]))
        boost = np.array([1.0 + reorg.loss_quit_weight * income_loss(p)
                          if now - p.switched_at < reorg.loss_quit_days else 1.0
                          for p in people])
        outside = np.array([outside_option(p.ability, sc.market_wage, sc.labour)
                            for p in people])
        market = np.array([1.0 if fresh else quit_pay_factor(r, sc.labour) for fresh, r in
                           zip(new.tolist(), (smoothed / outside).tolist(), strict=True)])
        watched = np.array([monitoring_quit_factor(d.org.at(desk.index).monitoring,
                                                   sc.control) for desk in desks])
        multiplier = np.array([desk.role.quit_multiplier for desk in desks]) * boost
        return quit_hazards_per_day(ratio, sc.workforce, multiplier * market * watched)

    def quits(self, now: float) -> None:
        """Each person present quits with the chance their day's hazard gives: one draw
        each, in desk order. The chances come at once; where someone quits, the stream
        is wound back to just past their draw and the rest go one by one, as a departure
        may move a person (a promotion) and so change who is left to draw."""
        d = self.d
        rng = d.streams["quit"]
        seated = [desk for desk in d.desks if desk.person is not None]
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
        for desk in d.desks[seated[first].index + 1:]:
            if desk.person is not None and rng.random() < -math.expm1(
                    -self.quit_hazards([desk], now)[0]):
                self.depart(desk, now)


__all__ = ["DaySplits", "DayWork", "split_days"]
