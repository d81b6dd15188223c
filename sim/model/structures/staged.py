"""``staged``: hunting becomes a role.

Two steps: hunters prospect, answer inbound leads and close; each won client is handed
to the account manager with the smallest base. Three steps: lead developers prospect
and book meetings that closers (who also answer inbound leads) turn into deals, then
account managers keep the clients. Every hand-off loses the client (or prospect) with
probability ``handoff_loss`` and resets the relationship. Hunters are paid per new
client and burn out (a higher quit hazard); when an account manager's seat opens, the
most skilled hunter is promoted into it. Account managers own bases, so their care
drifts like a classic manager's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.config.settings import DAYS_PER_MONTH
from sim.config.structures.staged import SPEC, StagedSettings
from sim.model.structures.base import Organisation, Role
from sim.model.structures.classic import pick_desk
from sim.model.structures.registry import Plugin
from sim.model.workday import RequestQueue

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.incentives import HourValue
    from sim.model.people import Person
    from sim.model.structures.base import Floor
    from sim.model.workday import Desk, Request


class Staged(Organisation):
    def __init__(self, settings: StagedSettings, steps: int):
        self.settings = settings
        self.steps = steps
        self.name = f"staged-{steps}"
        self.monitoring = settings.monitoring
        self.prescribed_active_share = settings.prescribed_active_share
        self.handoff_loss = settings.handoff_loss
        self.meeting_hours = settings.meeting_hours
        self.priorities = settings.priorities.model_dump()
        self._rr: dict = {}
        burn = settings.hunter_quit_multiplier
        self.role_defs = {
            "hunter": Role("hunter", prospects=True, care=None, owns=False,
                           quit_multiplier=burn),
            "lead_developer": Role("lead_developer", prospects=True, care=None, owns=False,
                                   quit_multiplier=burn, books_meetings=True),
            "closer": Role("closer", prospects=False, care=None, owns=False,
                           quit_multiplier=burn),
            "account_manager": Role("account_manager", prospects=False, care="own", owns=True),
        }

    def roles(self, seats: int) -> list[Role]:
        heads = (self.settings.two_step if self.steps == 2 else self.settings.three_step)
        out: list[Role] = []
        for role, count in heads.counts(seats).items():
            out += [self.role_defs[role]] * count
        return out

    def _desks(self, dept: Floor, role: str) -> list[int]:
        return [d.index for d in dept.desks if d.role.name == role]

    def route_lead(self, dept: Floor, req: Request) -> RequestQueue:
        role = "hunter" if self.steps == 2 else "closer"
        return dept.desks[pick_desk(dept, self._desks(dept, role), "round_robin",
                                    self._rr)].queue

    def route_meeting(self, dept: Floor, req: Request) -> RequestQueue:
        return dept.desks[pick_desk(dept, self._desks(dept, "closer"), "least_loaded",
                                    self._rr)].queue

    def new_client_owner(self, dept: Floor, desk: int, account: int) -> tuple[int, bool]:
        ams = self._desks(dept, "account_manager")
        if not ams:
            return desk, False
        present = [i for i in ams if dept.desks[i].person is not None] or ams
        bases = dept.base_sizes()
        return min(present, key=lambda i: (bases[i], i)), True

    def on_vacancy(self, dept: Floor, desk: Desk, now: float) -> Desk:
        """Promote a present hunter (closer) into an account manager's seat: the most
        skilled, or the longest serving (``promotion_by``)."""
        if not self.settings.promotion or desk.role.name != "account_manager":
            return desk
        hunting = "hunter" if self.steps == 2 else "closer"
        candidates = [dept.desks[i] for i in self._desks(dept, hunting)
                      if dept.desks[i].person is not None]
        if not candidates:
            return desk
        if self.settings.promotion_by == "tenure":
            best = max(candidates, key=lambda d: (-d.person.hired_at, d.person.skill, -d.index))
        else:
            best = max(candidates, key=lambda d: (d.person.skill, -d.person.hired_at, -d.index))
        dept.move_person(best, desk, now)
        return best

    def income(self, dept: Floor, person: Person, stats: dict[str, float]) -> float:
        s = self.settings
        if person.role == "account_manager":
            return super().income(dept, person, stats)
        salary = s.hunter_salary_monthly * self.pay_scale * stats["days"] / DAYS_PER_MONTH
        if person.role == "lead_developer":
            return salary + s.lead_developer_bonus_per_meeting * stats["meetings"]
        return salary + s.hunter_bonus_per_client * stats["new_clients"]

    def rewards(self, dept: Floor, person: Person, role: Role, value: HourValue
                ) -> tuple[float, float]:
        """Hunters are paid per client won, lead developers per meeting booked, account
        managers by commission on the revenue their care brings or keeps."""
        s = self.settings
        if role.name == "hunter":
            return s.hunter_bonus_per_client * value.new_clients, 0.0
        if role.name == "lead_developer":
            return s.lead_developer_bonus_per_meeting * value.meetings, 0.0
        if role.name == "account_manager":
            return 0.0, dept.sc.pay.commission_rate * value.care_revenue
        return 0.0, 0.0


PLUGIN = Plugin(SPEC, organisation=lambda name, sc: Staged(sc.structures.staged,
                                                             int(name[-1])))
