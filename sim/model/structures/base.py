"""What a structure decides, over the shared mechanisms of the department.

A structure is a composition of two small parts:

- an **organisation** (:class:`Organisation`): the roles of the seats, which queue a
  request joins, who owns a won client, how a leaver's clients are reassigned, pay,
  and how closely work is monitored;
- a **lead source** (:class:`LeadSource`): the sales team's own inbound and outbound
  work, or automated marketing that buys leads and sends reminders instead.

``classic`` is the classic organisation with sales leads; ``automated_marketing`` is
the dispatch organisation with marketing leads; a hybrid such as a ticket pool fed by
automated marketing is the pool organisation with marketing leads, and needs no code
of its own. The department calls these hooks; everything else (demand, queues,
learning, drift, churn, turnover) is shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import simpy

from sim.config.settings import DAYS_PER_MONTH
from sim.model.control import scripted_skill, scripted_skills, supervision_cost
from sim.model.workday import LEAD, MEETING, PriorityRequestQueue, RequestQueue

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.scenario import Scenario
    from sim.model.incentives import HourValue
    from sim.model.market import Accounts
    from sim.model.people import Person
    from sim.model.recorder import Recorder
    from sim.model.streams import Streams
    from sim.model.workday import Desk, Request


class Floor(Protocol):
    """What a structure's hooks may see of a department: the scenario, its random
    streams, the accounts and the desks, the month's records, and a few questions about
    people. A hook can be tested against a small fake with these attributes."""

    sc: Scenario
    streams: Streams
    acc: Accounts
    desks: list[Desk]
    rec: Recorder
    env: Any

    def present_desks(self) -> list[int]: ...
    def base_sizes(self) -> np.ndarray: ...
    def move_person(self, source: Desk, target: Desk, now: float) -> None: ...
    def month_team_share(self, days: float) -> float: ...
    def team_size(self) -> int: ...


def team_rewards(rate: float, value: HourValue, team: int) -> tuple[float, float]:
    """Marginal pay of an hour of prospecting and of care from a team bonus of ``rate``
    on revenue shared by ``team`` people: each gets about 1/N of what the hour brings
    (free-riding, Holmström 1982)."""
    n = max(1, team)
    return rate * value.new_revenue / n, rate * value.care_revenue / n


def by_role(roles: list[Role]) -> dict[str, np.ndarray]:
    """Positions of each role's name in ``roles`` (the array hooks work role by role)."""
    names = np.array([r.name for r in roles])
    return {str(n): np.flatnonzero(names == n) for n in dict.fromkeys(names.tolist())}


def personal_queue(env: simpy.Environment, priorities: dict[str, int] | None) -> RequestQueue:
    """A desk's own queue: first come first served, or by priority of request kind."""
    if priorities is None or len(set(priorities.values())) == 1:
        return RequestQueue(env)
    return PriorityRequestQueue(env, priorities)


@dataclass(frozen=True)
class Role:
    """What a seat does with its free time and what it may own."""

    name: str
    prospects: bool = True  # active hours go to outbound prospecting
    care: str | None = "own"  # proactive care of "own" clients, the "pool"'s, or none
    owns: bool = True  # can own clients
    quit_multiplier: float = 1.0  # burnout: hazard relative to the base quit rate
    books_meetings: bool = False  # prospecting books meetings for others to hold


class Organisation:
    """Default hooks: personal queues, the winner owns, salary plus commission."""

    name = "base"
    monitoring = 0.0
    prescribed_active_share = 1.0
    skill_floor = 0.0  # a script's floor under skill (0: no script)
    script_drag = 0.0  # share of skill above the floor a script holds back
    institutional_relationship = 0.0  # bond level a client feels with the firm itself
    personal = True  # a client bonds with the person who owns and serves it
    service_factor = 1.0  # multiplies service times (pooling penalty)
    commission = True  # pay depends on the manager's own clients' revenue

    handoff_loss = 0.0  # chance a client handed to another person is lost on the way
    meeting_hours = 0.0  # hours a booked meeting takes whoever holds it
    priorities: dict[str, int] | None = None  # of personal queues; None: first come first
    pay_scale = 1.0  # multiplies fixed pay (salaries, norm rate): the pay-parity option
    touch_hours = 1.0  # hours of one prospect touch, where touches are counted as tasks
    ticketing = False  # pools requests in a ticketing system (a tool per seat)
    setup_cost = 0.0  # one-off cost of setting the structure up at a switch
    building = False  # a switch happened: the structure's systems are still being built
    call_recording = False  # enforces a script by call recording (a tool per seat)
    per_desk = False  # True where desks work under different organisations (a roll-out)

    # -- which organisation a desk works under
    def at(self, desk: int) -> Organisation:
        """The organisation desk ``desk`` works under: this one, except during a phased
        roll-out (:class:`sim.model.rollout.Phased`)."""
        return self

    def floor_at(self, dept: Floor, desk: int) -> Floor:
        """What the hooks of desk ``desk`` see of the department (all of it here)."""
        return dept

    def institutional(self, owners: np.ndarray) -> float | np.ndarray:
        """The firm's own bond with clients of these owner desks."""
        return self.institutional_relationship

    def outbound_at(self, desk: int, leads: LeadSource) -> bool:
        """Whether desk ``desk`` hunts in its active hours: its lead source's say."""
        return leads.outbound

    def reminder_effect(self, owners: np.ndarray, leads: LeadSource) -> float | np.ndarray:
        """Share of neglect automated reminders take away for clients of these owners."""
        return leads.reminder_effect

    # -- seats and queues
    def seats(self, managers: int) -> int:
        """Seats of this organisation, given the scenario's headcount."""
        return managers

    def roles(self, seats: int) -> list[Role]:
        return [Role("manager")] * seats

    def make_queues(self, env: simpy.Environment, desks: list[Desk]) -> None:
        """A personal queue per desk, served by the organisation's priorities."""
        for desk in desks:
            desk.queue = personal_queue(env, self.priorities)

    def extend_queues(self, env: simpy.Environment, members: list[Desk],
                      joining: list[Desk]) -> None:
        """Queues for desks ``joining`` the organisation's ``members`` (a roll-out's
        second phase): their own, or the shared queue the members serve."""
        self.make_queues(env, joining)

    # -- routing
    def queue_for(self, dept: Floor, req: Request) -> RequestQueue:
        """The queue a request joins: by the routing hook of its kind."""
        if req.kind == LEAD:
            return self.route_lead(dept, req)
        if req.kind == MEETING:
            return self.route_meeting(dept, req)
        return self.route_order(dept, req.account)

    def route_lead(self, dept: Floor, req: Request) -> RequestQueue:
        raise NotImplementedError

    def route_order(self, dept: Floor, account: int) -> RequestQueue:
        return dept.desks[int(dept.acc.owner[account])].queue

    def route_meeting(self, dept: Floor, req: Request) -> RequestQueue:
        raise NotImplementedError(f"{self.name} books no meetings for others")

    # -- ownership
    def new_client_owner(self, dept: Floor, desk: int, account: int) -> tuple[int, bool]:
        """Owner desk of ``account`` just won at ``desk``, and whether it is a hand-off."""
        return desk, False

    def may_own(self, dept: Floor, accounts: np.ndarray) -> np.ndarray:
        """Which of these clients a person can own here (all, where anyone owns)."""
        return np.ones(len(accounts), dtype=bool)

    def reassign(self, dept: Floor, clients: np.ndarray, leaving: int) -> np.ndarray:
        """Colleagues of the same role with the smallest bases take the clients in turn;
        with none present, the seat keeps them for its successor."""
        role = dept.desks[leaving].role
        colleagues = [i for i in dept.present_desks() if i != leaving
                      and dept.desks[i].role == role]
        if not colleagues:
            return np.full(len(clients), leaving)
        bases = dept.base_sizes()
        colleagues.sort(key=lambda i: (bases[i], i))
        return np.array(colleagues)[np.arange(len(clients)) % len(colleagues)]

    def on_vacancy(self, dept: Floor, desk: Desk, now: float) -> Desk:
        """The seat that waits for a new hire (a promotion may move someone into it)."""
        return desk

    def service_hours(self, kinds: np.ndarray, hours: np.ndarray, segments: np.ndarray
                      ) -> np.ndarray:
        """Working hours each request takes at this organisation's desks."""
        return hours * self.service_factor

    # -- a switch of structure
    def start(self, reorganised: bool) -> None:
        """Told once, at time 0, whether this structure has just taken over from
        another (and so still has its systems to build)."""
        self.building = reorganised

    def buildup_cost(self, now: float) -> float:
        """Cost of the month ending at ``now`` of building the structure's systems."""
        return 0.0

    def win_factor(self, now: float) -> float:
        """Multiplies the chance an opportunity is won (a defined process raises it)."""
        return 1.0

    def work_skill(self, skill: float, now: float) -> float:
        """The skill work is done at: the person's, never below the structure's script
        floor, and above it held back by the script's drag
        (:func:`sim.model.control.scripted_skill`)."""
        return scripted_skill(skill, self.skill_floor, self.script_drag)

    def work_skill_many(self, skills: np.ndarray, now: float) -> np.ndarray:
        """:meth:`work_skill` for the skills of many desks at once."""
        return scripted_skills(skills, self.skill_floor, self.script_drag)

    # -- pay and what it rewards
    def rewards(self, dept: Floor, person: Person, role: Role, value: HourValue
                ) -> tuple[float, float]:
        """Marginal pay of an hour of prospecting and of an hour of care under the plan:
        commission on the revenue the hour brings, and the bonus per new client."""
        pay = dept.sc.pay
        return (pay.commission_rate * value.new_revenue + pay.new_client_bonus
                * value.new_clients, pay.commission_rate * value.care_revenue)

    def rewards_many(self, dept: Floor, people: list[Person], roles: list[Role],
                     value: HourValue) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`rewards` for many desks at once, ``value`` holding arrays: the one
        formula of :meth:`rewards`, applied to each role's desks together. It holds where
        the rewards depend on the role and the hour's value only; an organisation whose
        rewards depend on the person (a norm's last day) overrides it."""
        w_p, w_c = np.zeros(len(people)), np.zeros(len(people))
        if all(r is roles[0] for r in roles):  # one role: the formula over all at once
            w_p[:], w_c[:] = self.rewards(dept, people[0], roles[0], value)
            return w_p, w_c
        for k in by_role(roles).values():
            w_p[k], w_c[k] = self.rewards(dept, people[k[0]], roles[k[0]],
                                          value._make(f[k] for f in value))
        return w_p, w_c

    def tasks_done(self, dept: Floor, care_contacts: int, prospecting_hours: float,
                   requests: int) -> float:
        """Tasks a person did today, for organisations that count them (0 here)."""
        return 0.0

    def tasks_done_many(self, dept: Floor, care_contacts: np.ndarray,
                        prospecting_hours: np.ndarray, requests: np.ndarray) -> np.ndarray:
        """:meth:`tasks_done` for many desks at once."""
        return np.zeros(len(care_contacts))

    def padding(self, tasks: float) -> tuple[float, float]:
        """Quick low-value touches a person adds to ``tasks`` to meet a counted norm, and
        the share of their real work left (:mod:`sim.model.padding`): none without a norm."""
        return 0.0, 1.0

    def padding_many(self, tasks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`padding` for many desks at once."""
        return np.zeros(len(tasks)), np.ones(len(tasks))

    def daily_pay(self, tasks: float) -> float:
        """Pay earned per day for tasks done (only process_norm pays per task)."""
        return 0.0

    def daily_pay_many(self, tasks: np.ndarray) -> np.ndarray:
        """:meth:`daily_pay` for many desks at once."""
        return np.zeros(len(tasks))

    def income(self, dept: Floor, person: Person, stats: dict[str, float]) -> float:
        pay = dept.sc.pay
        return (pay.salary_monthly * self.pay_scale * stats["days"] / DAYS_PER_MONTH
                + pay.commission_rate * stats["revenue"]
                + pay.new_client_bonus * stats["new_clients"])

    # -- what the structure costs beyond pay
    def overhead_per_month(self, dept: Floor) -> float:
        """Supervisors for the monitoring, and tools per seat: a CRM everywhere, a
        ticketing system where requests are pooled, call recording where a script is
        enforced (:mod:`sim.model.control`)."""
        c = dept.sc.control
        seats = len(dept.desks)
        per_seat = (c.crm_per_seat_monthly
                    + (c.ticketing_per_seat_monthly if self.ticketing else 0.0)
                    + (c.call_recording_per_seat_monthly if self.call_recording else 0.0))
        return supervision_cost(self.monitoring, seats, c) + per_seat * seats


class LeadSource:
    """Where new leads come from beyond brand inbound and referrals."""

    name = "sales"
    outbound = True  # sales staff prospect in their active hours
    reminder_effect = 0.0  # automated reminders: share of neglect they take away
    setup_cost = 0.0  # one-off cost of setting the lead source up at a switch

    def start(self, reorganised: bool) -> None:
        """Told once, at time 0, whether the structure has just taken over."""

    def close_month(self) -> None:
        """The month ends (carry-over of spending, for example)."""

    def leads_per_day(self, dept: Floor) -> float:
        return 0.0

    def draw_leads(self, dept: Floor, day: int, n_clients: int,
                   rng: np.random.Generator) -> list[tuple[float, int]]:
        """Leads this source brings on ``day`` beyond brand inbound and referrals, as
        (arrival time, account) pairs; the accounts are engaged here (none by default)."""
        return []

    def nurture_days(self) -> float:
        return 0.0

    def spend_per_month(self) -> float:
        return 0.0

    def overhead_per_month(self, dept: Floor) -> float:
        """Systems the lead source needs beyond its spend (none here)."""
        return 0.0


class Structure:
    """An organisation fed by a lead source, under a name."""

    def __init__(self, name: str, org: Organisation, leads: LeadSource):
        self.name = name
        self.org = org
        self.leads = leads

    def __repr__(self) -> str:
        return f"Structure({self.name!r}, org={self.org.name}, leads={self.leads.name})"
