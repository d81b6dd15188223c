"""Reorganisation: a warmed-up department as plain data, and a new structure taking
it over at time 0."""

from __future__ import annotations

import copy
import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.config.settings import DAYS_PER_MONTH, DAYS_PER_YEAR, MONTHS_PER_YEAR
from sim.model.market import CLIENT, NOBODY, OPPORTUNITY, Accounts
from sim.model.people import Person
from sim.model.workday import Desk, Request

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.floor import Replication


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
    structure: str = ""  # the structure the department was warmed up under
    history: pd.DataFrame | None = None  # its last 12 months, numbered -11..0
    pay_per_head: float = 0.0  # mean monthly pay per head over the last year of it


def snapshot(dept: Replication) -> Snapshot:
    """The department's state as plain data, times shifted so that now is 0."""
    now = dept.env.now
    acc = copy.deepcopy(dept.acc)
    for name in ("last_care", "won_at", "lost_at"):
        setattr(acc, name, getattr(acc, name) - now)
    people = []
    bases = dept.base_sizes()
    for desk in dept.desks:
        if desk.person is not None:
            p = copy.deepcopy(desk.person)
            p.hired_at -= now
            p.desk_at_snapshot = desk.index
            people.append((p, int(bases[desk.index])))
    waiting = []
    for queue in {id(d.queue): d.queue for d in dept.desks}.values():
        for req in queue.requests():
            waiting.append((req.kind, req.account, req.arrived - now, req.service,
                            req.patience, req.source))
    return Snapshot(
        accounts=acc, people=people, vacancies=[t - now for t in dept.staff.pending_hires],
        pipeline=[(t - now, a, s) for t, a, s in dept.sales.pipeline],
        waiting=waiting, next_person_id=dept.staff.next_person_id,
        structure=dept.structure.name, pay_per_head=_last_year_pay_per_head(dept),
        history=_last_year(dept))


def _last_year(dept: Replication) -> pd.DataFrame:
    """The monthly frame of the last twelve months recorded, numbered -11..0, so the
    months before a switch can be drawn beside the months after it."""
    frame = dept.rec.monthly_frame(dept.sc.market.gross_margin)
    last = frame[frame["month"] > dept.months - MONTHS_PER_YEAR].copy()
    last["month"] -= dept.months
    return last.reset_index(drop=True)


def _last_year_pay_per_head(dept: Replication) -> float:
    """Mean monthly pay per head over the last twelve months recorded."""
    end = min(dept.rec.month, dept.months)
    last = slice(max(0, end - MONTHS_PER_YEAR), end)
    counters = dept.rec.c  # arrays built once (Recorder.c copies every counter)
    heads = counters["manager_days"][last].sum() / DAYS_PER_MONTH
    return float(counters["payroll"][last].sum() / heads) if heads > 0 else 0.0


def _seats(snap: Snapshot, desks: list[Desk], rule: str = "base"
           ) -> tuple[dict[int, Desk], list[Person]]:
    """Seats that own clients go to the people with the largest bases (or, by ``rule``,
    the most skilled), the rest by skill; who is left over has no seat."""
    if rule == "skill":
        ranked = sorted(snap.people, key=lambda pb: (-pb[0].skill, pb[0].person_id))
    else:
        ranked = sorted(snap.people, key=lambda pb: (-pb[1], -pb[0].skill, pb[0].person_id))
    seat_of: dict[int, Desk] = {}
    queue = list(ranked)
    for desk in (d for d in desks if d.role.owns):
        if queue:
            seat_of[queue.pop(0)[0].person_id] = desk
    queue.sort(key=lambda pb: (-pb[0].skill, pb[0].person_id))
    for desk in (d for d in desks if not d.role.owns):
        if queue:
            seat_of[queue.pop(0)[0].person_id] = desk
    return seat_of, [p for p, _ in queue]


def take_over(dept: Replication, snap: Snapshot) -> None:
    """The structure under study takes over a warmed-up department at time 0.

    People keep their tenure, skill and income history. Seats that own clients go to
    the people with the largest bases; the rest by skill. Clients of a person who keeps
    an owning seat stay; others are handed to an owning seat (reset relationship,
    hand-off loss) or, where nobody owns clients, keep a fading bond with their old
    manager.

    Where the structure changes (a reorganisation): each person moves from the habits
    of the old structure (their last propensities) to the new behaviour, starting
    lower the longer the tenure and slower the more their income falls against the one
    before the switch, which also raises their quit hazard for a while; people train
    for a while; the people laid off are paid severance, seats vacant at the switch
    cost recruiting, the new system its set-up (and build-up, each month, see
    :meth:`sim.model.structures.Organisation.buildup_cost`); clients who lose their personal
    manager churn more for a while. All of it is ``transition_cost``."""
    acc = dept.acc = snap.accounts
    staff = dept.staff
    org = dept.org.at(0)  # in a phased roll-out every desk starts under the old one
    phased = dept.org.per_desk
    staff.next_person_id = snap.next_person_id
    dept.sales.pipeline = list(snap.pipeline)
    heapq.heapify(dept.sales.pipeline)
    dept.reorganised = dept.structure.name != snap.structure
    same = not dept.reorganised or phased  # a roll-out switches its desks after seating
    reorg = dept.sc.reorganisation
    had_owner = acc.owner[acc.clients()] >= 0
    owning = [d for d in dept.desks if d.role.owns]
    old_desk = {p.person_id: p.desk_at_snapshot for p, _ in snap.people}
    seat_of, leavers = _seats(snap, dept.desks, dept.sc.reorganisation.owning_seats_by)
    people = {p.person_id: p for p, _ in snap.people}
    # Clients: map each old desk's clients to the new seat of its person.
    clients = acc.clients()
    ownable = org.may_own(dept, clients)
    old_owner_person = {old_desk[pid]: pid for pid in old_desk}
    new_owner = np.full(len(clients), NOBODY)
    handed = np.zeros(len(clients), dtype=bool)
    for i, a in enumerate(clients):
        pid = old_owner_person.get(int(acc.owner[a]))
        desk = seat_of.get(pid) if pid is not None else None
        if not org.personal or not owning or not ownable[i]:
            continue  # nobody owns such clients here; old bonds fade
        if desk is not None and desk.role.owns:
            new_owner[i] = desk.index
        else:
            handed[i] = True
    acc.owner[clients] = new_owner
    if not same:  # clients who lost their personal manager
        dept.sales.orphans.append((clients[had_owner & (new_owner == NOBODY)], 0.0))
    if handed.any():  # nobody is seated yet: bonds are set when seats are filled below
        bases = np.bincount(new_owner[new_owner >= 0], minlength=len(dept.desks))
        hand_over(dept, clients[handed], [d.index for d in owning], bases, org.handoff_loss,
                  0.0)
    # Opportunities follow their person, or go to the first seat.
    for a in np.flatnonzero(acc.state == OPPORTUNITY):
        pid = old_owner_person.get(int(acc.owner[a]))
        desk = seat_of.get(pid) if pid is not None else None
        acc.owner[a] = desk.index if desk is not None else 0
    # Seat the people; after a switch they carry old habits and their old income.
    for pid, desk in seat_of.items():
        person = people[pid]
        staff.seat(desk, person, meets_clients=False)
        tenure_years = person.tenure_days(0.0) / DAYS_PER_YEAR
        staff.adapt[pid] = 1.0 if same else max(0.0, 1.0 - reorg.resistance_per_year
                                                * tenure_years)
        if not same:
            person.habit = person.last_pi
            person.reference_income = person.income_smoothed
    for desk in dept.desks:
        if desk.person is not None and org.personal:
            mine = (acc.owner == desk.index) & (acc.state == CLIENT) & (acc.bond < 0)
            acc.bond[mine] = desk.person.person_id
    vacant = [d for d in dept.desks if d.person is None]
    hires = sorted(snap.vacancies) + [dept.sc.workforce.vacancy_days] * len(vacant)
    for desk, at in zip(vacant, hires, strict=False):
        staff.hire_later(desk, max(0.0, at))
    for person in leavers:  # no seat in the new structure: they leave at once
        staff.person_leaves(person, None, 0.0)
    hybrid = dept.sc.structures.hybrids.get(dept.structure.name)
    pay_only = hybrid is not None and hybrid.changes_pay_only(snap.structure)
    if dept.reorganised:
        for desk in dept.desks:  # a new pay plan alone needs no training
            desk.switched_at = None if phased or pay_only else 0.0
        new_seats = max(0, len(vacant) - len(snap.vacancies))
        dept.rec.add("transition_cost", transition_start_cost(dept, leavers, new_seats))
    for kind, a, arrived, service, patience, source in snap.waiting:
        dept.demand.enqueue(Request(kind, a, arrived, service, patience, source))
    if phased:
        dept.org.first_phase(dept)


def hand_over(dept: Replication, clients: np.ndarray, owning: list[int], bases: np.ndarray,
              loss: float, now: float) -> None:
    """Hand ``clients`` one by one to the owning desk with the smallest base (``bases``,
    counted on); each is lost on the way with chance ``loss``, the others start a bond
    from zero with whoever sits at their new desk (nobody yet: no bond)."""
    acc = dept.acc
    for a in clients:
        target = min(owning, key=lambda i: (bases[i], i))
        acc.owner[a] = target
        bases[target] += 1
    survive = dept.streams["handoff"].random(len(clients)) >= loss
    dept.sales.lose_clients(clients[~survive], "handoff", now)
    kept = clients[survive]
    acc.relationship[kept] = 0.0
    for a in kept:
        keeper = dept.desks[int(acc.owner[a])].person
        acc.bond[a] = keeper.person_id if keeper is not None else -1


def transition_start_cost(dept: Replication, laid_off: list[Person], new_seats: int) -> float:
    """What the switch costs on day one: severance of ``severance_months`` of each laid-off
    person's pay, recruiting for the seats vacant because of it (``hiring_cost_months`` of
    the market wage each), and the set-up of the new structure's systems."""
    reorg = dept.sc.reorganisation
    severance = reorg.severance_months * sum(p.income_smoothed for p in laid_off)
    hiring = new_seats * reorg.hiring_cost_months * dept.sc.market_wage
    return severance + hiring + dept.org.setup_cost + dept.leads.setup_cost
