"""What a departure costs: the affected clients' sales in the year after a manager
leaves, against what they were expected to buy, relative to the same ratio for all
other clients (which nets out natural churn and growth). Shi, Sridhar, Grewal and
Lilien (Journal of Marketing 2017) report a 13-18 % loss."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config.settings import DAYS_PER_YEAR

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from sim.model.floor import Replication
    from sim.model.market import Accounts
    from sim.model.people import Person
    from sim.model.workday import Desk


class DepartureLosses:
    """The departures of one run whose following year lies within the horizon."""

    def __init__(self, dept: Replication):
        self.d = dept
        self.losses: list[dict[str, float]] = []

    def track(self, desk: Desk, person: Person, now: float) -> None:
        """Start measuring the departure of ``person`` from ``desk``: the clients the
        desk owns or that are bonded to the person, settled a year later."""
        d = self.d
        acc = d.acc
        clients = acc.clients()
        mine = (acc.owner[clients] == desk.index) | (acc.bond[clients] == person.person_id)
        affected, control = clients[mine], clients[~mine]
        if len(affected) == 0 or len(control) == 0 or now + DAYS_PER_YEAR > d.days:
            return

        def expected(idx: np.ndarray) -> float:
            return float(np.sum(acc.expected_value(idx, d.org.institutional(acc.owner[idx]))))

        record = {"t": now, "clients": len(affected), "expected_affected": expected(affected),
                  "expected_control": expected(control)}
        before = (acc.revenue[affected].sum(), acc.revenue[control].sum())

        def settle():
            yield d.env.timeout(DAYS_PER_YEAR)
            sales_a = acc.revenue[affected].sum() - before[0]
            sales_c = acc.revenue[control].sum() - before[1]
            ratio_c = sales_c / record["expected_control"]
            if ratio_c > 0:
                record["loss"] = 1.0 - (sales_a / record["expected_affected"]) / ratio_c
                self.losses.append(record)

        d.env.process(settle())


def revenue_at_risk(acc: Accounts, follow_rate: float,
                    institutional: Callable[[np.ndarray], float | np.ndarray]) -> float:
    """Key-person risk: the expected annual revenue that would walk out if the one person
    whose clients are most bonded to them left, ``follow_rate x r x value`` summed over
    the clients bonded to that person (any structure: in a pool, old personal bonds
    count while they last). ``institutional`` gives the firm's bond by owner desk."""
    clients = acc.clients()
    bonded = clients[acc.bond[clients] >= 0]
    if len(bonded) == 0:
        return 0.0
    at_risk = follow_rate * acc.relationship[bonded] * acc.expected_value(
        bonded, institutional(acc.owner[bonded]))
    _, who = np.unique(acc.bond[bonded], return_inverse=True)
    return float(np.bincount(who, weights=at_risk).max())
