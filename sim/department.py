"""One replication: a SimPy environment wiring the market, the people and a structure.

Time is in working days. Requests (leads, orders) arrive in continuous time and wait
in queues served by SimPy processes; everything that does not wait for anything
(prospecting outcomes, care contacts, churn, learning, drift, quitting) is drawn once
per day at the day's end, in array form where it concerns accounts.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pandas as pd
import simpy

from . import market as mk
from .market import CLIENT, LOST, NOBODY, OPPORTUNITY, PROSPECT, Accounts
from .people import (
    Person,
    behavioural_propensity,
    effective_propensity,
    quit_hazard_per_day,
)
from .recorder import LOSS_CAUSES, SOURCES, Recorder
from .scenario import DAYS_PER_MONTH, Scenario
from .streams import Streams
from .structures import Structure
from .workday import LEAD, ORDER, Desk, Request, serve, split_day

OUTBOUND, INBOUND, REFERRAL, MARKETING = range(4)


class Department:
    """A sales department under one structure for one replication."""

    def __init__(self, scenario: Scenario, structure: Structure, streams: Streams):
        self.sc = scenario
        self.structure = structure
        self.streams = streams
        self.env = simpy.Environment()
        self.hours = scenario.workforce.hours_per_day
        self.months = scenario.experiment.months
        self.days = self.months * DAYS_PER_MONTH
        self.rec = Recorder(self.months)
        self.acc = Accounts.create(scenario.market, streams["accounts"])
        n = scenario.workforce.managers
        self.desks = [Desk(self.env, i) for i in range(n)]
        self.queues = [simpy.Store(self.env) for _ in range(n)]
        self.pipeline: list[tuple[float, int, int]] = []  # (decide_at, account, source)
        self.next_person_id = 0
        self.people: dict[int, Person] = {}
        self.month_stats: dict[int, dict[str, float]] = {}
        self.last_split: dict[int, tuple] = {}
        self._decay = math.exp(-1.0 / scenario.selling.relationship_decay_days)
        for desk, queue in zip(self.desks, self.queues, strict=True):
            self.env.process(serve(self.env, queue, desk, self))
        spread = scenario.workforce.hire_spread_days
        starts = (np.zeros(n) if spread <= 0
                  else np.sort(streams["hiring"].uniform(0.0, spread, n)))
        for desk, start in zip(self.desks, starts, strict=True):
            self.env.process(self._hire_at(desk, float(start)))
        self.env.process(self._arrivals())
        self.env.process(self._days())

    # ----------------------------------------------------------------- people
    def present_desks(self) -> list[int]:
        return [d.index for d in self.desks if d.person is not None]

    def base_sizes(self) -> np.ndarray:
        clients = self.acc.state == CLIENT
        return np.bincount(self.acc.owner[clients], minlength=len(self.desks))

    def _hire_at(self, desk: Desk, at: float):
        if at > self.env.now:
            yield self.env.timeout(at - self.env.now)
        b = self.sc.behaviour
        rng = self.streams["hiring"]
        aspiration = b.aspiration_income * math.exp(b.aspiration_sigma * rng.standard_normal()
                                                    - b.aspiration_sigma ** 2 / 2)
        person = Person(person_id=self.next_person_id, hired_at=self.env.now,
                        aspiration=aspiration, skill_s0=self.sc.skill.s0)
        person.skill = self.sc.skill.s0
        self.next_person_id += 1
        self.people[person.person_id] = person
        self.month_stats[person.person_id] = _empty_stats()
        desk.seat(person)
        self.rec.add("hires")

    # ---------------------------------------------------------------- arrivals
    def _arrivals(self):
        """Each day's leads and client orders, drawn at the day's start, fed in time order.

        Orders of all clients form one Poisson stream per day at their summed rate;
        drawing the count per client for the day gives the same distribution."""
        d = self.sc.demand
        rng_in, rng_ord, rng_srv = (self.streams["inbound"], self.streams["orders"],
                                    self.streams["service"])
        acc = self.acc
        for day in range(self.days):
            clients = acc.clients()
            n_leads = mk.inbound_lead_count(rng_in, d, len(clients))
            ref_share = mk.referral_share(d, len(clients))
            prospects = acc.available_prospects()
            n_leads = min(n_leads, len(prospects))
            lead_accounts = rng_in.choice(prospects, n_leads, replace=False)
            acc.engaged[lead_accounts] = True
            lead_sources = np.where(rng_in.random(n_leads) < ref_share, REFERRAL, INBOUND)
            lead_times = day + rng_in.random(n_leads)
            seg = acc.segment[clients]
            counts = rng_ord.poisson(acc.order_rate[seg])
            order_accounts = np.repeat(clients, counts)
            order_times = day + rng_ord.random(len(order_accounts))
            times = np.concatenate([lead_times, order_times])
            kinds = np.concatenate([np.full(n_leads, LEAD), np.full(len(order_accounts), ORDER)])
            accounts = np.concatenate([lead_accounts, order_accounts])
            sources = np.concatenate([lead_sources, np.zeros(len(order_accounts), dtype=int)])
            hours = np.where(kinds == LEAD, d.lead_contact_hours,
                             acc.order_hours[acc.segment[accounts]])
            if d.service_time == "exponential":
                hours = hours * rng_srv.exponential(1.0, len(hours))
            order = np.argsort(times, kind="stable")
            for i in order:
                t = float(times[i])
                if t > self.env.now:
                    yield self.env.timeout(t - self.env.now)
                self._dispatch(int(kinds[i]), int(accounts[i]), t, float(hours[i]) / self.hours,
                               int(sources[i]))
            yield self.env.timeout(day + 1 - self.env.now)

    def _dispatch(self, kind: int, account: int, t: float, service: float, source: int) -> None:
        d = self.sc.demand
        if kind == LEAD:
            self.rec.add("leads_received")
            desk = self.structure.route_lead(self)
            req = Request(LEAD, account, t, service, d.lead_patience_days, source)
        else:
            if self.acc.state[account] != CLIENT:  # left earlier today
                return
            self.rec.add("orders_received")
            desk = int(self.acc.owner[account])
            req = Request(ORDER, account, t, service, d.order_patience_days)
        self.queues[desk].put(req)

    # ----------------------------------------------------- handler of requests
    def started(self, desk: Desk, req: Request, now: float) -> None:
        wait_hours = (now - req.arrived) * self.hours
        if req.kind == LEAD:
            self.rec.add("lead_wait_hours_sum", wait_hours)
            self.rec.add("lead_waits")
        else:
            self.rec.add("order_wait_hours_sum", wait_hours)
            self.rec.add("order_waits")

    def completed(self, desk: Desk, req: Request, now: float) -> None:
        acc = self.acc
        a = req.account
        if req.kind == LEAD:
            self.rec.add("leads_answered")
            delay_hours = (req.started - req.arrived) * self.hours
            q = float(mk.qualify_probability(delay_hours, self.sc.demand))
            if self.streams["qualify"].random() < q and acc.state[a] == PROSPECT:
                self.rec.add("leads_qualified")
                self._open_opportunity(a, desk.index, req.source, now)
            else:
                acc.engaged[a] = False
            return
        if acc.state[a] != CLIENT:
            return  # the client left while the order waited
        self.rec.add("orders_handled")
        person = desk.person
        self._book_order(a, person, now)
        if acc.owner[a] == desk.index:
            r = acc.relationship[a]
            acc.relationship[a] = r + self.sc.selling.relationship_gain_order * (1.0 - r)

    def abandoned(self, desk: Desk, req: Request, now: float) -> None:
        a = req.account
        if req.kind == LEAD:
            self.rec.add("leads_lost")
            self.acc.engaged[a] = False
            return
        if self.acc.state[a] != CLIENT:
            return
        self.rec.add("orders_lost")
        if self.streams["churn"].random() < self.sc.demand.lost_order_churn_prob:
            self._lose_clients(np.array([a]), "lost_order", now)

    # ------------------------------------------------------------ money, deals
    def order_value(self, a: int, skill: float, rng: np.random.Generator) -> float:
        acc = self.acc
        s = acc.segment[a]
        base = acc.value[a] / (acc.order_rate[s] * mk.DAYS_PER_YEAR)
        size = 1.0 - self.sc.skill.value_weight * (1.0 - skill)
        noise = mk.lognormal_mean_one(rng, float(acc.order_value_cv[s]))
        return float(base * (1.0 + acc.rho[s] * acc.relationship[a]) * size * noise)

    def _book_order(self, a: int, person: Person | None, now: float) -> None:
        skill = person.skill if person is not None else self.sc.skill.s0
        value = self.order_value(a, skill, self.streams["order_value"])
        is_new = now - self.acc.won_at[a] <= self.sc.selling.new_client_window_days
        self.rec.add("revenue_new" if is_new else "revenue_repeat", value)
        owner = self.desks[int(self.acc.owner[a])].person
        if owner is not None:
            self.month_stats[owner.person_id]["revenue"] += value

    def _open_opportunity(self, a: int, desk: int, source: int, now: float) -> None:
        acc = self.acc
        acc.engaged[a] = False
        acc.state[a] = OPPORTUNITY
        acc.owner[a] = desk
        mean = acc.cycle_days[acc.segment[a]]
        cycle = self.streams["pipeline"].gamma(4.0, mean / 4.0)
        heapq.heappush(self.pipeline, (now + cycle, a, source))
        self.rec.add("opportunities_opened")

    def _decide_opportunities(self, now: float) -> None:
        acc = self.acc
        rng = self.streams["pipeline"]
        while self.pipeline and self.pipeline[0][0] <= now:
            _, a, source = heapq.heappop(self.pipeline)
            desk = self.desks[int(acc.owner[a])]
            skill = desk.person.skill if desk.person is not None else self.sc.skill.s0
            skill = max(skill, self.structure.skill_floor)
            if rng.random() < acc.win_rate[acc.segment[a]] * skill:
                self._win(a, source, now)
            else:
                acc.state[a] = LOST
                acc.owner[a] = NOBODY
                acc.lost_at[a] = now
                self.rec.add("opportunities_lost")

    def _win(self, a: int, source: int, now: float) -> None:
        acc = self.acc
        acc.state[a] = CLIENT
        acc.won_at[a] = now
        acc.last_care[a] = now
        acc.source[a] = source
        acc.relationship[a] = self.sc.selling.relationship_gain_care
        self.rec.add("opportunities_won")
        self.rec.add(f"new_clients_{SOURCES[source]}")
        person = self.desks[int(acc.owner[a])].person
        if person is not None:
            self.month_stats[person.person_id]["new_clients"] += 1
        self._book_order(a, person, now)  # the winning deal is the first order

    def _lose_clients(self, clients: np.ndarray, cause: str, now: float) -> None:
        if len(clients) == 0:
            return
        acc = self.acc
        acc.state[clients] = LOST
        acc.owner[clients] = NOBODY
        acc.lost_at[clients] = now
        acc.relationship[clients] = 0.0
        self.rec.add(f"lost_clients_{cause}", len(clients))

    # ------------------------------------------------------------ the day's end
    def _days(self):
        for day in range(self.days):
            yield self.env.timeout(day + 1 - self.env.now)
            now = self.env.now
            self._end_of_day(now)
            if (day + 1) % DAYS_PER_MONTH == 0:
                self._end_of_month(now)

    def _end_of_day(self, now: float) -> None:
        sc, acc = self.sc, self.acc
        sel = sc.selling
        n_desks = len(self.desks)
        clients = acc.clients()
        owners = acc.owner[clients]
        seg = acc.segment[clients]
        base_value = np.bincount(owners, weights=acc.value[clients]
                                 * (1.0 + acc.rho[seg] * acc.relationship[clients]),
                                 minlength=n_desks)
        overdue = now - acc.last_care[clients]
        due = np.bincount(owners, weights=overdue >= sel.care_cadence_days, minlength=n_desks)
        care_rng = self.streams["care"]
        care_counts = np.zeros(n_desks, dtype=int)
        prospect_hours = np.zeros(n_desks)
        for desk in self.desks:
            busy = desk.take_busy_days(now)
            person = desk.person
            if person is None:
                continue
            income_ratio = self._base_income_ratio(person, base_value[desk.index])
            pi_b = behavioural_propensity(income_ratio, person.tenure_days(now), sc.behaviour)
            pi = effective_propensity(pi_b, self.structure.monitoring,
                                      self.structure.prescribed_active_share)
            split = split_day(self.hours, busy * self.hours, pi,
                              due[desk.index] * sel.care_contact_hours)
            person.learn(split.reactive + split.active, sc.skill)
            person.base_income = income_ratio
            stats = self.month_stats[person.person_id]
            stats["reactive"] += split.reactive
            stats["care"] += split.care
            stats["prospecting"] += split.prospecting
            stats["idle"] += split.idle
            stats["days"] += 1.0
            stats["propensity"] += pi
            want = split.care / sel.care_contact_hours
            care_counts[desk.index] = int(want) + int(care_rng.random() < want - int(want))
            prospect_hours[desk.index] = split.prospecting
            for name in ("reactive", "care", "prospecting", "idle"):
                self.rec.add(f"hours_{name}", getattr(split, name))
            self.rec.add("manager_days")
        self._care(clients, owners, care_counts, now)
        self._prospect(prospect_hours, now)
        self._decide_opportunities(now)
        self._churn(now)
        acc.relationship[acc.state == CLIENT] *= self._decay
        recaptured = (acc.state == LOST) & (now - acc.lost_at >= sc.market.recapture_cooldown_days)
        acc.state[recaptured] = PROSPECT
        self._quits(now)

    def _base_income_ratio(self, person: Person, base_value: float) -> float:
        """Monthly income the manager's own base pays (salary plus commission on its
        expected revenue), relative to the manager's aspiration."""
        pay = self.sc.pay
        return (pay.salary_monthly + pay.commission_rate * base_value / 12.0) / person.aspiration

    def _care(self, clients: np.ndarray, owners: np.ndarray, counts: np.ndarray,
              now: float) -> None:
        """Each manager contacts their most overdue clients, as many as care hours allow."""
        if counts.sum() == 0 or len(clients) == 0:
            return
        acc, sel = self.acc, self.sc.selling
        order = np.lexsort((acc.last_care[clients], owners))
        sorted_owners = owners[order]
        starts = np.searchsorted(sorted_owners, np.arange(len(self.desks)))
        chosen = []
        for desk_index in np.flatnonzero(counts):
            lo = starts[desk_index]
            hi = lo + min(counts[desk_index],
                          np.searchsorted(sorted_owners, desk_index, side="right") - lo)
            chosen.append(clients[order[lo:hi]])
        if not chosen:
            return
        contacted = np.concatenate(chosen)
        acc.last_care[contacted] = now
        r = acc.relationship[contacted]
        acc.relationship[contacted] = r + sel.relationship_gain_care * (1.0 - r)
        rng = self.streams["care"]
        for a in contacted:
            person = self.desks[int(acc.owner[a])].person
            skill = person.skill if person is not None else self.sc.skill.s0
            if rng.random() < sel.upsell_prob * skill:
                self._book_order(int(a), person, now)

    def _prospect(self, hours: np.ndarray, now: float) -> None:
        """The funnel of a day's prospecting hours: dials, connects, meetings.

        A dial reaches a random account of the territory; only an available prospect
        can become a meeting, so a saturated territory slows acquisition by itself."""
        if hours.sum() <= 0:
            return
        acc, sel = self.acc, self.sc.selling
        rng = self.streams["funnel"]
        available = acc.available_prospects()
        frac = len(available) / acc.n
        meetings = []
        for desk in self.desks:
            h = hours[desk.index]
            if h <= 0 or desk.person is None:
                meetings.append(0)
                continue
            dials = rng.poisson(h * sel.dials_per_hour)
            connects = rng.binomial(dials, sel.connect_rate)
            skill = max(desk.person.skill, self.structure.skill_floor)
            meetings.append(rng.binomial(connects, min(1.0, sel.meeting_rate * skill * frac)))
        total = min(sum(meetings), len(available))
        if total == 0:
            return
        picked = rng.choice(available, total, replace=False)
        k = 0
        for desk_index, m in enumerate(meetings):
            for a in picked[k:k + m]:
                self._open_opportunity(int(a), desk_index, OUTBOUND, now)
            k += m
            if k >= total:
                break

    def _churn(self, now: float) -> None:
        acc, sel = self.acc, self.sc.selling
        clients = acc.clients()
        if len(clients) == 0:
            return
        seg = acc.segment[clients]
        neglect = np.clip((now - acc.last_care[clients]) / sel.care_cadence_days - 1.0,
                          0.0, sel.neglect_cap)
        extra = sel.neglect_weight * neglect
        hazard = (acc.churn_hazard[seg] * (1.0 + extra)
                  * (1.0 - acc.rho[seg] * acc.relationship[clients]))
        rng = self.streams["churn"]
        leave = rng.random(len(clients)) < -np.expm1(-hazard)
        if not leave.any():
            return
        leavers = clients[leave]
        by_neglect = rng.random(len(leavers)) < extra[leave] / (1.0 + extra[leave])
        self._lose_clients(leavers[by_neglect], "neglect", now)
        self._lose_clients(leavers[~by_neglect], "natural", now)

    def _quits(self, now: float) -> None:
        rng = self.streams["quit"]
        for desk in self.desks:
            person = desk.person
            if person is None:
                continue
            ratio = person.income_smoothed / person.aspiration if person.income_smoothed else 0.0
            if person.totals.get("months", 0) == 0:
                ratio = 1.0  # no income history yet: no shortfall is felt in month one
            hazard = quit_hazard_per_day(ratio, self.sc.workforce)
            if rng.random() < -math.expm1(-hazard):
                self._depart(desk, now)

    def _depart(self, desk: Desk, now: float) -> None:
        """A manager leaves: some clients follow, the rest are reassigned, the seat waits."""
        acc = self.acc
        person = desk.person
        self._close_month_for(person, desk, now, left=True)
        self.rec.add("quits")
        desk.vacate()
        mine = np.flatnonzero((acc.owner == desk.index) & (acc.state == CLIENT))
        follow = self.streams["follow"].random(len(mine)) < (
            self.sc.selling.follow_rate * acc.relationship[mine])
        self._lose_clients(mine[follow], "manager_left", now)
        stay = mine[~follow]
        new_owner = self.structure.reassign(self, stay, desk.index)
        acc.owner[stay] = new_owner
        acc.relationship[stay] = 0.0
        opps = np.flatnonzero((acc.owner == desk.index) & (acc.state == OPPORTUNITY))
        acc.owner[opps] = self.structure.reassign(self, opps, desk.index)
        waiting, self.queues[desk.index].items[:] = list(self.queues[desk.index].items), []
        for req in waiting:
            target = (self.structure.route_lead(self) if req.kind == LEAD
                      else int(acc.owner[req.account]) if acc.state[req.account] == CLIENT
                      else None)
            if target is not None:
                self.queues[target].put(req)
        self.env.process(self._hire_at(desk, now + self.sc.workforce.vacancy_days))

    # ---------------------------------------------------------- the month's end
    def _end_of_month(self, now: float) -> None:
        acc = self.acc
        counts = acc.state_counts()
        self.rec.set_level("active_clients", counts[CLIENT])
        self.rec.set_level("prospects", counts[mk.PROSPECT])
        self.rec.set_level("opportunities", counts[OPPORTUNITY])
        self.rec.set_level("lost_accounts", counts[LOST])
        self.rec.set_level("managers", len(self.present_desks()))
        acc.check()
        if counts[OPPORTUNITY] != len(self.pipeline):
            raise AssertionError("opportunities and the pipeline disagree")
        for desk in self.desks:
            if desk.person is not None:
                self._close_month_for(desk.person, desk, now, left=False)
        self.rec.month += 1

    def _close_month_for(self, person: Person, desk: Desk, now: float, left: bool) -> None:
        """Pay the person for the month so far and write their manager-month row."""
        stats = self.month_stats[person.person_id]
        income = self.structure.income(self, person, stats["days"], stats["revenue"],
                                       int(stats["new_clients"]))
        self.rec.add("payroll", income)
        months = person.totals.get("months", 0) + 1
        person.totals["months"] = months
        person.totals["revenue"] = person.totals.get("revenue", 0.0) + stats["revenue"]
        w = 1.0 / min(months, self.sc.behaviour.income_smoothing_months)
        person.income_smoothed += w * (income * DAYS_PER_MONTH / max(stats["days"], 1.0)
                                       - person.income_smoothed)
        free = stats["care"] + stats["prospecting"] + stats["idle"]
        active = stats["care"] + stats["prospecting"]
        base = int(np.count_nonzero((self.acc.owner == desk.index)
                                    & (self.acc.state == CLIENT)))
        self.rec.manager_rows.append({
            "month": self.rec.month + 1,
            "manager_id": person.person_id,
            "desk": desk.index,
            "role": person.role,
            "tenure_months": person.tenure_days(now) / DAYS_PER_MONTH,
            "skill": person.skill,
            "base_clients": base,
            "hours_reactive": stats["reactive"],
            "hours_care": stats["care"],
            "hours_prospecting": stats["prospecting"],
            "hours_active": active,
            "hours_idle": stats["idle"],
            "active_share": active / free if free > 0 else np.nan,
            "propensity": stats["propensity"] / stats["days"] if stats["days"] else np.nan,
            "revenue": stats["revenue"],
            "new_clients": int(stats["new_clients"]),
            "income": income,
            "base_income_ratio": person.base_income,
            "days_worked": stats["days"],
            "left": left,
        })
        self.month_stats[person.person_id] = _empty_stats()

    # -------------------------------------------------------------------- run
    def run(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Simulate the horizon; return the ``monthly`` and ``managers`` frames."""
        self.env.run(until=self.days + 1e-9)
        monthly = self.rec.monthly_frame(self.sc.market.gross_margin)
        managers = self.rec.managers_frame()
        return monthly, managers


def _empty_stats() -> dict[str, float]:
    return {"reactive": 0.0, "care": 0.0, "prospecting": 0.0, "idle": 0.0, "days": 0.0,
            "revenue": 0.0, "new_clients": 0.0, "propensity": 0.0}


__all__ = ["Department", "LOSS_CAUSES", "SOURCES"]
