"""``process_norm``: the sales technology fixes contact dates and scripts.

A CRM cadence generates dated tasks: a scripted care contact for every client due
after ``care_cadence_days``, and prospect touch sequences (one touch per
``touch_hours`` of prospecting). Requests and clients are assigned to an owner (as in
classic) or to a pool. Pay is a rate for meeting the daily task norm plus a piece
bonus per task above it; monitoring is high; the script sets a floor under beginners'
conversion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.config.settings import DAYS_PER_MONTH
from sim.config.structures.process_norm import SPEC, ProcessNormSettings
from sim.model.control import scripted_skill, scripted_skills
from sim.model.padding import padded, padded_many
from sim.model.structures.base import Organisation, Role
from sim.model.structures.classic import pick_desk
from sim.model.structures.registry import Plugin
from sim.model.structures.ticket_pool import PooledQueues, TicketPoolSettings
from sim.model.workday import RequestQueue

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.incentives import HourValue
    from sim.model.people import Person
    from sim.model.structures.base import Floor
    from sim.model.workday import Request


def norm_pay(tasks: float, settings: ProcessNormSettings, scale: float = 1.0) -> float:
    """One day's pay: the norm rate pro rata up to the norm, a piece bonus above it.

    >>> s = ProcessNormSettings(norm_tasks_per_day=10, norm_rate_monthly=2100, piece_bonus=5)
    >>> norm_pay(12, s), norm_pay(5, s)
    (110.0, 50.0)
    """
    daily = settings.norm_rate_monthly * scale / DAYS_PER_MONTH
    norm = settings.norm_tasks_per_day
    return daily * min(1.0, tasks / norm) + settings.piece_bonus * max(0.0, tasks - norm)


def norm_pays(tasks: np.ndarray, settings: ProcessNormSettings, scale: float = 1.0
              ) -> np.ndarray:
    """:func:`norm_pay` for many desks at once."""
    daily = settings.norm_rate_monthly * scale / DAYS_PER_MONTH
    norm = settings.norm_tasks_per_day
    return (daily * np.minimum(1.0, tasks / norm)
            + settings.piece_bonus * np.maximum(0.0, tasks - norm))


class ProcessNorm(Organisation):
    name = "process_norm"
    commission = False
    call_recording = True

    def __init__(self, settings: ProcessNormSettings, pool: TicketPoolSettings,
                 script_drag: float = 0.0):
        self.settings = settings
        self.script_drag = script_drag
        self.monitoring = settings.monitoring
        self.prescribed_active_share = settings.prescribed_active_share
        self.skill_floor = settings.script_floor
        self.setup_cost = settings.setup_cost
        self.pooled = settings.assignment == "pool"
        self.ticketing = self.pooled
        self.touch_hours = settings.touch_hours
        self.priorities = settings.priorities.model_dump()
        self._rr: dict = {}
        if self.pooled:
            self._pool = PooledQueues(pool.priorities.model_dump())
            self.personal = False
            self.institutional_relationship = pool.institutional_relationship

    def roles(self, seats: int) -> list[Role]:
        if self.pooled:
            return [Role("specialist", prospects=True, care="pool", owns=False)] * seats
        return [Role("manager")] * seats

    def make_queues(self, env: simpy.Environment, desks) -> None:
        if self.pooled:
            self._pool.make_queues(env, desks)
        else:
            super().make_queues(env, desks)

    def extend_queues(self, env: simpy.Environment, members, joining) -> None:
        if self.pooled:
            self._pool.extend_queues(env, members, joining)
        else:
            super().extend_queues(env, members, joining)

    def route_lead(self, dept: Floor, req: Request) -> RequestQueue:
        if self.pooled:
            return self._pool.shared
        return dept.desks[pick_desk(dept, [d.index for d in dept.desks], "round_robin",
                                    self._rr)].queue

    def route_order(self, dept: Floor, account: int) -> RequestQueue:
        return self._pool.shared if self.pooled else super().route_order(dept, account)

    def new_client_owner(self, dept: Floor, desk: int, account: int) -> tuple[int, bool]:
        if self.pooled:
            return self._pool.new_client_owner(dept, desk, account)
        return desk, False

    def maturity(self, now: float) -> float:
        """Process maturity: from ``maturity_start`` at a switch, linearly to 1 over
        ``buildup_days``; 1 where the process was there from the start."""
        s = self.settings
        if not self.building or s.buildup_days <= 0:
            return 1.0
        return s.maturity_start + (1.0 - s.maturity_start) * min(1.0, now / s.buildup_days)

    def work_skill(self, skill: float, now: float) -> float:
        """The script sets a floor under skill and holds experts back
        (:func:`sim.model.control.scripted_skill`), as far as the process has matured."""
        m = self.maturity(now)
        return scripted_skill(skill, self.skill_floor * m, self.script_drag * m)

    def work_skill_many(self, skills: np.ndarray, now: float) -> np.ndarray:
        m = self.maturity(now)
        return scripted_skills(skills, self.skill_floor * m, self.script_drag * m)

    def win_factor(self, now: float) -> float:
        return 1.0 + self.settings.win_uplift * self.maturity(now)

    def buildup_cost(self, now: float) -> float:
        if self.building and now <= self.settings.buildup_days + 1e-9:
            return self.settings.buildup_cost_monthly
        return 0.0

    def tasks_done(self, dept: Floor, care_contacts: int, prospecting_hours: float,
                   requests: int) -> float:
        """The planned proactive tasks count: scripted care contacts and prospect touches
        (one per ``touch_hours``); with ``counts: all`` every request handled too. The
        norm pays for what the calendar plans; counting orders would pay for volume the
        market brings (Rao et al. 2021 paid for verified planned activities)."""
        planned = care_contacts + prospecting_hours / self.settings.touch_hours
        return planned + requests if self.settings.counts == "all" else planned

    def tasks_done_many(self, dept: Floor, care_contacts: np.ndarray,
                        prospecting_hours: np.ndarray, requests: np.ndarray) -> np.ndarray:
        """The formula of :meth:`tasks_done`, which holds for arrays as it stands."""
        return self.tasks_done(dept, care_contacts, prospecting_hours, requests)

    def padding(self, tasks: float) -> tuple[float, float]:
        """Short of the norm, part of the shortfall is met with quick touches
        (:func:`sim.model.padding.padded`)."""
        s = self.settings
        return padded(tasks, s.norm_tasks_per_day, s.norm_padding, s.quick_touch_share)

    def padding_many(self, tasks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = self.settings
        return padded_many(tasks, s.norm_tasks_per_day, s.norm_padding, s.quick_touch_share)

    def daily_pay(self, tasks: float) -> float:
        return norm_pay(tasks, self.settings, self.pay_scale)

    def daily_pay_many(self, tasks: np.ndarray) -> np.ndarray:
        return norm_pays(tasks, self.settings, self.pay_scale)

    def rewards(self, dept: Floor, person: Person, role: Role, value: HourValue
                ) -> tuple[float, float]:
        """A task pays the norm rate's share below the norm and the piece bonus above
        it; which one is at the margin follows the person's last day."""
        s = self.settings
        if person.last_tasks >= s.norm_tasks_per_day:
            per_task = s.piece_bonus
        else:
            per_task = self.below_norm_per_task()
        return per_task * value.touches, per_task * value.care_contacts

    def below_norm_per_task(self) -> float:
        """What a task pays below the norm: the day's norm rate shared by its tasks."""
        s = self.settings
        return s.norm_rate_monthly * self.pay_scale / DAYS_PER_MONTH / s.norm_tasks_per_day

    def rewards_many(self, dept: Floor, people: list[Person], roles: list[Role],
                     value: HourValue) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`rewards` for many desks at once: the margin follows each one's last day."""
        s = self.settings
        last = np.array([p.last_tasks for p in people])
        per_task = np.where(last >= s.norm_tasks_per_day, s.piece_bonus,
                            self.below_norm_per_task())
        return per_task * value.touches, per_task * value.care_contacts

    def income(self, dept: Floor, person: Person, stats: dict[str, float]) -> float:
        return stats["norm_pay"]


PLUGIN = Plugin(SPEC, organisation=lambda name, sc: ProcessNorm(
    sc.structures.process_norm, sc.structures.ticket_pool, sc.control.script_drag))
