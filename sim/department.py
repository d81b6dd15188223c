"""One replication: a SimPy environment wiring the market, the people and a structure.

Time is in working days. Requests (leads, orders, booked meetings) arrive in
continuous time and wait in queues served by SimPy processes; everything that does not
wait for anything (prospecting outcomes, care contacts, churn, learning, drift,
quitting) is drawn once per day at the day's end, in array form where it concerns
accounts. A department starts ``fresh`` or from a :class:`Snapshot` of a warm-up.
"""

from __future__ import annotations

import copy
import heapq
import math
from dataclasses import dataclass

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
from .recorder import SOURCES, Recorder
from .scenario import DAYS_PER_MONTH, DAYS_PER_YEAR, Scenario
from .streams import Streams
from .structures import Structure
from .workday import LEAD, MEETING, ORDER, DaySplit, Desk, Request, split_day

OUTBOUND, INBOUND, REFERRAL, MARKETING = range(4)


@dataclass
class Snapshot:
    """A department at the end of its warm-up, as plain data; times are relative to
    the moment the structure under study takes over (time 0)."""

    accounts: Accounts
    people: list[tuple[Person, int]]  # each present person with their desk's base size
    vacancies: list[float]  # hire times of seats that were vacant
    pipeline: list[tuple[float, int, int]]
    waiting: list[tuple[int, int, float, float, float, int]]
    next_person_id: int
    monitoring: float  # the old structure's monitoring, for the adaptation ramp
    prescribed_active_share: float


class Department:
    """A sales department under one structure for one replication."""

    def __init__(self, scenario: Scenario, structure: Structure, streams: Streams,
                 snapshot: Snapshot | None = None, months: int | None = None,
                 hire_spread_days: float | None = None):
        self.sc = scenario
        self.structure = structure
        self.org = structure.org
        self.leads = structure.leads
        self.streams = streams
        self.env = simpy.Environment()
        self.hours = scenario.workforce.hours_per_day
        self.months = scenario.experiment.months if months is None else months
        self.days = self.months * DAYS_PER_MONTH
        self.rec = Recorder(self.months)
        n = self.org.seats(scenario.workforce.managers)
        self.desks = [Desk(self.env, i, role) for i, role in enumerate(self.org.roles(n))]
        self.org.make_queues(self.env, self.desks)
        self.pipeline: list[tuple[float, int, int]] = []  # (decide_at, account, source)
        self.nurturing: list[tuple[float, int]] = []  # (arrives_at, account)
        self.next_person_id = 0
        self._pending: list[float] = []  # times of hires still to come
        self.month_stats: dict[int, dict[str, float]] = {}
        self.departure_losses: list[dict[str, float]] = []  # see _track_departure
        self.adapt: dict[int, float] = {}  # person -> compliance at takeover (mature only)
        self.old_monitoring = (scenario.structures.classic.monitoring,
                               scenario.structures.classic.prescribed_active_share)
        self._decay = math.exp(-1.0 / scenario.selling.relationship_decay_days)
        self._inst = self.org.institutional_relationship
        for desk in self.desks:
            desk.open(self)
        if snapshot is None:
            self.acc = Accounts.create(scenario.market, streams["accounts"])
            spread = (scenario.workforce.hire_spread_days if hire_spread_days is None
                      else hire_spread_days)
            starts = (np.zeros(n) if spread <= 0
                      else np.sort(streams["hiring"].uniform(0.0, spread, n)))
            for desk, start in zip(self.desks, starts, strict=True):
                self._pending.append(float(start))
                self.env.process(self._hire_at(desk, float(start)))
        else:
            self._take_over(copy.deepcopy(snapshot))
        self.env.process(self._arrivals())
        self.env.process(self._days())

    # ----------------------------------------------------------------- people
    def present_desks(self) -> list[int]:
        return [d.index for d in self.desks if d.person is not None]

    def base_sizes(self) -> np.ndarray:
        owned = (self.acc.state == CLIENT) & (self.acc.owner >= 0)
        return np.bincount(self.acc.owner[owned], minlength=len(self.desks))

    def _new_person(self) -> Person:
        b = self.sc.behaviour
        rng = self.streams["hiring"]
        aspiration = b.aspiration_income * math.exp(b.aspiration_sigma * rng.standard_normal()
                                                    - b.aspiration_sigma ** 2 / 2)
        person = Person(person_id=self.next_person_id, hired_at=self.env.now,
                        aspiration=aspiration)
        person.skill = self.sc.skill.s0
        self.next_person_id += 1
        return person

    def _hire_at(self, desk: Desk, at: float):
        if at > self.env.now:
            yield self.env.timeout(at - self.env.now)
        self._seat(desk, self._new_person())
        self.rec.add("hires")

    def _seat(self, desk: Desk, person: Person, meets_clients: bool = True) -> None:
        """Seat a person; clients the seat kept meet them as a stranger, unless the
        person keeps their own clients (a takeover)."""
        person.role = desk.role.name
        self.month_stats.setdefault(person.person_id, _empty_stats())
        desk.seat(person)
        if not (meets_clients and self.org.personal):
            return
        held = np.flatnonzero((self.acc.owner == desk.index) & (self.acc.state == CLIENT))
        if len(held):
            self.acc.relationship[held] = 0.0
            self.acc.bond[held] = person.person_id

    def move_person(self, source: Desk, target: Desk, now: float) -> None:
        """Move a present person to another seat (a promotion); the old seat is vacant."""
        person = source.person
        self._close_month_for(person, source, now, left=False, moved=True)
        source.vacate()
        self._seat(target, person)
        self._requeue(source)

    # ---------------------------------------------------------------- takeover
    def _take_over(self, snap: Snapshot) -> None:
        """The structure under study takes over a warmed-up department at time 0.

        People keep their tenure, skill and income history. Seats that own clients go
        to the people with the largest bases; the rest by skill. Clients of a person
        who keeps an owning seat stay; others are handed to an owning seat (reset
        relationship, hand-off loss) or, where nobody owns clients, keep a fading bond
        with their old manager. People who lose their base or their commission quit at
        a raised hazard for a while; compliance with the new prescription starts lower
        the longer the tenure and ramps up over the adaptation period."""
        acc = self.acc = snap.accounts
        self.next_person_id = snap.next_person_id
        self.pipeline = list(snap.pipeline)
        heapq.heapify(self.pipeline)
        same = self.structure.name == "classic"
        reorg = self.sc.reorganisation
        ranked = sorted(snap.people, key=lambda pb: (-pb[1], -pb[0].skill, pb[0].person_id))
        owning = [d for d in self.desks if d.role.owns]
        others = [d for d in self.desks if not d.role.owns]
        old_desk = {p.person_id: p.desk_at_snapshot for p, _ in snap.people}
        seat_of: dict[int, Desk] = {}
        queue = list(ranked)
        for desk in owning:
            if queue:
                seat_of[queue.pop(0)[0].person_id] = desk
        queue.sort(key=lambda pb: (-pb[0].skill, pb[0].person_id))
        for desk in others:
            if queue:
                seat_of[queue.pop(0)[0].person_id] = desk
        leavers = [p for p, _ in queue]
        people = {p.person_id: p for p, _ in snap.people}
        # Clients: map each old desk's clients to the new seat of its person.
        clients = acc.clients()
        old_owner_person = {old_desk[pid]: pid for pid in old_desk}
        new_owner = np.full(len(clients), NOBODY)
        handed = np.zeros(len(clients), dtype=bool)
        for i, a in enumerate(clients):
            pid = old_owner_person.get(int(acc.owner[a]))
            desk = seat_of.get(pid) if pid is not None else None
            if not self.org.personal or not owning:
                continue  # nobody owns clients here; old bonds fade
            if desk is not None and desk.role.owns:
                new_owner[i] = desk.index
            else:
                handed[i] = True
        acc.owner[clients] = new_owner
        if handed.any():
            bases = np.bincount(new_owner[new_owner >= 0], minlength=len(self.desks))
            for i in np.flatnonzero(handed):
                target = min(owning, key=lambda d: (bases[d.index], d.index))
                new_owner[i] = target.index
                bases[target.index] += 1
            acc.owner[clients] = new_owner
            moved = clients[handed]
            survive = self.streams["handoff"].random(len(moved)) >= self.org.handoff_loss
            self._lose_clients(moved[~survive], "handoff", 0.0)
            kept = moved[survive]
            acc.relationship[kept] = 0.0
            acc.bond[kept] = -1  # set when seats are filled below
        # Opportunities follow their person, or go to the first seat.
        opps = np.flatnonzero(acc.state == OPPORTUNITY)
        for a in opps:
            pid = old_owner_person.get(int(acc.owner[a]))
            desk = seat_of.get(pid) if pid is not None else None
            acc.owner[a] = desk.index if desk is not None else 0
        # Seat the people; who lost a base or their commission may quit at a raised rate.
        base_before = {p.person_id: b for p, b in snap.people}
        for pid, desk in seat_of.items():
            person = people[pid]
            self._seat(desk, person, meets_clients=False)
            lost_base = base_before[pid] > 0 and (not desk.role.owns or not self.org.personal)
            lost_commission = base_before[pid] > 0 and not self.org.commission
            if not same and (lost_base or lost_commission):
                person.quit_boost_until = reorg.loss_quit_days
            tenure_years = person.tenure_days(0.0) / DAYS_PER_YEAR
            self.adapt[pid] = 1.0 if same else max(0.0, 1.0 - reorg.resistance_per_year
                                                   * tenure_years)
        for desk in self.desks:
            if desk.person is not None and self.org.personal:
                mine = (acc.owner == desk.index) & (acc.state == CLIENT) & (acc.bond < 0)
                acc.bond[mine] = desk.person.person_id
        vacant = [d for d in self.desks if d.person is None]
        hires = sorted(snap.vacancies) + [self.sc.workforce.vacancy_days] * len(vacant)
        for desk, at in zip(vacant, hires, strict=False):
            self.env.process(self._hire_at(desk, max(0.0, at)))
        for person in leavers:  # no seat in the new structure: they leave at once
            self._depart_person(person, None, 0.0)
        for kind, a, arrived, service, patience, source in snap.waiting:
            self._enqueue(Request(kind, a, arrived, service, patience, source))

    def snapshot(self) -> Snapshot:
        """This department's state as plain data, times shifted so that now is 0."""
        now = self.env.now
        acc = copy.deepcopy(self.acc)
        for name in ("last_care", "won_at", "lost_at"):
            setattr(acc, name, getattr(acc, name) - now)
        people = []
        bases = self.base_sizes()
        for desk in self.desks:
            if desk.person is not None:
                p = copy.deepcopy(desk.person)
                p.hired_at -= now
                p.desk_at_snapshot = desk.index
                people.append((p, int(bases[desk.index])))
        waiting = []
        for queue in {id(d.queue): d.queue for d in self.desks}.values():
            for req in queue.requests():
                waiting.append((req.kind, req.account, req.arrived - now, req.service,
                                req.patience, req.source))
        vacancies = [t - now for t in self.pending_hires]
        return Snapshot(
            accounts=acc, people=people, vacancies=vacancies,
            pipeline=[(t - now, a, s) for t, a, s in self.pipeline],
            waiting=waiting, next_person_id=self.next_person_id,
            monitoring=self.org.monitoring,
            prescribed_active_share=self.org.prescribed_active_share)

    @property
    def pending_hires(self) -> list[float]:
        return [t for t in self._pending if t > self.env.now]

    # ---------------------------------------------------------------- arrivals
    def _arrivals(self):
        """Each day's leads and client orders, drawn at the day's start, fed in time order.

        Orders of all clients form one Poisson stream per day at their summed rate;
        drawing the count per client for the day gives the same distribution."""
        d = self.sc.demand
        rng_in, rng_ord, rng_srv = (self.streams["inbound"], self.streams["orders"],
                                    self.streams["service"])
        rng_mkt = self.streams["marketing"]
        acc = self.acc
        for day in range(self.days):
            clients = acc.clients()
            self._draw_marketing_leads(day, len(clients), rng_mkt)
            brand, referral = mk.lead_rates(d, len(clients))
            n_leads = int(rng_in.poisson(brand + referral))
            ref_share = referral / (brand + referral) if brand + referral > 0 else 0.0
            prospects = acc.available_prospects()
            n_leads = min(n_leads, len(prospects))
            lead_accounts = rng_in.choice(prospects, n_leads, replace=False)
            acc.engaged[lead_accounts] = True
            lead_sources = np.where(rng_in.random(n_leads) < ref_share, REFERRAL, INBOUND)
            lead_times = day + rng_in.random(n_leads)
            nurtured = []
            while self.nurturing and self.nurturing[0][0] < day + 1:
                nurtured.append(heapq.heappop(self.nurturing))
            seg = acc.segment[clients]
            counts = rng_ord.poisson(acc.order_rate[seg])
            order_accounts = np.repeat(clients, counts)
            order_times = day + rng_ord.random(len(order_accounts))
            n_mkt = len(nurtured)
            times = np.concatenate([lead_times, [t for t, _ in nurtured], order_times])
            kinds = np.concatenate([np.full(n_leads + n_mkt, LEAD),
                                    np.full(len(order_accounts), ORDER)])
            accounts = np.concatenate([lead_accounts, np.array([a for _, a in nurtured],
                                                               dtype=np.int64),
                                       order_accounts]).astype(np.int64)
            sources = np.concatenate([lead_sources, np.full(n_mkt, MARKETING),
                                      np.zeros(len(order_accounts), dtype=int)])
            hours = np.where(kinds == LEAD, d.lead_contact_hours,
                             acc.order_hours[acc.segment[accounts]])
            if d.service_time == "exponential":
                hours = hours * rng_srv.exponential(1.0, len(hours))
            hours = self.org.service_hours(kinds, hours)
            order = np.argsort(times, kind="stable")
            for i in order:
                t = float(times[i])
                if t > self.env.now:
                    yield self.env.timeout(t - self.env.now)
                self._dispatch(int(kinds[i]), int(accounts[i]), t, float(hours[i]) / self.hours,
                               int(sources[i]))
            yield self.env.timeout(day + 1 - self.env.now)

    def _draw_marketing_leads(self, day: int, n_clients: int, rng: np.random.Generator) -> None:
        """Leads bought by the budget (ADBUDG) and by word of mouth (Bass), nurtured."""
        if self.leads.name != "automated_marketing":
            return
        acc = self.acc
        prospects = acc.available_prospects()
        paid = rng.poisson(self.leads.paid_leads_per_day())
        wom_rate = self.leads.word_of_mouth_per_day(n_clients, acc.n, len(prospects))
        self.rec.add("leads_word_of_mouth_expected", wom_rate)
        wom = rng.poisson(wom_rate)
        n = min(paid + wom, len(prospects))
        if n == 0:
            return
        self.rec.add("leads_marketing_paid", min(paid, n))
        self.rec.add("leads_word_of_mouth", n - min(paid, n))
        picked = rng.choice(prospects, n, replace=False)
        acc.engaged[picked] = True
        arrive = day + rng.random(n) + self.leads.nurture_days()
        for t, a in zip(arrive, picked, strict=True):
            heapq.heappush(self.nurturing, (float(t), int(a)))

    def _dispatch(self, kind: int, account: int, t: float, service: float, source: int) -> None:
        d = self.sc.demand
        if kind == LEAD:
            self.rec.add("leads_received")
            req = Request(LEAD, account, t, service, d.lead_patience_days, source)
        else:
            if self.acc.state[account] != CLIENT:  # left earlier today
                return
            self.rec.add("orders_received")
            req = Request(ORDER, account, t, service, d.order_patience_days)
        self._enqueue(req)

    def _enqueue(self, req: Request) -> None:
        if req.kind == LEAD:
            queue = self.org.route_lead(self, req)
        elif req.kind == MEETING:
            queue = self.org.route_meeting(self, req)
        else:
            if self.acc.state[req.account] != CLIENT:
                return
            queue = self.org.route_order(self, req.account)
        queue.put(req)

    def _requeue(self, desk: Desk) -> None:
        """Requests waiting at a desk that lost its person go where they now belong."""
        if any(d is not desk and d.queue is desk.queue for d in self.desks):
            return  # a shared queue: colleagues serve it anyway
        for req in desk.queue.take_all():
            self._enqueue(req)

    # ----------------------------------------------------- handler of requests
    def started(self, desk: Desk, req: Request, now: float) -> None:
        wait_hours = (now - req.arrived) * self.hours
        if req.kind == LEAD:
            self.rec.add("lead_wait_hours_sum", wait_hours)
            self.rec.add("lead_waits")
            if wait_hours > 0:
                self.rec.add("leads_waited")
        elif req.kind == ORDER:
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
        if req.kind == MEETING:
            if acc.state[a] == PROSPECT:
                self._open_opportunity(a, desk.index, OUTBOUND, now)
            else:
                acc.engaged[a] = False
            return
        if acc.state[a] != CLIENT:
            return  # the client left while the order waited
        self.rec.add("orders_handled")
        self._book_order(a, desk.person, now)
        person = desk.person
        if self.org.personal and person is not None and acc.bond[a] == person.person_id:
            r = acc.relationship[a]
            acc.relationship[a] = r + self.sc.selling.relationship_gain_order * (1.0 - r)

    def abandoned(self, desk: Desk, req: Request, now: float) -> None:
        a = req.account
        if req.kind in (LEAD, MEETING):
            self.rec.add("leads_lost" if req.kind == LEAD else "handoffs_lost")
            self.acc.engaged[a] = False
            return
        if self.acc.state[a] != CLIENT:
            return
        self.rec.add("orders_lost")
        if self.streams["churn"].random() < self.sc.demand.lost_order_churn_prob:
            self._lose_clients(np.array([a]), "lost_order", now)

    # ------------------------------------------------------------ money, deals
    def relationship_effect(self, accounts) -> np.ndarray:
        """The bond a client feels: personal, or the firm's institutional level."""
        return np.maximum(self.acc.relationship[accounts], self._inst)

    def order_value(self, a: int, skill: float, rng: np.random.Generator) -> float:
        acc = self.acc
        s = acc.segment[a]
        base = acc.value[a] / (acc.order_rate[s] * DAYS_PER_YEAR)
        size = 1.0 - self.sc.skill.value_weight * (1.0 - skill)
        noise = mk.lognormal_mean_one(rng, float(acc.order_value_cv[s]))
        r = acc.relationship[a]
        bond = r if r > self._inst else self._inst
        return float(base * (1.0 + acc.rho[s] * bond) * size * noise)

    def _book_order(self, a: int, person: Person | None, now: float) -> None:
        skill = person.skill if person is not None else self.sc.skill.s0
        skill = max(skill, self.org.skill_floor)
        value = self.order_value(a, skill, self.streams["order_value"])
        is_new = now - self.acc.won_at[a] <= self.sc.selling.new_client_window_days
        self.rec.add("revenue_new" if is_new else "revenue_repeat", value)
        self.acc.revenue[a] += value
        owner = int(self.acc.owner[a])
        credited = self.desks[owner].person if owner >= 0 else None
        if credited is not None:
            self.month_stats[credited.person_id]["revenue"] += value

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
            skill = max(skill, self.org.skill_floor)
            if rng.random() < acc.win_rate[acc.segment[a]] * skill:
                self._win(a, desk.index, source, now)
            else:
                acc.state[a] = LOST
                acc.owner[a] = NOBODY
                acc.lost_at[a] = now
                self.rec.add("opportunities_lost")

    def _win(self, a: int, desk: int, source: int, now: float) -> None:
        acc = self.acc
        acc.state[a] = CLIENT
        acc.won_at[a] = now
        acc.last_care[a] = now
        acc.source[a] = source
        self.rec.add("opportunities_won")
        self.rec.add(f"new_clients_{SOURCES[source]}")
        winner = self.desks[desk].person
        if winner is not None:
            self.month_stats[winner.person_id]["new_clients"] += 1
        owner, handoff = self.org.new_client_owner(self, desk)
        acc.owner[a] = owner
        keeper = self.desks[owner].person if owner >= 0 else None
        acc.relationship[a] = 0.0
        acc.bond[a] = -1
        if self.org.personal and keeper is not None:
            acc.bond[a] = keeper.person_id
            if not handoff:  # the winner's bond; a hand-off starts the keeper from zero
                acc.relationship[a] = self.sc.selling.relationship_gain_care
        self._book_order(a, winner, now)  # the winning deal is the first order
        if handoff and self.streams["handoff"].random() < self.org.handoff_loss:
            self._lose_clients(np.array([a]), "handoff", now)

    def _lose_clients(self, clients: np.ndarray, cause: str, now: float) -> None:
        if len(clients) == 0:
            return
        acc = self.acc
        acc.state[clients] = LOST
        acc.owner[clients] = NOBODY
        acc.lost_at[clients] = now
        acc.relationship[clients] = 0.0
        acc.bond[clients] = -1
        self.rec.add(f"lost_clients_{cause}", len(clients))

    def month_team_share(self, days: float) -> float:
        """A person's share of this month's revenue so far, by days worked (team bonus)."""
        m = min(self.rec.month, self.months - 1)
        worked = self.rec.c["manager_days"][m]
        revenue = self.rec.c["revenue_new"][m] + self.rec.c["revenue_repeat"][m]
        return revenue * days / worked if worked > 0 else 0.0

    # ------------------------------------------------------------ the day's end
    def _days(self):
        for day in range(self.days):
            yield self.env.timeout(day + 1 - self.env.now)
            now = self.env.now
            self._end_of_day(now)
            if (day + 1) % DAYS_PER_MONTH == 0:
                self._end_of_month(now)

    def _compliance(self, person: Person, now: float) -> float:
        c0 = self.adapt.get(person.person_id)
        if c0 is None:
            return 1.0
        ramp = self.sc.reorganisation.adaptation_days
        return 1.0 if ramp <= 0 else c0 + (1.0 - c0) * min(1.0, now / ramp)

    def _end_of_day(self, now: float) -> None:
        sc, acc, org = self.sc, self.acc, self.org
        sel = sc.selling
        n_desks = len(self.desks)
        clients = acc.clients()
        owners = acc.owner[clients]
        owned = owners >= 0
        seg = acc.segment[clients]
        value = acc.value[clients] * (1.0 + acc.rho[seg] * self.relationship_effect(clients))
        base_value = np.bincount(owners[owned], weights=value[owned], minlength=n_desks)
        is_due = (now - acc.last_care[clients]) >= sel.care_cadence_days
        due = np.bincount(owners[owned], weights=is_due[owned], minlength=n_desks)
        pool_carers = [d for d in self.desks if d.person is not None and d.role.care == "pool"]
        pool_due = float(np.count_nonzero(is_due & ~owned))
        care_rng = self.streams["care"]
        care_counts = [0] * n_desks
        prospect_hours = [0.0] * n_desks
        base_values, dues = base_value.tolist(), due.tolist()
        per_pool_carer = pool_due / max(1, len(pool_carers)) * sel.care_contact_hours
        hunting = self.leads.outbound
        touch = _touch_hours(sc)
        month = self.rec.month
        recording = month < self.months
        counters = self.rec.c
        for desk in self.desks:
            busy = desk.take_busy_days(now)
            person = desk.person
            if person is None:
                continue
            i = desk.index
            role = desk.role
            does_active = (role.prospects and hunting) or role.care is not None
            income_ratio = org.base_income(self, base_values[i]) / person.aspiration
            pi_b = behavioural_propensity(income_ratio, person.tenure_days(now), sc.behaviour)
            c = self._compliance(person, now)
            m = c * org.monitoring + (1 - c) * self.old_monitoring[0]
            presc = c * org.prescribed_active_share + (1 - c) * self.old_monitoring[1]
            pi = effective_propensity(pi_b, m, presc) if does_active else 0.0
            if role.care == "own":
                need = dues[i] * sel.care_contact_hours
            elif role.care == "pool":
                need = per_pool_carer
            else:
                need = 0.0
            split = split_day(self.hours, busy * self.hours, pi, need)
            if not (role.prospects and hunting):  # no hunting in this role
                split = DaySplit(split.reactive, split.care, 0.0, split.idle + split.prospecting)
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
            care_counts[i] = int(want) + int(care_rng.random() < want - int(want))
            prospect_hours[i] = split.prospecting
            tasks = care_counts[i] + split.prospecting / touch
            stats["tasks"] += tasks
            stats["norm_pay"] += org.daily_pay(tasks)
            if recording:
                counters["hours_reactive"][month] += split.reactive
                counters["hours_care"][month] += split.care
                counters["hours_prospecting"][month] += split.prospecting
                counters["hours_idle"][month] += split.idle
                counters["manager_days"][month] += 1.0
        care_counts = np.array(care_counts, dtype=int)
        prospect_hours = np.array(prospect_hours)
        self._care(clients, owners, care_counts, now)
        self._prospect(prospect_hours, now)
        self._decide_opportunities(now)
        self._churn(now)
        acc.relationship[acc.state == CLIENT] *= self._decay
        recaptured = (acc.state == LOST) & (now - acc.lost_at >= sc.market.recapture_cooldown_days)
        acc.state[recaptured] = PROSPECT
        self._quits(now)

    def _care(self, clients: np.ndarray, owners: np.ndarray, counts: np.ndarray,
              now: float) -> None:
        """Each carer contacts the most overdue clients in their scope (their own, or the
        pool's unowned clients), as many as the day's care hours allow."""
        if counts.sum() == 0 or len(clients) == 0:
            return
        acc, sel = self.acc, self.sc.selling
        order = np.lexsort((acc.last_care[clients], owners))
        sorted_owners = owners[order]
        chosen: list[tuple[int, np.ndarray]] = []
        pool_queue = clients[order[sorted_owners == NOBODY]]
        taken = 0
        for desk in self.desks:
            k = counts[desk.index]
            if k <= 0:
                continue
            if desk.role.care == "pool":
                picked = pool_queue[taken:taken + k]
                taken += len(picked)
            else:
                lo = np.searchsorted(sorted_owners, desk.index)
                hi = np.searchsorted(sorted_owners, desk.index, side="right")
                picked = clients[order[lo:min(hi, lo + k)]]
            if len(picked):
                chosen.append((desk.index, picked))
        rng = self.streams["care"]
        for desk_index, picked in chosen:
            acc.last_care[picked] = now
            person = self.desks[desk_index].person
            if self.org.personal:
                mine = picked[acc.bond[picked] == person.person_id]
                r = acc.relationship[mine]
                acc.relationship[mine] = r + sel.relationship_gain_care * (1.0 - r)
            skill = max(person.skill, self.org.skill_floor)
            for a in picked[rng.random(len(picked)) < sel.upsell_prob * skill]:
                self._book_order(int(a), person, now)

    def _prospect(self, hours: np.ndarray, now: float) -> None:
        """The funnel of a day's prospecting hours: dials, connects, meetings.

        A dial reaches a random account of the territory; only an available prospect
        can become a meeting, so a saturated territory slows acquisition by itself.
        A lead developer's meeting is handed to a closer's queue (and may be lost on
        the way); anyone else's meeting opens their own opportunity."""
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
            skill = max(desk.person.skill, self.org.skill_floor)
            meetings.append(rng.binomial(connects, min(1.0, sel.meeting_rate * skill * frac)))
        total = min(sum(meetings), len(available))
        if total == 0:
            return
        picked = rng.choice(available, total, replace=False)
        staged = self.sc.structures.staged
        k = 0
        for desk_index, m in enumerate(meetings):
            booked = picked[k:k + m]
            k += len(booked)
            if len(booked) == 0:
                continue
            if self.desks[desk_index].role.name == "lead_developer":
                person = self.desks[desk_index].person
                self.month_stats[person.person_id]["meetings"] += len(booked)
                self.rec.add("meetings_booked", len(booked))
                arrive = self.streams["handoff"].random(len(booked)) >= self.org.handoff_loss
                self.rec.add("handoffs_lost", int((~arrive).sum()))
                for a in booked[arrive]:
                    acc.engaged[a] = True
                    service = staged.meeting_hours / self.hours
                    self._enqueue(Request(MEETING, int(a), now, service,
                                          self.sc.demand.lead_patience_days))
            else:
                for a in booked:
                    self._open_opportunity(int(a), desk_index, OUTBOUND, now)
            if k >= total:
                break

    def _churn(self, now: float) -> None:
        acc, sel = self.acc, self.sc.selling
        clients = acc.clients()
        if len(clients) == 0:
            return
        seg = acc.segment[clients]
        neglect = np.clip((now - acc.last_care[clients]) / sel.care_cadence_days - 1.0,
                          0.0, sel.neglect_cap) * (1.0 - self.leads.reminder_effect)
        extra = sel.neglect_weight * neglect
        hazard = (acc.churn_hazard[seg] * (1.0 + extra)
                  * (1.0 - acc.rho[seg] * self.relationship_effect(clients)))
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
            boost = (self.sc.reorganisation.loss_quit_multiplier
                     if now < person.quit_boost_until else 1.0)
            hazard = quit_hazard_per_day(ratio, self.sc.workforce,
                                         desk.role.quit_multiplier * boost)
            if rng.random() < -math.expm1(-hazard):
                self._depart(desk, now)

    def _depart(self, desk: Desk, now: float) -> None:
        """A manager leaves: clients bonded to them may follow, the rest of their base is
        reassigned, a promotion may fill the seat, and a seat waits for a new hire."""
        person = desk.person
        self._track_departure(desk, person, now)
        self._close_month_for(person, desk, now, left=True)
        desk.vacate()
        self._depart_person(person, desk, now)
        acc = self.acc
        stay = np.flatnonzero((acc.owner == desk.index) & (acc.state == CLIENT))
        new_owner = self.org.reassign(self, stay, desk.index)
        acc.owner[stay] = new_owner
        for owner in np.unique(new_owner):
            keeper = self.desks[int(owner)].person
            moved = stay[new_owner == owner]
            acc.relationship[moved] = 0.0
            acc.bond[moved] = keeper.person_id if keeper is not None else -1
        opps = np.flatnonzero((acc.owner == desk.index) & (acc.state == OPPORTUNITY))
        acc.owner[opps] = self.org.reassign(self, opps, desk.index)
        self._requeue(desk)
        waiting = self.org.on_vacancy(self, desk, now)
        self._pending.append(now + self.sc.workforce.vacancy_days)
        self.env.process(self._hire_at(waiting, now + self.sc.workforce.vacancy_days))

    def _depart_person(self, person: Person, desk: Desk | None, now: float) -> None:
        """Clients whose bond is with the leaver follow with chance ``follow_rate x r``."""
        acc = self.acc
        if desk is None:  # no seat in the new structure: laid off at the takeover
            self.rec.add("layoffs")
            self.rec.manager_rows.append(_leaver_row(person, self.rec.month + 1, now))
        else:
            self.rec.add("quits")
        bonded = np.flatnonzero((acc.bond == person.person_id) & (acc.state == CLIENT))
        follow = self.streams["follow"].random(len(bonded)) < (
            self.sc.selling.follow_rate * acc.relationship[bonded])
        self._lose_clients(bonded[follow], "manager_left", now)
        rest = bonded[~follow]
        acc.relationship[rest] = 0.0
        acc.bond[rest] = -1

    def _track_departure(self, desk: Desk, person: Person, now: float) -> None:
        """Measure what a departure costs: the affected clients' sales over the next
        year against what they were expected to buy, relative to the same ratio for
        all other clients (which nets out natural churn and growth). Shi, Sridhar,
        Grewal and Lilien (Journal of Marketing 2017) report a 13-18 % loss."""
        acc = self.acc
        clients = acc.clients()
        mine = (acc.owner[clients] == desk.index) | (acc.bond[clients] == person.person_id)
        affected, control = clients[mine], clients[~mine]
        if len(affected) == 0 or len(control) == 0 or now + DAYS_PER_YEAR > self.days:
            return

        def expected(idx: np.ndarray) -> float:
            seg = acc.segment[idx]
            return float(np.sum(acc.value[idx] * (1 + acc.rho[seg]
                                                  * self.relationship_effect(idx))))

        record = {"t": now, "clients": len(affected), "expected_affected": expected(affected),
                  "expected_control": expected(control)}
        before = (acc.revenue[affected].sum(), acc.revenue[control].sum())

        def settle():
            yield self.env.timeout(DAYS_PER_YEAR)
            sales_a = acc.revenue[affected].sum() - before[0]
            sales_c = acc.revenue[control].sum() - before[1]
            ratio_c = sales_c / record["expected_control"]
            if ratio_c > 0:
                record["loss"] = 1.0 - (sales_a / record["expected_affected"]) / ratio_c
                self.departure_losses.append(record)

        self.env.process(settle())

    # ---------------------------------------------------------- the month's end
    def _end_of_month(self, now: float) -> None:
        acc = self.acc
        counts = acc.state_counts()
        self.rec.set_level("active_clients", counts[CLIENT])
        self.rec.set_level("prospects", counts[PROSPECT])
        self.rec.set_level("opportunities", counts[OPPORTUNITY])
        self.rec.set_level("lost_accounts", counts[LOST])
        self.rec.set_level("managers", len(self.present_desks()))
        self.rec.add("marketing_spend", self.leads.spend_per_month())
        acc.check()
        if counts[OPPORTUNITY] != len(self.pipeline):
            raise AssertionError("opportunities and the pipeline disagree")
        for desk in self.desks:
            if desk.person is not None:
                self._close_month_for(desk.person, desk, now, left=False)
        self.rec.month += 1

    def _close_month_for(self, person: Person, desk: Desk, now: float, left: bool,
                         moved: bool = False) -> None:
        """Pay the person for the month so far and write their manager-month row."""
        stats = self.month_stats[person.person_id]
        income = self.org.income(self, person, stats)
        self.rec.add("payroll", income)
        months = person.totals.get("months", 0) + (0 if moved else 1)
        person.totals["months"] = months
        person.totals["revenue"] = person.totals.get("revenue", 0.0) + stats["revenue"]
        if not moved and stats["days"] > 0:
            w = 1.0 / min(max(months, 1), self.sc.behaviour.income_smoothing_months)
            person.income_smoothed += w * (income * DAYS_PER_MONTH / stats["days"]
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
            "tasks": stats["tasks"],
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
        check_invariants(self, monthly, managers)
        return monthly, managers

    def queue_stats(self) -> list[dict[str, float]]:
        """Each distinct queue's monitor totals (for Little's law)."""
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
    money = monthly[["revenue_new", "revenue_repeat", "payroll", "marketing_spend"]]
    if money.isna().any().any() or (money < 0).any().any():
        problems.append("money is negative or NaN")
    if monthly["contribution"].isna().any():
        problems.append("contribution is NaN")
    if problems:
        raise InvariantError("invariant broken: " + "; ".join(problems))


def _touch_hours(sc: Scenario) -> float:
    return sc.structures.process_norm.touch_hours


def _empty_stats() -> dict[str, float]:
    return {"reactive": 0.0, "care": 0.0, "prospecting": 0.0, "idle": 0.0, "days": 0.0,
            "revenue": 0.0, "new_clients": 0.0, "propensity": 0.0, "meetings": 0.0,
            "tasks": 0.0, "norm_pay": 0.0}


def _leaver_row(person: Person, month: int, now: float) -> dict:
    """The row of someone who leaves at the takeover without working a day of it."""
    return {"month": month, "manager_id": person.person_id, "desk": -1, "role": person.role,
            "tenure_months": person.tenure_days(now) / DAYS_PER_MONTH, "skill": person.skill,
            "base_clients": 0, "hours_reactive": 0.0, "hours_care": 0.0,
            "hours_prospecting": 0.0, "hours_active": 0.0, "hours_idle": 0.0,
            "active_share": np.nan, "propensity": np.nan, "revenue": 0.0, "new_clients": 0,
            "income": 0.0, "base_income_ratio": person.base_income, "tasks": 0.0,
            "days_worked": 0.0, "left": True}
