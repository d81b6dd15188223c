"""How many replications a study needs: the precision rule and the columns it watches.

``compare(..., precision=p)`` keeps adding replications until the 95 % half-width of
revenue, new clients and contribution is within ``p`` of the mean for every structure,
held for a few more replications (Hoad, Robinson and Davies 2010). The rule sees plain
arrays, so it is tested without running a department.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.study.measures import mean_ci

#: The measures the precision rule watches, for every structure.
PRECISION_MEASURES = ("revenue", "new_clients", "contribution")


class PrecisionRule:
    """Replications needed for a relative precision: the 95 % interval half-width of
    each watched measure within ``precision`` of its mean, holding for ``look_ahead``
    more replications (the replication algorithm of Hoad, Robinson and Davies 2010)."""

    def __init__(self, precision: float, look_ahead: int = 5, minimum: int = 3,
                 confidence: float = 0.95):
        if not 0 < precision < 1:
            raise ValueError(f"precision: got {precision}; must be between 0 and 1")
        self.precision = precision
        self.look_ahead = look_ahead
        self.minimum = minimum
        self.confidence = confidence

    def holds(self, columns: list[np.ndarray], n: int) -> bool:
        """Whether the first ``n`` values of every column meet the precision."""
        for values in columns:
            mean, half, _ = mean_ci(values[:n], self.confidence)
            if math.isnan(half) or half > self.precision * abs(mean):
                return False
        return True

    def needed(self, columns: list[np.ndarray]) -> int | None:
        """The smallest n whose precision holds for n .. n + look_ahead, or None."""
        available = min(len(c) for c in columns)
        for n in range(self.minimum, available - self.look_ahead + 1):
            if all(self.holds(columns, m) for m in range(n, n + self.look_ahead + 1)):
                return n
        return None


def precision_columns(outputs: dict, names: list[str]) -> list[np.ndarray]:
    """Each watched measure of each structure, by replication, in replication order
    (only the unbroken run of replications from 0 counts)."""
    done = []
    for r in range(len(outputs)):
        if r not in outputs:
            break
        done.append(r)
    if not done:
        return [np.array([])]
    monthly = pd.concat([outputs[r][0] for r in done], ignore_index=True)
    monthly = monthly[monthly["month"] > 0]  # the horizon, not the warm-up's last year
    runs = monthly.groupby(["structure", "replication"])[
        ["revenue_new", "revenue_repeat", "new_clients_outbound", "new_clients_inbound",
         "new_clients_referral", "new_clients_marketing", "contribution"]].sum()
    runs["revenue"] = runs["revenue_new"] + runs["revenue_repeat"]
    runs["new_clients"] = runs[[c for c in runs.columns if c.startswith("new_clients_")]].sum(
        axis=1)
    return [runs.loc[name, m].sort_index().to_numpy() for name in names
            for m in PRECISION_MEASURES]


@dataclass(frozen=True)
class RankingPrecision:
    """Whether a comparison's intervals are narrow enough to rank its structures against
    the baseline on one measure, and how many replications would make them so."""

    measure: str
    baseline: str
    replications: int
    #: Structures whose paired difference against the baseline has an interval that
    #: includes zero: with these replications they cannot be ranked against it.
    unresolved: tuple[str, ...]
    #: Replications that would make every unresolved interval exclude zero, if the mean
    #: difference and its spread stay as observed; None where that cannot be estimated
    #: (one replication, a zero difference) or exceeds the limit asked for.
    needed: int | None

    @property
    def too_wide(self) -> bool:
        """Some structure cannot be ranked against the baseline."""
        return bool(self.unresolved)


def replications_to_exclude_zero(difference: float, half_width: float, n: int,
                                 confidence: float = 0.95, limit: int = 1000) -> int | None:
    """The fewest replications whose Student-t interval of a mean ``difference`` would
    exclude zero, given the ``half_width`` observed with ``n`` replications (the spread
    recovered from it as ``s = h sqrt(n) / t``); None if more than ``limit`` or not
    estimable."""
    from scipy import stats

    if n < 2 or not half_width > 0 or not difference or difference != difference:
        return None
    q = 0.5 + confidence / 2.0
    sd = half_width * math.sqrt(n) / stats.t.ppf(q, n - 1)
    sizes = np.arange(2, limit + 1)
    narrow = stats.t.ppf(q, sizes - 1) * sd / np.sqrt(sizes) < abs(difference)
    return int(sizes[narrow.argmax()]) if narrow.any() else None


def ranking_precision(differences: pd.DataFrame, measure: str = "contribution",
                      confidence: float = 0.95, limit: int = 1000) -> RankingPrecision:
    """From a paired-differences frame (``Results.differences()``, or a results folder's
    ``differences.csv``, at level ``confidence``): which structures cannot be ranked
    against the baseline on ``measure``, and how many replications would rank them all
    (at most ``limit``)."""
    rows = differences[differences["measure"] == measure]
    if rows.empty:
        raise ValueError(f"measure: no paired differences of {measure!r}")
    unresolved, needed = [], 0
    for r in rows.itertuples():
        if r.ci_low <= 0 <= r.ci_high or r.ci_low != r.ci_low:
            unresolved.append(r.structure)
            n = replications_to_exclude_zero(r.difference, (r.ci_high - r.ci_low) / 2,
                                             int(r.replications), confidence, limit)
            needed = None if n is None or needed is None else max(needed, n)
    return RankingPrecision(measure=measure, baseline=str(rows["baseline"].iloc[0]),
                            replications=int(rows["replications"].max()),
                            unresolved=tuple(unresolved),
                            needed=needed if unresolved else None)
