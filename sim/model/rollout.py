"""A phased roll-out: the new structure takes over a share of the desks at the switch
and the rest ``reorganisation.phase_days`` later, in one department (one market, one
set of accounts, one payroll).

Until the second phase each desk works under the old organisation (the warm-up's) or
the new one, with that structure's lead source: everything about a desk (queue and
routing, ownership, pay and its marginal rewards, monitoring, skill floor, hand-off
losses, hunting) goes through :meth:`Phased.at` and the group the desk belongs to. The
pilot is balanced by book size (:func:`pilot_ranks`), takes the new roles in proportion
(:func:`split_roles`), and at each phase the switching desks go through what a full
switch does to every desk (:func:`sim.model.reorganisation.take_over`). The rules and their
simplifications: docs/model.md, "A phased roll-out".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.config.settings import DAYS_PER_YEAR
from sim.model.market import NOBODY
from sim.model.reorganisation import hand_over
from sim.model.structures.base import LeadSource, Organisation, Role
from sim.model.workday import LEAD, MEETING

if TYPE_CHECKING:  # pragma: no cover
    import simpy

    from sim.model.floor import Replication
    from sim.model.workday import Desk, Request, RequestQueue


class _Desks(Sequence):
    """The desks of one group: indexed by the department's desk index, iterating over
    the group's own desks."""

    def __init__(self, desks: list[Desk], members: list[int]):
        self._all = desks
        self._members = members

    def __getitem__(self, i):  # type: ignore[override]
        return self._all[i]

    def __iter__(self) -> Iterator[Desk]:
        return (self._all[i] for i in self._members)

    def __len__(self) -> int:
        return len(self._members)


class Group:
    """The desks under one organisation during a roll-out: the floor its hooks see
    (:class:`sim.model.structures.Floor`), limited to the group's desks."""

    def __init__(self, dept: Replication, org: Organisation):
        self.d = dept
        self.org = org
        self.members: list[int] = []
        self.sc = dept.sc
        self.streams = dept.streams
        self.env = dept.env

    @property
    def acc(self):
        return self.d.acc

    @property
    def rec(self):
        return self.d.rec

    @property
    def desks(self) -> _Desks:
        return _Desks(self.d.desks, self.members)

    def present_desks(self) -> list[int]:
        return [i for i in self.members if self.d.desks[i].person is not None]

    def base_sizes(self) -> np.ndarray:
        return self.d.base_sizes()

    def move_person(self, source: Desk, target: Desk, now: float) -> None:
        self.d.move_person(source, target, now)

    def month_team_share(self, days: float) -> float:
        return self.d.month_team_share(days)

    def team_size(self) -> int:
        """A team bonus is shared by the whole department (its pay, :mod:`workforce`)."""
        return self.d.team_size()


class Phased(Organisation):
    """The old and the new organisation side by side, desk by desk, until the second
    phase of a roll-out (see the module's description)."""

    per_desk = True

    def __init__(self, dept: Replication, old: Organisation, new: Organisation,
                 old_leads: LeadSource):
        reorg = dept.sc.reorganisation
        self.old, self.new = old, new
        self.name = new.name
        self.share = reorg.phase_share
        self.phase_days = reorg.phase_days
        self.setup_cost = new.setup_cost
        self.groups = (Group(dept, old), Group(dept, new))
        self._group_of: list[Group] = []
        # By owner desk, and last for nobody (index -1): is the client the new group's?
        self._in_new = np.ones(1, dtype=bool)
        self._current = [0.0, 0.0]  # smooth weighted round robin of new work
        self.old_leads = old_leads
        self.new_leads = dept.leads

    # -- which organisation a desk works under
    def at(self, desk: int) -> Organisation:
        return self._group_of[desk].org

    def floor_at(self, dept, desk: int) -> Group:
        return self._group_of[desk]

    def institutional(self, owners: np.ndarray) -> np.ndarray:
        """The firm's bond: the new organisation's for clients of its desks and for
        clients nobody owns, the old one's for the others."""
        return np.where(self._in_new[owners], self.new.institutional_relationship,
                        self.old.institutional_relationship)

    # -- seats and queues: every desk starts under the old organisation
    def seats(self, managers: int) -> int:
        return managers

    def roles(self, seats: int) -> list[Role]:
        return self.old.roles(seats)

    def make_queues(self, env: simpy.Environment, desks: list[Desk]) -> None:
        self.old.make_queues(env, desks)
        self.groups[0].members[:] = [d.index for d in desks]
        self._group_of = [self.groups[0]] * len(desks)
        self._in_new = np.append(np.zeros(len(desks), dtype=bool), True)

    # -- routing
    def _group_for_new_work(self) -> Group:
        """A group in proportion to its people present now, by a smooth weighted round
        robin (each group gains its weight, the chosen one gives back the total): no
        random draw, so the other streams are untouched, and no catching up for past
        shares when the headcounts change."""
        weights = [len(g.present_desks()) or (0.5 if g.members else 0.0)
                   for g in self.groups]
        total = sum(weights)
        for k, w in enumerate(weights):
            self._current[k] = self._current[k] + w if w else 0.0
        best = max((k for k, w in enumerate(weights) if w), key=lambda k: self._current[k])
        self._current[best] -= total
        return self.groups[best]

    # -- the lead source of each desk's structure
    def outbound_at(self, desk: int, leads: LeadSource) -> bool:
        group = self._group_of[desk]
        return (self.new_leads if group is self.groups[1] else self.old_leads).outbound

    def reminder_effect(self, owners: np.ndarray, leads: LeadSource) -> np.ndarray:
        """Automated reminders reach the new group's clients (and unowned ones)."""
        return np.where(self._in_new[owners], self.new_leads.reminder_effect,
                        self.old_leads.reminder_effect)

    @staticmethod
    def _scaled(group: Group, req: Request) -> None:
        """The service time of the group the request was routed to (a pool's penalty)."""
        if req.kind == MEETING:
            return
        factor = float(group.org.service_hours(np.array([req.kind]), np.ones(1),
                                               group.acc.segment[req.account:req.account + 1])[0])
        if factor != req.scale:
            req.service *= factor / req.scale
            req.scale = factor

    def queue_for(self, dept, req: Request) -> RequestQueue:
        """A new lead goes to a group by its people present; an order to its owner's
        group (the new group's where nobody owns the client); a booked meeting to the
        group that books meetings. The request takes that group's service time."""
        if req.kind == LEAD:
            group = self._group_for_new_work()
        elif req.kind == MEETING:
            group = next((g for g in reversed(self.groups) if g.members
                          and any(d.role.books_meetings for d in g.desks)), self.groups[1])
        else:
            owner = int(dept.acc.owner[req.account])
            group = (self._group_of[owner] if owner >= 0
                     else self.groups[1] if self.groups[1].members else self.groups[0])
        self._scaled(group, req)
        return group.org.queue_for(group, req)

    # -- ownership and vacancies: the leaving desk's group decides
    def new_client_owner(self, dept, desk: int, account: int) -> tuple[int, bool]:
        group = self._group_of[desk]
        return group.org.new_client_owner(group, desk, account)

    def reassign(self, dept, clients: np.ndarray, leaving: int) -> np.ndarray:
        group = self._group_of[leaving]
        return group.org.reassign(group, clients, leaving)

    def on_vacancy(self, dept, desk: Desk, now: float) -> Desk:
        group = self._group_of[desk.index]
        return group.org.on_vacancy(group, desk, now)

    def service_hours(self, kinds, hours, segments):
        """Left as drawn: the group a request is routed to sets its service time."""
        return hours

    # -- the switch
    def start(self, reorganised: bool) -> None:
        self.old.start(False)
        self.new.start(True)

    def buildup_cost(self, now: float) -> float:
        return self.new.buildup_cost(now)

    def overhead_per_month(self, dept) -> float:
        return sum(g.org.overhead_per_month(g) for g in self.groups if g.members)

    def first_phase(self, dept: Replication) -> None:
        """The pilot switches now; the rest after ``phase_days``."""
        n = len(dept.desks)
        k = min(n, max(1, round(self.share * n)))
        bases = dept.base_sizes()
        ranked = sorted(range(n), key=lambda i: (-bases[i], i))
        pilot = sorted(ranked[r] for r in pilot_ranks(n, k))
        rest = [i for i in range(n) if i not in pilot]
        pilot_roles, rest_roles = split_roles(self.new.roles(n), len(pilot))
        self.switch(dept, pilot, pilot_roles, 0.0)
        if rest:
            dept.env.process(self._second_phase(dept, rest, rest_roles))

    def _second_phase(self, dept: Replication, rest: list[int], roles: list[Role]):
        yield dept.env.timeout(self.phase_days)
        yield dept.env.timeout(0)  # after that day's end (and month's end) are done
        self.switch(dept, rest, roles, dept.env.now)

    def switch(self, dept: Replication, desks: list[int], roles: list[Role], now: float
               ) -> None:
        """Desks ``desks`` come under the new organisation with ``roles``."""
        old_group, new_group = self.groups
        reorg = dept.sc.reorganisation
        staff = dept.staff
        joining = [dept.desks[i] for i in desks]
        members_before = [dept.desks[i] for i in new_group.members]
        for desk in joining:  # the month so far is paid under the old plan
            person = desk.person
            if person is not None and staff.month_stats[person.person_id]["days"] > 0:
                staff.close_month_for(person, desk, now, left=False, moved=True)
        # Roles: those that own clients to the largest bases (or the most skilled).
        bases = dept.base_sizes()
        if reorg.owning_seats_by == "skill":
            def rank(i):
                person = dept.desks[i].person
                return (-(person.skill if person is not None else -1.0), i)
        else:
            def rank(i):
                return (-bases[i], i)
        for i, role in zip(sorted(desks, key=rank), sorted(roles, key=lambda r: not r.owns),
                           strict=True):
            dept.desks[i].role = role
            if dept.desks[i].person is not None:
                dept.desks[i].person.role = role.name
        for i in desks:
            old_group.members.remove(i)
            new_group.members.append(i)
            self._group_of[i] = new_group
            self._in_new[i] = True
        new_group.members.sort()
        # Queues: the desks' own waiting requests are routed again.
        waiting = [req for desk in joining
                   if not any(d is not desk and d.queue is desk.queue for d in dept.desks)
                   for req in desk.queue.take_all()]
        old_queues = [desk.queue for desk in joining]
        if members_before:
            self.new.extend_queues(dept.env, members_before, joining)
        else:
            self.new.make_queues(dept.env, joining)
        for desk, queue in zip(joining, old_queues, strict=True):
            new_queue, desk.queue = desk.queue, queue
            desk.change_queue(new_queue)
        # People: from their old habits, against their old income.
        for desk in joining:
            desk.switched_at = now
            person = desk.person
            if person is None:
                continue
            tenure_years = person.tenure_days(now) / DAYS_PER_YEAR
            staff.adapt[person.person_id] = max(0.0, 1.0 - reorg.resistance_per_year
                                                * tenure_years)
            person.habit = person.last_pi
            person.reference_income = person.income_smoothed
            person.switched_at = now
        self._move_clients(dept, now)
        for req in waiting:  # routed by the owners they have now
            dept.demand.enqueue(req)

    def _move_clients(self, dept: Replication, now: float) -> None:
        """Clients of the new group's desks whose role cannot own them, and clients
        nobody owns, go to an owning desk of the new group where the new organisation
        has personal managers and may own them (hand-off loss, a new bond); clients the
        new organisation cannot give a personal manager lose theirs (orphans)."""
        acc, new = dept.acc, self.new
        group = self.groups[1]
        owns = np.append(np.array([d.role.owns for d in dept.desks]), False)
        clients = acc.clients()
        owners = acc.owner[clients]
        concerned = clients[self._in_new[owners] & ~owns[owners]]
        if len(concerned) == 0:
            return
        owning = [i for i in group.members if dept.desks[i].role.owns]
        ownable = (new.may_own(group, concerned) if new.personal and owning
                   else np.zeros(len(concerned), dtype=bool))
        orphans = concerned[~ownable & (acc.owner[concerned] >= 0)]
        if len(orphans):
            acc.owner[orphans] = NOBODY
            dept.sales.orphans.append((orphans, now))
        handed = concerned[ownable]
        if len(handed):
            bases = np.bincount(owners[owners >= 0], minlength=len(dept.desks))
            hand_over(dept, handed, owning, bases, new.handoff_loss, now)


def pilot_ranks(n: int, k: int) -> list[int]:
    """``k`` of the ranks ``0 .. n-1``: one in each of ``k`` equal stretches, the middle
    one, mirrored in every other stretch (serpentine), so neither group takes the
    larger book of every pair.

    >>> pilot_ranks(10, 5), pilot_ranks(6, 3), pilot_ranks(4, 4)
    ([1, 2, 5, 6, 9], [1, 2, 5], [0, 1, 2, 3])
    """
    ranks = []
    for j in range(k):
        start, end = -(-j * n // k), -(-(j + 1) * n // k) - 1
        middle = max(start, min(end, (2 * j + 1) * n // (2 * k)))
        ranks.append(middle if j % 2 == 0 else end - (middle - start))
    return ranks


def split_roles(roles: list[Role], k: int) -> tuple[list[Role], list[Role]]:
    """``k`` of ``roles`` for the pilot, in proportion to each role's count (largest
    remainder), and the rest.

    >>> from sim.model.structures.base import Role
    >>> h, a = Role("wins", owns=False), Role("keeps")
    >>> pilot, rest = split_roles([h] * 3 + [a] * 7, 5)
    >>> [r.name for r in pilot].count("wins"), len(rest)
    (2, 5)
    """
    names = list(dict.fromkeys(r.name for r in roles))
    by_name = {r.name: r for r in roles}
    counts = np.array([sum(r.name == n for r in roles) for n in names])
    raw = counts * k / len(roles)
    take = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - take), kind="stable")[: k - take.sum()]:
        take[i] += 1
    owning = [i for i, n in enumerate(names) if by_name[n].owns]
    if owning and k and not any(take[i] for i in owning):  # someone must keep clients
        give = int(np.argmax(take))
        take[give] -= 1
        take[owning[0]] += 1
    pilot = [by_name[n] for n, t in zip(names, take, strict=True) for _ in range(t)]
    rest = [by_name[n] for n, c, t in zip(names, counts, take, strict=True)
            for _ in range(c - t)]
    return pilot, rest
