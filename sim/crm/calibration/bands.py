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

The verdict counts the months inside. The bands of one curve share their estimated
``phi`` and means, so the months do not miss independently; the p-value of so few
inside is therefore a parametric bootstrap of the whole check (Davison and Hinkley
1997, 4.2): :data:`BOOTSTRAP` times, ``k`` replications and one export are drawn from
the fitted distributions, the bands drawn again from the drawn replications, and the
months inside counted. The curve **misses** at p < :data:`ALPHA`.

The power: the chance that the verdict is "misses" for a department whose monthly
values are :data:`MISFIT` times the simulated or 1 / :data:`MISFIT` of them (same
dispersion), by the same bootstrap; and, for comparison, with the simulated means and
spread known exactly (unlimited replications). Below :data:`MIN_POWER` the check is
stated to be too small to tell.
"""

from __future__ import annotations

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
#: Draws of the parametric bootstrap behind the p-value and the power.
BOOTSTRAP = 499


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


def dispersion(mean: np.ndarray, sd: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, int]:
    """The Pearson estimate of ``phi`` in ``var = phi x mean``, pooled over the months
    (the last axis) with a positive mean and a spread, and its degrees of freedom."""
    ok = np.isfinite(sd) & (mean > 0) & (k > 1)
    dfs = ((k - 1) * ok).sum(axis=-1)
    terms = np.where(ok, (k - 1) * np.where(ok, sd, 0.0) ** 2 / np.where(ok, mean, 1.0), 0.0)
    return terms.sum(axis=-1) / np.maximum(dfs, 1), int(np.max(dfs))


def _spread(phi, k: int, df: int, limited: bool):
    """The variance-to-mean ratio of the band: ``phi``, widened (``limited``) for the
    simulated mean's error and for ``phi`` estimated on ``df`` degrees of freedom."""
    if not limited:
        return phi
    return phi * (1.0 + 1.0 / k) * (float(stats.t.ppf(0.975, df)) / Z95) ** 2


def _limits(mean: np.ndarray, d, count: bool) -> tuple[np.ndarray, np.ndarray]:
    """The 2.5 % and 97.5 % points of the distribution with ``mean`` and variance
    ``d x mean`` (any shapes that broadcast); a point at the mean where it has none (a
    month every replication shows as zero, money without spread)."""
    mean, d = np.broadcast_arrays(np.asarray(mean, float), np.asarray(d, float))
    low, high = mean.copy(), mean.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        if count:
            pois = (mean > 0) & (d <= 1)
            nb = (mean > 0) & (d > 1)
            for q, out in ((0.025, low), (0.975, high)):
                out[pois] = stats.poisson.ppf(q, mean[pois])
                out[nb] = stats.nbinom.ppf(q, mean[nb] / (d[nb] - 1), 1 / d[nb])
        else:
            ok = (mean > 0) & (d > 0)
            for q, out in ((0.025, low), (0.975, high)):
                out[ok] = stats.gamma.ppf(q, mean[ok] / d[ok], scale=d[ok])
    return low, high


def _draw(rng: np.random.Generator, mean: np.ndarray, phi: float, count: bool,
          size: tuple[int, ...]) -> np.ndarray:
    """Values with ``mean`` (broadcast to ``size``) and variance ``phi x mean``."""
    mean = np.broadcast_to(mean, size)
    out = np.zeros(size)
    ok = mean > 0
    if count and phi <= 1:
        out[ok] = rng.poisson(mean[ok])
    elif count:
        out[ok] = rng.negative_binomial(mean[ok] / (phi - 1), 1 / phi)
    elif phi > 0:
        out[ok] = rng.gamma(mean[ok] / phi, phi)
    else:
        out[ok] = mean[ok]
    return out


def _bootstrap_hits(rng: np.random.Generator, mean: np.ndarray, phi: float, reps: int,
                    count: bool, factor: float = 1.0) -> np.ndarray:
    """Months inside their band in each of :data:`BOOTSTRAP` repetitions of the whole
    check: ``reps`` replications and one export drawn from the fitted distributions (the
    export's means times ``factor``), the bands drawn from the drawn replications."""
    n = len(mean)
    sims = _draw(rng, mean, phi, count, (BOOTSTRAP, reps, n))
    export = _draw(rng, mean * factor, phi, count, (BOOTSTRAP, n))
    m = sims.mean(axis=1)
    phis, df = dispersion(m, sims.std(axis=1, ddof=1), np.full((BOOTSTRAP, n), reps))
    low, high = _limits(m, _spread(phis, reps, max(df, 1), True)[:, None], count)
    return ((export >= low) & (export <= high)).sum(axis=1)


def _p_value(hits, null: np.ndarray):
    """The bootstrap p-value of so few months inside (Davison and Hinkley 1997, 4.4),
    for one count of months inside or an array of them."""
    hits = np.asarray(hits)
    return (1 + (null <= hits[..., None]).sum(axis=-1)) / (len(null) + 1)


def _unlimited_power(mean: np.ndarray, phi: float, count: bool) -> dict[float, float]:
    """The power with the simulated means and spread known exactly: independent months,
    so the months inside are Poisson-binomial."""
    low, high = _limits(mean, phi, count)
    out = {}
    for f in (1.0 / MISFIT, 1.0, MISFIT):
        inside = np.ones(len(mean))
        for i, m in enumerate(mean * f):
            if m > 0 and (count or phi > 0):
                dist = (stats.gamma(m / phi, scale=phi) if not count else
                        stats.poisson(m) if phi <= 1 else stats.nbinom(m / (phi - 1), 1 / phi))
                below = dist.cdf(low[i] - 1) if count else dist.cdf(low[i])
                inside[i] = float(dist.cdf(high[i]) - below)
            else:
                inside[i] = float(low[i] <= m <= high[i])
        out[f] = np.clip(inside, 0.0, 1.0)
    cdf = stats.poisson_binom.cdf(np.arange(len(mean) + 1), out[1.0])
    below = np.flatnonzero(cdf < ALPHA)
    if not below.size:
        return {f: 0.0 for f in (1.0 / MISFIT, MISFIT)}
    return {f: float(stats.poisson_binom.cdf(below.max(), out[f]))
            for f in (1.0 / MISFIT, MISFIT)}


def band_check(observed: np.ndarray, mean: np.ndarray, sd: np.ndarray, k: np.ndarray,
               count: bool, rng: np.random.Generator) -> Band | None:
    """The band, verdict and power of one monthly curve: ``observed`` and the simulated
    ``mean``, ``sd`` and replications ``k`` per month; ``count`` for a count of events
    (else money); ``rng`` for the bootstrap. None where the replications give no spread
    (one replication)."""
    observed = np.asarray(observed, float)
    mean = np.nan_to_num(np.fmax(np.asarray(mean, float), 0.0))
    sd, k = np.asarray(sd, float), np.asarray(k, float)
    phi, df = dispersion(mean, sd, k)
    if df == 0:
        return None
    phi = float(phi)
    reps = max(int(np.nanmax(k)), 2)
    low, high = _limits(mean, _spread(phi, reps, df, True), count)
    inside = (observed >= low) & (observed <= high)
    hits = int(inside.sum())
    null = _bootstrap_hits(rng, mean, phi, reps, count)
    power = {}
    for f in (1.0 / MISFIT, MISFIT):
        alt = _bootstrap_hits(rng, mean, phi, reps, count, f)
        power[f] = float(np.mean(_p_value(alt, null) < ALPHA))
    return Band(low, high, inside, hits, float(_p_value(hits, null)), power,
                _unlimited_power(mean, phi, count))
