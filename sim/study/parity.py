"""Pay parity: the scales of each structure's fixed pay that bring its pay per head over
the whole horizon to the baseline's over the same horizon, found by pilot runs before a
study runs. One scale for the horizon (not one re-set each year): a structure whose
pay grows differently from the baseline's (classic's commission grows with its bases)
pays more in some years and less in others, but the same over the horizon.

The scales are solved once, on replication 0, and then used for every replication, so
they are part of the study's design and not of its noise (:func:`sim.study.experiment.compare`
applies them when ``experiment.pay_parity`` is set).
"""

from __future__ import annotations

import pandas as pd

from sim.config.scenario import DAYS_PER_MONTH, Scenario
from sim.model.department import Department
from sim.model.streams import Streams
from sim.model.structures import make_structure
from sim.study.replication import warm_up

#: Pay parity: relative distance to the target pay per head at which the secant stops,
#: and the most pilot years it may run per structure.
PARITY_TOLERANCE = 1e-3
PARITY_PILOTS = 6


def _pay_per_head(monthly: pd.DataFrame) -> float:
    heads = monthly["manager_days"].sum() / DAYS_PER_MONTH
    return float(monthly["payroll"].sum() / heads) if heads > 0 else 0.0


def pay_parity_scales(scenario: Scenario, structures: list[str], baseline: str, seed: int,
                      tolerance: float = PARITY_TOLERANCE) -> dict[str, float]:
    """Scales of each structure's fixed pay that bring its mean pay per head over the
    horizon to the baseline's over the same horizon, from the same start.

    Solved on replication 0 by pilot runs of the horizon and the secant method (pay per
    head is about linear in the scale; effort and the labour market bend it a little)
    until within ``tolerance`` of the target, at most ``PARITY_PILOTS`` pilots a
    structure, keeping the pilot closest to the target (:func:`closest`); the scales are
    then used for every replication, so they are part of the study, not of the noise
    (other replications land within their own noise of it)."""
    snapshot = (warm_up(scenario, seed, 0)
                if scenario.experiment.initial_state == "mature" else None)

    def pilot(name: str, scale: float) -> float:
        dept = Department(scenario, make_structure(name, scenario, scale),
                          Streams(seed, 0), snapshot=snapshot)
        return _pay_per_head(dept.run()[0])

    target = pilot(baseline, 1.0)
    scales = {}
    for name in structures:
        if name == baseline:
            scales[name] = 1.0
            continue
        (s0, p0), s1 = (1.0, pilot(name, 1.0)), 2.0
        p1 = pilot(name, s1)
        if p1 == p0:  # nothing fixed to scale
            scales[name] = 1.0
            continue
        tried = [(s0, p0), (s1, p1)]
        for _ in range(PARITY_PILOTS - 2):
            if abs(p1 - target) <= tolerance * target or p1 == p0 or (s1 == 0.0 and p1 > target):
                break  # close enough, flat, or above the target with no fixed pay left
            s0, p0, s1 = s1, p1, max(0.0, s1 + (target - p1) * (s1 - s0) / (p1 - p0))
            p1 = pilot(name, s1)
            tried.append((s1, p1))
        scales[name] = closest(tried, target)
    return scales


def closest(tried: list[tuple[float, float]], target: float) -> float:
    """The scale of the pilot whose pay per head came closest to ``target``. On one
    replication pay per head is not monotone in the scale (who quits, and when, shifts
    with pay), so the secant may wander; the closest pilot, not the last, is kept.

    >>> closest([(1.0, 6030.0), (2.0, 7745.0), (1.9, 7458.0)], 6041.0)
    1.0
    """
    return min(tried, key=lambda t: abs(t[1] - target))[0]
