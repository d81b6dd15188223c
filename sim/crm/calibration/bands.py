"""The fit check of a curve of monthly values (clients lost, revenue by month): a 95 %
prediction band per month that stays within what the value can be (never below zero),
the verdict, and how much power that verdict has.

A month's value is a count of events (clients lost) or a sum of amounts over events
(revenue): its variance grows with its mean. The band takes the variance proportional
to the month's simulated mean, ``var = phi x mean``, with ``phi`` the Pearson estimate of
the dispersion pooled over the months (quasi-Poisson; McCullagh and Nelder 1989, 9.2.4),
widened for the simulated mean's own error (``1 + 1/k``) and for the estimated ``phi``
(Student's ``t`` on the pooled degrees of freedom, squared over the normal's). The band
is the 2.5 % and 97.5 % points of a distribution on ``[0, inf)`` with that mean and
variance: a negative binomial for counts (a Poisson where the spread is no wider), a
gamma for money.

The verdict: the number of months inside is a sum of independent trials, each with its
band's own coverage (a count's band covers at least 95 %), so it is Poisson-binomial;
the curve **misses** when so few inside would happen with less than 5 % chance.

The power: the chance that the verdict is "misses" for a department whose monthly
values are :data:`MISFIT` times the simulated or 1 / :data:`MISFIT` of them (same
dispersion). Below :data:`MIN_POWER` the check is stated to be too small to tell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.crm.calibration.correct import Z95

#: The misfit the power is measured against: a department with twice, or half, the
#: simulated monthly values.
MISFIT = 2.0
#: Below this chance of catching a misfit of :data:`MISFIT` a check is too small to tell.
MIN_POWER = 0.5
#: The level of the verdicts: a curve misses at p < ALPHA.
ALPHA = 0.05


@dataclass(frozen=True)
class Band:
    """A monthly curve's band, verdict and power."""

    low: np.ndarray
    high: np.ndarray
    inside: np.ndarray  # bool per month
    hits: int
    p_value: float
    power: dict[float, float]  # misfit factor -> chance the verdict is "misses"
    power_unlimited: dict[float, float]  # the same with the simulated spread known exactly

    @property
    def fits(self) -> bool:
        return self.p_value >= ALPHA

    @property
    def weakest(self) -> float:
        """The misfit factor the check is least likely to catch."""
        return min(self.power, key=self.power.get)


def dispersion(mean: np.ndarray, sd: np.ndarray, k: np.ndarray) -> tuple[float, int]:
    """The Pearson estimate of ``phi`` in ``var = phi x mean``, pooled over months with
    a positive mean and a spread, and its degrees of freedom."""
    ok = np.isfinite(sd) & (mean > 0) & (k > 1)
    df = int((k[ok] - 1).sum())
    if df == 0:
        return math.nan, 0
    return float(((k[ok] - 1) * sd[ok] ** 2 / mean[ok]).sum() / df), df


def _dist(mean: float, d: float, count: bool):
    """A distribution on [0, inf) with ``mean`` and variance ``d x mean``."""
    if count:
        if d <= 1.0:
            return stats.poisson(mean)
        return stats.nbinom(mean / (d - 1.0), 1.0 / d)
    return stats.gamma(mean / d, scale=d)


def _spread_known(mean: float, d: float, count: bool) -> bool:
    """Whether a month has a distribution to draw a band from (else it is a point: a
    month every replication shows as zero, or money without any spread)."""
    return mean > 0 and (count or d > 0)


def _limits(mean: np.ndarray, d: float, count: bool) -> tuple[np.ndarray, np.ndarray]:
    low, high = mean.copy(), mean.copy()
    for i, m in enumerate(mean):
        if _spread_known(m, d, count):
            dist = _dist(m, d, count)
            low[i], high[i] = dist.ppf(0.025), dist.ppf(0.975)
    return low, high


def _inside_chance(mean: np.ndarray, d: float, count: bool, low: np.ndarray,
                   high: np.ndarray) -> np.ndarray:
    """Per month, the chance a value of the distribution with ``mean`` falls in the band."""
    out = np.ones(len(mean))
    for i, m in enumerate(mean):
        if _spread_known(m, d, count):
            dist = _dist(m, d, count)
            below = dist.cdf(low[i] - 1) if count else dist.cdf(low[i])
            out[i] = float(dist.cdf(high[i]) - below)
        else:  # a point band: inside only if the value is that point
            out[i] = float(low[i] <= m <= high[i])
    return np.clip(out, 0.0, 1.0)


def _critical(coverage: np.ndarray) -> int:
    """The most months inside at which the verdict is still "misses" (-1: none)."""
    cdf = stats.poisson_binom.cdf(np.arange(len(coverage) + 1), coverage)
    below = np.flatnonzero(cdf < ALPHA)
    return int(below.max()) if below.size else -1


def _power(mean: np.ndarray, d: float, count: bool, low: np.ndarray, high: np.ndarray,
           critical: int) -> dict[float, float]:
    out = {}
    for f in (1.0 / MISFIT, MISFIT):
        if critical < 0:
            out[f] = 0.0
            continue
        chance = _inside_chance(mean * f, d, count, low, high)
        out[f] = float(stats.poisson_binom.cdf(critical, chance))
    return out


def _spread(phi: float, k: int, df: int, limited: bool) -> float:
    """The variance-to-mean ratio of the band: ``phi``, widened (``limited``) for the
    simulated mean's error and for ``phi`` estimated on ``df`` degrees of freedom."""
    if not limited:
        return phi
    return phi * (1.0 + 1.0 / k) * (float(stats.t.ppf(0.975, df)) / Z95) ** 2


def band_check(observed: np.ndarray, mean: np.ndarray, sd: np.ndarray, k: np.ndarray,
               count: bool) -> Band | None:
    """The band, verdict and power of one monthly curve: ``observed`` and the simulated
    ``mean``, ``sd`` and replications ``k`` per month; ``count`` for a count of events
    (else money). None where the replications give no spread (one replication)."""
    observed, mean = np.asarray(observed, float), np.asarray(mean, float)
    sd, k = np.asarray(sd, float), np.asarray(k, float)
    phi, df = dispersion(mean, sd, k)
    if df == 0:
        return None
    mean = np.nan_to_num(np.fmax(mean, 0.0))
    reps = max(int(np.nanmax(k)), 2)
    out = {}
    for limited in (True, False):
        d = _spread(phi, reps, df, limited)
        low, high = _limits(mean, d, count)
        coverage = _inside_chance(mean, d, count, low, high)
        critical = _critical(coverage)
        out[limited] = (low, high, coverage, _power(mean, d, count, low, high, critical))
    low, high, coverage, power = out[True]
    inside = (observed >= low) & (observed <= high)
    hits = int(inside.sum())
    p = float(stats.poisson_binom.cdf(hits, coverage))
    return Band(low, high, inside, hits, min(p, 1.0), power, out[False][3])
