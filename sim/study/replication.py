"""One replication of a study: the mature warm-up and the run of one or more structures
on common random numbers from it.

Replication ``r`` draws every mechanism from its own stream spawned from ``(seed, r)``
(see :mod:`sim.model.streams`), so its frames do not depend on the executor, the number
of workers or the order replications finish in. These are the functions a worker
process runs; they are top-level so that a process pool can pickle them by name.
"""

from __future__ import annotations

import pandas as pd

from sim.config.scenario import MONTHS_PER_YEAR, Scenario
from sim.model.department import Department, Snapshot
from sim.model.streams import Streams
from sim.model.structures import BASELINE, make_structure


def warm_up(scenario: Scenario, seed: int, replication: int) -> Snapshot:
    """A mature department: ``warmup_years`` under the baseline structure (classic)
    from hires spread over the first year, as plain data. It draws from its own
    ``warmup/`` streams, so it is the same whichever structures follow it; nothing of
    it is reported."""
    months = max(1, round(scenario.experiment.warmup_years * MONTHS_PER_YEAR))
    dept = Department(scenario, make_structure(BASELINE, scenario),
                      Streams(seed, replication, prefix="warmup/"), months=months,
                      hire_spread_days=scenario.experiment.warmup_hire_spread_days)
    dept.env.run(until=dept.days + 1e-9)
    return dept.snapshot()


def run_replication(scenario: Scenario, structure: str | list[str], seed: int,
                    replication: int, pay_scales: dict[str, float] | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate one replication of one or more structures on common random numbers.

    Every structure of the replication starts from the same warm-up (``mature``) or
    the same fresh market, and draws each mechanism from the same named stream. After a
    warm-up, ``monthly`` starts with its last twelve months, numbered -11..0 (the same
    for every structure), so the switch can be drawn.
    ``pay_scales`` multiplies each structure's fixed pay (see
    :func:`sim.study.parity.pay_parity_scales`).
    Frames carry ``replication`` and ``structure`` columns."""
    scales = pay_scales or {}
    names = [structure] if isinstance(structure, str) else list(structure)
    snapshot = (warm_up(scenario, seed, replication)
                if scenario.experiment.initial_state == "mature" else None)
    monthly_parts, manager_parts = [], []
    for name in names:
        dept = Department(scenario, make_structure(name, scenario, scales.get(name, 1.0)),
                          Streams(seed, replication), snapshot=snapshot)
        monthly, managers = dept.run()
        if snapshot is not None and snapshot.history is not None:
            monthly = pd.concat([snapshot.history, monthly], ignore_index=True)
        for df in (monthly, managers):
            df.insert(0, "structure", name)
            df.insert(0, "replication", replication)
        monthly_parts.append(monthly)
        manager_parts.append(managers)
    return (pd.concat(monthly_parts, ignore_index=True),
            pd.concat(manager_parts, ignore_index=True))
