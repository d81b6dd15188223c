"""The department as its mechanisms see it: a narrow protocol, so that no mechanism
imports the module that wires them together.

:class:`sim.model.department.Department` builds the mechanisms (staff, sales, demand,
departure losses, the take-over of a warmed-up department, a phased roll-out) and
hands each itself; each types that argument as :class:`Replication`, which names the
state and the few operations of its siblings they use. The structures see a narrower
view still (:class:`sim.model.structures.base.Floor`). Checked by the type-inclusive
import-circle test in tests/system.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import simpy

    from sim.config.scenario import Scenario
    from sim.model.incentives import HourValue
    from sim.model.journal import Journal
    from sim.model.market import Accounts
    from sim.model.people import Person
    from sim.model.recorder import Recorder
    from sim.model.streams import Streams
    from sim.model.structures.base import LeadSource, Organisation, Structure
    from sim.model.workday import Desk, Request


class Staffing(Protocol):
    """What the other mechanisms use of the staff (:class:`sim.model.workforce.Staff`)."""

    next_person_id: int
    month_stats: dict[int, dict[str, float]]

    def pending_hires(self) -> list[float]: ...
    def present_desks(self) -> list[int]: ...
    def base_sizes(self) -> np.ndarray: ...
    def move_person(self, source: Desk, target: Desk, now: float) -> None: ...
    def team_share(self, days: float) -> float: ...


class Selling(Protocol):
    """What the other mechanisms use of sales (:class:`sim.model.selling.Sales`)."""

    pipeline: list[tuple[float, int, int]]
    orphans: list[tuple[np.ndarray, float]]

    def lose_clients(self, clients: np.ndarray, cause: str, now: float) -> None: ...


class Requests(Protocol):
    """What the other mechanisms use of demand (:class:`sim.model.demand.Demand`)."""

    def enqueue(self, req: Request, arriving: bool = False) -> None: ...
    def requeue(self, desk: Desk) -> None: ...


class Departures(Protocol):
    """The measurement of sales lost after a departure
    (:class:`sim.model.departures.DepartureLosses`)."""

    def track(self, desk: Desk, person: Person, now: float) -> None: ...


class Pricing(Protocol):
    """What an active hour is worth today (:class:`sim.model.incentives.HourPricing`)."""

    def at(self, skill: float, available_share: float, touch_hours: float) -> HourValue: ...
    def at_many(self, skills: np.ndarray, available_share: float, touch_hours: float
                ) -> HourValue: ...


class Replication(Protocol):
    """One replication's department, as its mechanisms see it."""

    sc: Scenario
    env: simpy.Environment
    streams: Streams
    structure: Structure
    org: Organisation
    leads: LeadSource
    journal: Journal | None
    hours: float
    months: int
    days: float
    rec: Recorder
    desks: list[Desk]
    acc: Accounts
    reorganised: bool
    staff: Staffing
    sales: Selling
    demand: Requests
    departures: Departures
    pricing: Pricing

    def present_desks(self) -> list[int]: ...
    def base_sizes(self) -> np.ndarray: ...
    def move_person(self, source: Desk, target: Desk, now: float) -> None: ...
    def month_team_share(self, days: float) -> float: ...
    def team_size(self) -> int: ...
