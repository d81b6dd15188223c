"""What a structure decides, over the shared mechanisms of the department.

A structure is a small strategy: who receives a new lead, who owns a won client, how
a leaver's clients are reassigned, how pay is computed, and how closely work is
monitored. The department calls these hooks; everything else (demand, queues,
learning, drift, churn, turnover) is shared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ..department import Department
    from ..people import Person


class Structure:
    """Default hooks; a concrete structure overrides what it changes."""

    name = "base"
    monitoring = 0.0
    prescribed_active_share = 1.0
    skill_floor = 0.0

    def route_lead(self, dept: Department) -> int:
        """Desk index that receives a new inbound lead."""
        raise NotImplementedError

    def reassign(self, dept: Department, clients: np.ndarray, leaving: int) -> np.ndarray:
        """New owner desk for each client of a leaver that stays with the company."""
        raise NotImplementedError

    def income(self, dept: Department, person: Person, days: float, revenue: float,
               new_clients: int) -> float:
        """Pay earned by ``person`` over ``days`` working days of one month."""
        raise NotImplementedError
