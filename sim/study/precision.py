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


#: The widest paired interval of contribution against the baseline that still ranks
#: structures, as a share of the baseline's mean contribution: a difference smaller than
#: this is not one an owner would reorganise for (a choice, the report states it).
RANK_PRECISION = 0.05


@dataclass(frozen=True)
class RankingPrecision:
    """Whether the paired 95 % intervals of a measure against the baseline are too wide to
    rank the structures, the widest (its half-width and structure), the half-width
    allowed, and the replications that would bring every half-width within it."""

    too_wide: bool
    widest: float
    structure: str
    allowed: float
    needed: int


def replications_for(half_width: float, replications: int, allowed: float,
                     confidence: float = 0.95, limit: int = 100_000) -> int:
    """The replications at which a Student-t half-width, ``half_width`` after
    ``replications``, shrinks to ``allowed`` with the same spread (at most ``limit``)."""
    from scipy import stats  # here, not at import: `import sim` stays light

    if replications < 2 or not math.isfinite(half_width) or half_width <= allowed:
        return replications
    q = 0.5 + confidence / 2.0
    sd = half_width * math.sqrt(replications) / stats.t.ppf(q, replications - 1)
    m = np.arange(replications, limit + 1)
    ok = np.nonzero(stats.t.ppf(q, m - 1) * sd / np.sqrt(m) <= allowed)[0]
    return int(m[ok[0]]) if len(ok) else limit


def ranking_precision(differences: pd.DataFrame, summary: pd.DataFrame, baseline: str,
                      replications: int, measure: str = "contribution",
                      precision: float = RANK_PRECISION) -> RankingPrecision | None:
    """Whether ``differences.csv``'s paired intervals of ``measure`` are too wide to rank
    the structures: any half-width above ``precision`` of the baseline's mean (from
    ``summary.csv``); None where the tables lack the measure or the baseline."""
    d = differences[(differences["measure"] == measure)
                    & (differences["structure"] != baseline)]
    base = summary[(summary["measure"] == measure) & (summary["structure"] == baseline)]
    if d.empty or base.empty or not math.isfinite(float(base["mean"].iloc[0])):
        return None
    allowed = precision * abs(float(base["mean"].iloc[0]))
    half = (d["ci_high"] - d["ci_low"]) / 2.0
    if half.isna().all():  # one replication: no interval at all
        return RankingPrecision(True, math.nan, "", allowed, max(replications, 2))
    i = half.idxmax()
    widest = float(half[i])
    needed = max(replications_for(float(h), replications, allowed) for h in half.dropna())
    return RankingPrecision(widest > allowed, widest, str(d.loc[i, "structure"]), allowed,
                            needed)
