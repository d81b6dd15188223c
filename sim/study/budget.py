"""The time budget of ``salesim study``: parse ``30m``, and size the screening of the
open assumptions to what is left of it.

The screening's cost is points × runs per point × CPU seconds per run, divided over
the workers; the CPU per run is measured on the comparison stage, which runs the same
model on the same scenario. A Morris design with ``r`` trajectories over ``k``
assumptions has ``r (k + 1)`` points (Morris 1991; Campolongo et al. 2007 use 4 to 10
trajectories). Trajectories are what screens, so the design gives up replications
per point first (down to two, which still measure the noise), then trajectories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"s": 1, "m": 60, "h": 3600}
TRAJECTORIES = (10, 2)  # wanted, fewest kept before the screening is dropped
REPLICATIONS = (4, 2)  # per point, wanted and fewest (two give the noise floor)


class BudgetError(ValueError):
    """A budget written in a form the command does not read."""


def parse_budget(text: str) -> float:
    """Seconds in ``30m``, ``1h``, ``90s`` or ``1h30m``; a bare number is minutes."""
    t = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t) * 60
    parts = re.findall(r"(\d+(?:\.\d+)?)([smh])", t)
    if not parts or "".join(a + b for a, b in parts) != t:
        raise BudgetError(f"--budget: got {text!r}; allowed: a duration such as 30m, 1h, "
                          "90s or 1h30m (a bare number is minutes)")
    seconds = sum(float(a) * UNITS[b] for a, b in parts)
    if seconds <= 0:
        raise BudgetError(f"--budget: got {text!r}; allowed: a duration above zero")
    return seconds


@dataclass(frozen=True)
class Screening:
    """The Morris design the budget allows, and what it gave up."""

    trajectories: int
    replications: int
    factors: int
    seconds: float  # estimated wall time
    shrunk: bool
    dropped: bool  # not even the smallest design fits

    @property
    def points(self) -> int:
        return self.trajectories * (self.factors + 1)


def size_screening(left_seconds: float, cpu_per_run: float, structures: int,
                   factors: int, workers: int) -> Screening:
    """The largest design, replications given up first then trajectories, whose wall
    time ``points × replications × structures × cpu_per_run / workers`` fits in
    ``left_seconds``; the smallest design with ``dropped`` set when none fits."""
    per_rep_point = max(cpu_per_run, 1e-9) * max(1, structures) / max(1, workers)

    def cost(r: int, reps: int) -> float:
        return r * (factors + 1) * reps * per_rep_point

    want_r, few_r = TRAJECTORIES
    want_reps, few_reps = REPLICATIONS
    for r in range(want_r, few_r - 1, -1):
        for reps in range(want_reps, few_reps - 1, -1):
            if cost(r, reps) <= left_seconds:
                return Screening(r, reps, factors, cost(r, reps),
                                 shrunk=(r, reps) != (want_r, want_reps), dropped=False)
    return Screening(few_r, few_reps, factors, cost(few_r, few_reps), shrunk=True,
                     dropped=True)


def calibration_effort(budget_seconds: float) -> dict[str, int]:
    """Calibration settings for a budget: the defaults of ``salesim calibrate`` (610 s
    for a default-size export on 2 cores) from 20 minutes up, a quick search below 5."""
    if budget_seconds >= 1200:
        return {"replications": 4, "trials": 60, "patience": 20}
    if budget_seconds >= 300:
        return {"replications": 3, "trials": 30, "patience": 10}
    if budget_seconds >= 90:
        return {"replications": 2, "trials": 10, "patience": 4, "startup": 4,
                "correction_rounds": 1, "slices": 3}
    return {"replications": 2, "trials": 2, "patience": 2, "startup": 2,  # a smoke run
            "correction_rounds": 1, "slices": 2}
