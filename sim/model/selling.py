"""Selling: what becomes of requests, the pipeline of opportunities, wins and orders,
proactive care, the prospecting funnel and client churn.

``Sales`` is the handler the desks call when they start, finish or give up a request
(see :class:`sim.model.workday.Handler`); the day's script calls the rest once a day.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

import numpy as np

from sim.config.settings import DAYS_PER_YEAR
from sim.model import market as mk
from sim.model.market import CLIENT, LOST, NOBODY, OPPORTUNITY, PROSPECT
from sim.model.people import Person
from sim.model.recorder import SOURCES
from sim.model.saturation import contact_response, leave_chance, prospect_interval
from sim.model.streams import Draws
from sim.model.workday import LEAD, MEETING, ORDER, Desk, Request

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.floor import Replication

OUTBOUND, INBOUND, REFERRAL, MARKETING = range(4)


class Sales:
    """Deals and clients of one department."""

    def __init__(self, dept: Replication):
        self.d = dept
        self.pipeline: list[tuple[float, int, int]] = []  # (decide_at, account, source)
        self.inst = dept.org.institutional_relationship
        self.orphans: list[tuple[np.ndarray, float]] = []  # clients who lost their manager
        # at a switch, and when
        # Per-request draws in blocks (the streams have no other consumer).
        self._qualify = Draws(dept.streams["qualify"].random)
        self._value_noise = Draws(dept.streams["order_value"].standard_normal)

    def skill_at(self, person: Person | None, now: float, desk: int) -> float:
        """The skill a piece of work is done at desk ``desk``: the person's (a beginner's
        ``s0`` where the seat is empty), as the organisation lets it count (a floor, a
        script)."""
        raw = person.skill if person is not None else self.d.sc.skill.s0
        return self.d.org.at(desk).work_skill(raw, now)

    # ----------------------------------------------------- handler of requests
    def started(self, desk: Desk, req: Request, now: float) -> None:
        rec = self.d.rec
        wait_hours = (now - req.arrived) * self.d.hours
        if req.kind == LEAD:
            rec.add("lead_wait_hours_sum", wait_hours)
            rec.add("lead_waits")
            if wait_hours > 0:
                rec.add("leads_waited")
        elif req.kind == ORDER:
            rec.add("order_wait_hours_sum", wait_hours)
            rec.add("order_waits")

    def completed(self, desk: Desk, req: Request, now: float) -> None:
        d = self.d
        acc = d.acc
        a = req.account
        if req.kind == LEAD:
            d.rec.add("leads_answered")
            delay_hours = (req.started - req.arrived) * d.hours
            q = mk.qualify_probability(delay_hours, d.sc.demand)
            if self._qualify() < q and acc.state[a] == PROSPECT:
                d.rec.add("leads_qualified")
                self.open_opportunity(a, desk.index, req.source, now)
            else:
                acc.engaged[a] = False
            return
        if req.kind == MEETING:
            if acc.state[a] == PROSPECT:
                self.open_opportunity(a, desk.index, OUTBOUND, now)
            else:
                acc.engaged[a] = False
            return
        if acc.state[a] != CLIENT:
            return  # the client left while the order waited
        d.rec.add("orders_handled")
        value = self.book_order(a, desk.person, now, desk.index)
        if d.journal is not None:
            d.journal.order(a, self.deal_owner(a, desk.index), req.arrived, now, True, value)
        person = desk.person
        if d.org.at(desk.index).personal and person is not None and acc.bond[a] == person.person_id:
            r = acc.relationship[a]
            acc.relationship[a] = r + d.sc.selling.relationship_gain_order * (1.0 - r)

    def abandoned(self, desk: Desk, req: Request, now: float) -> None:
        d = self.d
        a = req.account
        if req.kind in (LEAD, MEETING):
            d.rec.add("leads_lost" if req.kind == LEAD else "handoffs_lost")
            d.acc.engaged[a] = False
            return
        if d.acc.state[a] != CLIENT:
            return
        d.rec.add("orders_lost")
        if d.journal is not None:
            d.journal.order(a, self.deal_owner(a, desk.index), req.arrived, now, False,
                            self.expected_order(a))
        if d.streams["churn"].random() < d.sc.demand.lost_order_churn_prob:
            self.lose_clients(np.array([a]), "lost_order", now)

    # ------------------------------------------------------------ money, deals
    def relationship_effect(self, accounts) -> np.ndarray:
        """The bond a client feels: personal, or the firm's institutional level."""
        inst = self.d.org.institutional(self.d.acc.owner[accounts]) if (
            self.d.org.per_desk) else self.inst
        return np.maximum(self.d.acc.relationship[accounts], inst)

    def order_value(self, a: int, skill: float) -> float:
        """One order of account ``a``: its expected order, raised by the bond, scaled by
        skill, times a mean-one lognormal noise (drawn only where the CV is positive)."""
        acc = self.d.acc
        s = acc.segment[a]
        base = acc.value[a] / (acc.order_rate[s] * DAYS_PER_YEAR)
        size = 1.0 - self.d.sc.skill.value_weight * (1.0 - skill)
        noise = mk.lognormal_mean_one(self._value_noise, float(acc.order_value_cv[s]))
        r = acc.relationship[a]
        inst = float(self.d.org.institutional(acc.owner[a:a + 1])[0]) if (
            self.d.org.per_desk) else self.inst
        bond = r if r > inst else inst
        return float(base * (1.0 + acc.rho[s] * bond) * size * noise)

    def expected_order(self, a: int) -> float:
        """The value of one order of account ``a`` before skill, bond and noise."""
        acc = self.d.acc
        return float(acc.value[a] / (acc.order_rate[acc.segment[a]] * DAYS_PER_YEAR))

    def deal_owner(self, a: int, desk: int) -> int:
        """Whom the journal credits a deal of account ``a`` to: the person at the owning
        desk (or who sat there last), or at the desk that served it where none owns it."""
        d = self.d
        owner = int(d.acc.owner[a])
        at = owner if owner >= 0 else desk
        return d.journal.owner_of(at, d.desks[at].person)

    def book_order(self, a: int, person: Person | None, now: float, desk: int) -> float:
        d = self.d
        value = self.order_value(a, self.skill_at(person, now, desk))
        is_new = now - d.acc.won_at[a] <= d.sc.selling.new_client_window_days
        d.rec.add("revenue_new" if is_new else "revenue_repeat", value)
        d.acc.revenue[a] += value
        owner = int(d.acc.owner[a])
        credited = d.desks[owner].person if owner >= 0 else None
        if credited is not None:
            d.staff.month_stats[credited.person_id]["revenue"] += value
        return value

    def open_opportunity(self, a: int, desk: int, source: int, now: float) -> None:
        acc = self.d.acc
        acc.engaged[a] = False
        acc.state[a] = OPPORTUNITY
        acc.owner[a] = desk
        mean = acc.cycle_days[acc.segment[a]]
        shape = self.d.sc.selling.cycle_shape
        cycle = self.d.streams["pipeline"].gamma(shape, mean / shape)
        heapq.heappush(self.pipeline, (now + cycle, a, source))
        self.d.rec.add("opportunities_opened")
        j = self.d.journal
        if j is not None:
            j.opened(a, j.owner_of(desk, self.d.desks[desk].person), source, now)

    def decide_opportunities(self, now: float) -> None:
        d = self.d
        acc = d.acc
        rng = d.streams["pipeline"]
        while self.pipeline and self.pipeline[0][0] <= now:
            _, a, source = heapq.heappop(self.pipeline)
            desk = d.desks[int(acc.owner[a])]
            win = acc.win_rate[acc.segment[a]] * d.org.at(desk.index).win_factor(now)
            if rng.random() < win * self.skill_at(desk.person, now, desk.index):
                self.win(a, desk.index, source, now)
            else:
                acc.state[a] = LOST
                acc.owner[a] = NOBODY
                acc.lost_at[a] = now
                d.rec.add("opportunities_lost")
                if d.journal is not None:
                    d.journal.decided(a, d.journal.owner_of(desk.index, desk.person), now,
                                      False, self.expected_order(a))

    def win(self, a: int, desk: int, source: int, now: float) -> None:
        d = self.d
        acc = d.acc
        acc.state[a] = CLIENT
        acc.won_at[a] = now
        acc.last_care[a] = now
        acc.source[a] = source
        d.rec.add("opportunities_won")
        d.rec.add(f"new_clients_{SOURCES[source]}")
        winner = d.desks[desk].person
        if winner is not None:
            d.staff.month_stats[winner.person_id]["new_clients"] += 1
        owner, handoff = d.org.new_client_owner(d, desk, a)
        acc.owner[a] = owner
        keeper = d.desks[owner].person if owner >= 0 else None
        acc.relationship[a] = 0.0
        acc.bond[a] = -1
        if owner >= 0 and d.org.at(owner).personal and keeper is not None:
            acc.bond[a] = keeper.person_id
            if not handoff:  # the winner's bond; a hand-off starts the keeper from zero
                acc.relationship[a] = d.sc.selling.initial_relationship
        value = self.book_order(a, winner, now, desk)  # the winning deal is the first order
        if d.journal is not None:
            d.journal.decided(a, d.journal.owner_of(desk, winner), now, True, value)
            d.journal.client_won(a, int(acc.segment[a]), now)
        if handoff and d.streams["handoff"].random() < d.org.at(desk).handoff_loss:
            self.lose_clients(np.array([a]), "handoff", now)

    def lose_clients(self, clients: np.ndarray, cause: str, now: float) -> None:
        if len(clients) == 0:
            return
        acc = self.d.acc
        acc.state[clients] = LOST
        acc.owner[clients] = NOBODY
        acc.lost_at[clients] = now
        acc.relationship[clients] = 0.0
        acc.bond[clients] = -1
        self.d.rec.add(f"lost_clients_{cause}", len(clients))
        if self.d.journal is not None:
            self.d.journal.clients_lost(clients, now)

    # ------------------------------------------------------- the day's selling
    def care(self, clients: np.ndarray, owners: np.ndarray, counts: np.ndarray,
             now: float) -> None:
        """Each carer contacts the most overdue clients in their scope (their own, or the
        pool's unowned clients), as many as the day's care hours allow."""
        if counts.sum() == 0 or len(clients) == 0:
            return
        d = self.d
        acc, sel = d.acc, d.sc.selling
        order = np.lexsort((acc.last_care[clients], owners))
        sorted_owners = owners[order]
        pool_queue = clients[order[sorted_owners == NOBODY]]
        desks = np.arange(len(d.desks))
        los = np.searchsorted(sorted_owners, desks).tolist()
        his = np.searchsorted(sorted_owners, desks, side="right").tolist()
        parts, carers, sizes = [], [], []
        taken = 0
        for desk, k in zip(d.desks, counts.tolist(), strict=True):
            if k <= 0:
                continue
            if desk.role.care == "pool":
                picked = pool_queue[taken:taken + k]
                taken += len(picked)
            else:
                lo = los[desk.index]
                picked = clients[order[lo:min(his[desk.index], lo + k)]]
            if len(picked):
                parts.append(picked)
                carers.append(desk.index)
                sizes.append(len(picked))
        if not parts:
            return
        # One pass over every contact of the day, in desk order (the scopes are
        # disjoint, so the order in which the desks' contacts are booked is immaterial
        # but for the draws, which come in the same order as desk by desk).
        picked = np.concatenate(parts)
        response = contact_response(now - acc.last_care[picked], sel)  # saturation
        acc.last_care[picked] = now
        people = [d.desks[i].person for i in carers]
        bonded = np.repeat([p.person_id if d.org.at(i).personal else NOBODY
                            for i, p in zip(carers, people, strict=True)], sizes)
        bonds = (bonded != NOBODY) & (acc.bond[picked] == bonded)
        mine = picked[bonds]
        r = acc.relationship[mine]
        gain = sel.relationship_gain_care * response[bonds]
        acc.relationship[mine] = r + gain * (1.0 - r)
        chance = np.repeat([sel.upsell_prob * self.skill_at(p, now, i)
                            for i, p in zip(carers, people, strict=True)], sizes) * response
        which = np.repeat(np.arange(len(carers)), sizes)
        sold = np.flatnonzero(d.streams["care"].random(len(picked)) < chance)
        annoyed = np.flatnonzero(response < 1.0)
        if len(annoyed):  # contacted too often: some leave (after this contact's order)
            leave = d.streams["contact"].random(len(annoyed)) < leave_chance(
                response[annoyed], sel)
            leaving = picked[annoyed[leave]]
        else:
            leaving = picked[:0]
        for a, j in zip(picked[sold].tolist(), which[sold].tolist(), strict=True):
            desk_index = carers[j]
            value = self.book_order(a, people[j], now, desk_index)
            if d.journal is not None:
                d.journal.order(a, self.deal_owner(a, desk_index), now, now, True, value)
        self.lose_clients(leaving, "contact", now)

    def prospect(self, hours: np.ndarray, now: float) -> None:
        """The funnel of a day's prospecting hours: dials, connects, meetings.

        A dial reaches a random account of the territory; only an available prospect
        can become a meeting, so a saturated territory slows acquisition by itself.
        A role that books meetings for others hands each to the organisation's meeting
        queue (it may be lost on the way); anyone else's meeting opens their own
        opportunity."""
        if hours.sum() <= 0:
            return
        d = self.d
        acc, sel = d.acc, d.sc.selling
        rng = d.streams["funnel"]
        available = acc.available_prospects()
        frac = len(available) / acc.n
        # Connects spread over the available prospects: reached too often, they answer less.
        frac *= float(contact_response(prospect_interval(
            float(hours.sum()) * sel.dials_per_hour * sel.connect_rate, len(available)), sel))
        meetings = []
        for desk in d.desks:
            h = hours[desk.index]
            if h <= 0 or desk.person is None:
                meetings.append(0)
                continue
            dials = rng.poisson(h * sel.dials_per_hour)
            connects = rng.binomial(dials, sel.connect_rate)
            skill = self.skill_at(desk.person, now, desk.index)
            meetings.append(rng.binomial(connects, min(1.0, sel.meeting_rate * skill * frac)))
        total = min(sum(meetings), len(available))
        if total == 0:
            return
        picked = rng.choice(available, total, replace=False)
        k = 0
        for desk_index, m in enumerate(meetings):
            booked = picked[k:k + m]
            k += len(booked)
            if len(booked) == 0:
                continue
            desk = d.desks[desk_index]
            if desk.role.books_meetings:
                d.staff.month_stats[desk.person.person_id]["meetings"] += len(booked)
                d.rec.add("meetings_booked", len(booked))
                here = d.org.at(desk_index)
                arrive = d.streams["handoff"].random(len(booked)) >= here.handoff_loss
                d.rec.add("handoffs_lost", int((~arrive).sum()))
                for a in booked[arrive]:
                    acc.engaged[a] = True
                    service = here.meeting_hours / d.hours
                    d.demand.enqueue(Request(MEETING, int(a), now, service,
                                             d.sc.demand.lead_patience_days))
            else:
                for a in booked:
                    self.open_opportunity(int(a), desk_index, OUTBOUND, now)
            if k >= total:
                break

    def churn(self, now: float) -> None:
        d = self.d
        acc, sel = d.acc, d.sc.selling
        clients = acc.clients()
        if len(clients) == 0:
            return
        seg = acc.segment[clients]
        neglect = np.clip((now - acc.last_care[clients]) / sel.care_cadence_days - 1.0,
                          0.0, sel.neglect_cap) * (1.0 - d.org.reminder_effect(
                              acc.owner[clients], d.leads))
        extra = sel.neglect_weight * neglect
        hazard = (acc.churn_hazard[seg] * (1.0 + extra)
                  * (1.0 - acc.rho[seg] * self.relationship_effect(clients)))
        reorg = d.sc.reorganisation
        for orphans, since in self.orphans:
            if len(orphans) and now - since < reorg.orphan_days:
                hazard[np.isin(clients, orphans)] *= reorg.orphan_churn_multiplier
        rng = d.streams["churn"]
        leave = rng.random(len(clients)) < -np.expm1(-hazard)
        if not leave.any():
            return
        leavers = clients[leave]
        by_neglect = rng.random(len(leavers)) < extra[leave] / (1.0 + extra[leave])
        self.lose_clients(leavers[by_neglect], "neglect", now)
        self.lose_clients(leavers[~by_neglect], "natural", now)

    def fade_and_recapture(self, now: float, decay: float) -> None:
        """Relationships fade a day's worth; lost accounts past the cooldown are
        prospects again."""
        acc = self.d.acc
        np.multiply(acc.relationship, decay, out=acc.relationship, where=acc.state == CLIENT)
        recaptured = ((acc.state == LOST)
                      & (now - acc.lost_at >= self.d.sc.market.recapture_cooldown_days))
        acc.state[recaptured] = PROSPECT
