"""``segmented``: key accounts have a personal manager, everything else a ticket pool.

Clients of the segments listed in ``key_account_segments`` (by default enterprise) are
owned by key-account managers, paid salary plus commission on their own clients'
revenue like classic managers: their leads and orders join the manager's own queue,
they care for their own base, and a leaving manager's bonded clients may follow. Every
other request joins one priority queue served by the next free specialist, as in
``ticket_pool`` (its priorities, service penalty, institutional bond and team bonus
apply to the pool). A key account won by a specialist is handed to the key-account
manager with the smallest base. This is the usual answer to the doubt that a ticket
system suits B2B with large deals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.config.settings import DAYS_PER_MONTH
from sim.config.structures.segmented import SPEC, SegmentedSettings
from sim.model.market import NOBODY
from sim.model.structures.base import Organisation, Role, personal_queue, team_rewards
from sim.model.structures.classic import pick_desk
from sim.model.structures.registry import Plugin
from sim.model.workday import PriorityRequestQueue, RequestQueue

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.incentives import HourValue
    from sim.model.people import Person
    from sim.model.structures.base import Floor
    from sim.model.structures.ticket_pool import TicketPoolSettings
    from sim.model.workday import Desk, Request

KEY_ACCOUNT_MANAGER = Role("key_account_manager", prospects=True, care="own", owns=True)
SPECIALIST = Role("specialist", prospects=True, care="pool", owns=False)


class Segmented(Organisation):
    name = "segmented"
    ticketing = True

    def __init__(self, settings: SegmentedSettings, pool: TicketPoolSettings,
                 segment_names: tuple[str, ...]):
        self.settings = settings
        self.pool = pool
        self.monitoring = settings.monitoring
        self.prescribed_active_share = settings.prescribed_active_share
        self.institutional_relationship = pool.institutional_relationship
        self.key = np.array([n in settings.key_account_segments for n in segment_names])
        self.priorities = settings.priorities.model_dump()
        self._penalty = 1.0 + pool.service_penalty
        self.setup_cost = pool.setup_cost  # the pool's ticketing system
        self._shared: RequestQueue | None = None
        self._rr: dict = {}

    def roles(self, seats: int) -> list[Role]:
        kam = self.settings.key_account_managers
        if kam is None:
            kam = max(1, round(seats / 3)) if seats > 1 else 0
        kam = min(kam, seats)
        return [KEY_ACCOUNT_MANAGER] * kam + [SPECIALIST] * (seats - kam)

    def make_queues(self, env: simpy.Environment, desks: list[Desk]) -> None:
        self._shared = PriorityRequestQueue(env, self.pool.priorities.model_dump())
        for desk in desks:
            desk.queue = personal_queue(env, self.priorities) if desk.role.owns else self._shared

    def extend_queues(self, env: simpy.Environment, members: list[Desk],
                      joining: list[Desk]) -> None:
        for desk in joining:
            desk.queue = personal_queue(env, self.priorities) if desk.role.owns else self._shared

    def _managers(self, dept: Floor) -> list[int]:
        return [d.index for d in dept.desks if d.role.owns]

    def route_lead(self, dept: Floor, req: Request) -> RequestQueue:
        managers = self._managers(dept)
        if managers and self.key[dept.acc.segment[req.account]]:
            return dept.desks[pick_desk(dept, managers, "round_robin", self._rr)].queue
        return self._shared

    def route_order(self, dept: Floor, account: int) -> RequestQueue:
        owner = int(dept.acc.owner[account])
        return dept.desks[owner].queue if owner >= 0 else self._shared

    def new_client_owner(self, dept: Floor, desk: int, account: int) -> tuple[int, bool]:
        """A key account stays with the key-account manager who won it, or is handed to
        the one with the smallest base; any other client belongs to the pool."""
        if not self.key[dept.acc.segment[account]]:
            return NOBODY, False
        if dept.desks[desk].role.owns:
            return desk, False
        managers = self._managers(dept)
        if not managers:
            return NOBODY, False
        present = [i for i in managers if dept.desks[i].person is not None] or managers
        bases = dept.base_sizes()
        return min(present, key=lambda i: (bases[i], i)), True

    def may_own(self, dept: Floor, accounts: np.ndarray) -> np.ndarray:
        return self.key[dept.acc.segment[accounts]]

    def service_hours(self, kinds: np.ndarray, hours: np.ndarray, segments: np.ndarray
                      ) -> np.ndarray:
        """The pool's service penalty applies to the requests the pool serves."""
        return hours * np.where(self.key[segments], 1.0, self._penalty)

    def income(self, dept: Floor, person: Person, stats: dict[str, float]) -> float:
        """Key-account managers: salary and commission. Specialists: salary pro rata
        plus the pool's team bonus shared by days worked."""
        if person.role != SPECIALIST.name:
            return super().income(dept, person, stats)
        salary = dept.sc.pay.salary_monthly * self.pay_scale * stats["days"] / DAYS_PER_MONTH
        return salary + self.pool.team_bonus_rate * dept.month_team_share(stats["days"])

    def rewards(self, dept: Floor, person: Person, role: Role, value: HourValue
                ) -> tuple[float, float]:
        """Key-account managers: commission; specialists: the pool's team bonus,
        shared with everyone present."""
        if role.name != SPECIALIST.name:
            return super().rewards(dept, person, role, value)
        return team_rewards(self.pool.team_bonus_rate, value, dept.team_size())


PLUGIN = Plugin(
    SPEC, organisation=lambda name, sc: Segmented(sc.structures.segmented,
                                                  sc.structures.ticket_pool,
                                                  tuple(sc.market.segments)))
