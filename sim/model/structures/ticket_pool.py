"""``ticket_pool``: every request joins one queue served by the next free specialist.

Nobody owns a client; the bond a client feels is the firm's institutional level
(older personal bonds fade and are never renewed); care and outreach are tickets the
system generates and specialists pull when idle; no client follows a leaver once its
personal bond has faded. Pooling is not free: service is slower by ``service_penalty``
(social loafing; Song, Tucker and Murrell, Management Science 2015, found dedicated
queues 9 % faster than a pool). Pay: salary plus an equal share of a team bonus.

With Poisson requests, exponential service, no abandonment and no other work, the
pool is an M/M/c queue (docs/validation.md shows the scenario settings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import simpy

from sim.config.settings import DAYS_PER_MONTH
from sim.config.structures.ticket_pool import SPEC, TicketPoolSettings
from sim.model.market import NOBODY
from sim.model.structures.base import Organisation, Role, team_rewards
from sim.model.structures.registry import Plugin
from sim.model.workday import PriorityRequestQueue, RequestQueue

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.incentives import HourValue
    from sim.model.people import Person
    from sim.model.structures.base import Floor
    from sim.model.workday import Desk, Request


class PooledQueues:
    """One priority queue shared by every desk; equal priorities are served FIFO."""

    def __init__(self, priorities: dict[str, int]):
        self.priorities = priorities
        self.shared: RequestQueue | None = None

    def make_queues(self, env: simpy.Environment, desks: list[Desk]) -> None:
        self.shared = PriorityRequestQueue(env, self.priorities)
        for desk in desks:
            desk.queue = self.shared

    def extend_queues(self, env: simpy.Environment, members: list[Desk],
                      joining: list[Desk]) -> None:
        """Desks that join serve the one shared queue."""
        for desk in joining:
            desk.queue = self.shared

    def route_lead(self, dept: Floor, req: Request) -> RequestQueue:
        return self.shared

    def route_order(self, dept: Floor, account: int) -> RequestQueue:
        return self.shared

    def route_meeting(self, dept: Floor, req: Request) -> RequestQueue:
        return self.shared

    def new_client_owner(self, dept: Floor, desk: int, account: int) -> tuple[int, bool]:
        return NOBODY, False


class TicketPool(PooledQueues, Organisation):
    name = "ticket_pool"
    personal = False
    commission = False
    ticketing = True

    def __init__(self, settings: TicketPoolSettings):
        PooledQueues.__init__(self, settings.priorities.model_dump())
        self.settings = settings
        self.monitoring = settings.monitoring
        self.prescribed_active_share = settings.prescribed_active_share
        self.institutional_relationship = settings.institutional_relationship
        self.service_factor = 1.0 + settings.service_penalty
        self.setup_cost = settings.setup_cost

    def roles(self, seats: int) -> list[Role]:
        return [Role("specialist", prospects=True, care="pool", owns=False)] * seats

    def income(self, dept: Floor, person: Person, stats: dict[str, float]) -> float:
        """Salary pro rata, plus the team bonus shared by days worked."""
        salary = dept.sc.pay.salary_monthly * self.pay_scale * stats["days"] / DAYS_PER_MONTH
        team = dept.month_team_share(stats["days"])
        return salary + self.settings.team_bonus_rate * team

    def rewards(self, dept: Floor, person: Person, role: Role, value: HourValue
                ) -> tuple[float, float]:
        """Only the team bonus pays at the margin, shared by everyone present."""
        return team_rewards(self.settings.team_bonus_rate, value, dept.team_size())


PLUGIN = Plugin(SPEC, organisation=lambda name, sc: TicketPool(sc.structures.ticket_pool))
