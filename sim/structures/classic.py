"""``classic``: full-cycle managers own the clients they win; pay is salary plus
commission on their own clients' revenue; monitoring is low."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..scenario import DAYS_PER_MONTH, ClassicSettings, Pay
from .base import Structure

if TYPE_CHECKING:  # pragma: no cover
    from ..department import Department
    from ..people import Person


class Classic(Structure):
    name = "classic"

    def __init__(self, settings: ClassicSettings, pay: Pay):
        self.settings = settings
        self.pay = pay
        self.monitoring = settings.monitoring
        self.prescribed_active_share = settings.prescribed_active_share
        self._next = 0

    def route_lead(self, dept: Department) -> int:
        present = dept.present_desks()
        if not present:
            return self._next % len(dept.desks)  # waits at a vacant desk for its successor
        rule = self.settings.inbound_routing
        if rule == "random":
            return present[int(dept.streams["routing"].integers(len(present)))]
        if rule == "least_loaded":
            return min(present, key=lambda i: (len(dept.queues[i].items), i))
        # round robin over the desks, skipping vacant ones
        n = len(dept.desks)
        for step in range(n):
            i = (self._next + step) % n
            if dept.desks[i].person is not None:
                self._next = i + 1
                return i
        raise AssertionError("unreachable: a present desk exists")

    def reassign(self, dept: Department, clients: np.ndarray, leaving: int) -> np.ndarray:
        """Colleagues with the smallest bases take the leaver's clients in turn."""
        colleagues = [i for i in dept.present_desks() if i != leaving]
        if not colleagues:
            return np.full(len(clients), leaving)  # the successor inherits them
        bases = dept.base_sizes()
        colleagues.sort(key=lambda i: (bases[i], i))
        return np.array(colleagues)[np.arange(len(clients)) % len(colleagues)]

    def income(self, dept: Department, person: Person, days: float, revenue: float,
               new_clients: int) -> float:
        return (self.pay.salary_monthly * days / DAYS_PER_MONTH
                + self.pay.commission_rate * revenue
                + self.pay.new_client_bonus * new_clients)
