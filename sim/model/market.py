"""The market: accounts in a finite territory, their states, and the demand they make.

Accounts are held as numpy arrays (one entry per account) so that daily updates of
thousands of accounts (churn, relationship decay, order arrivals) are single array
operations. Every account is in exactly one state; :meth:`Accounts.check` proves it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.config.settings import DAYS_PER_YEAR

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.sections import Demand, Market

PROSPECT, OPPORTUNITY, CLIENT, LOST = 0, 1, 2, 3

NOBODY = -1


def lognormal_parameters(cv: float) -> tuple[float, float]:
    """``(mu, sigma)`` of the lognormal with mean 1 and coefficient of variation ``cv``:
    ``sigma^2 = log(1 + cv^2)``, ``mu = -sigma^2 / 2``. Computed with :mod:`math`, whose
    results do not depend on the numpy release (numpy's vectorised ``log1p`` may differ
    from it in the last bit)."""
    sigma2 = math.log1p(cv * cv)
    return -sigma2 / 2.0, math.sqrt(sigma2)


def lognormal_mean_one(normal: Callable[[], float], cv: float) -> float:
    """A lognormal multiplier with mean 1 and coefficient of variation ``cv``, from one
    standard normal draw of ``normal()`` (none when ``cv`` is 0): ``exp(mu + sigma z)``,
    the formula numpy's ``Generator.lognormal(mu, sigma)`` applies to the same draw."""
    if cv <= 0:
        return 1.0
    mu, sigma = lognormal_parameters(cv)
    return math.exp(mu + sigma * normal())


def qualify_probability(delay_hours, demand: Demand):
    """Chance a lead qualifies when first contacted after ``delay_hours`` working hours.

    ``q(d) = q_max * (f + (1 - f) * exp(-d / tau))``. With the defaults (tau 0.49 h,
    f 0.006) a lead answered in the first hour qualifies about 7 times as often as one
    answered an hour later and about 60 times as often as one answered a day later
    (Oldroyd, McElheran and Elkington, HBR 2011).
    """
    f = demand.lead_decay_floor
    if isinstance(delay_hours, float):  # one lead, as the request path asks
        decay = math.exp(-delay_hours / demand.lead_decay_hours)
    else:
        decay = np.exp(-np.asarray(delay_hours) / demand.lead_decay_hours)
    return demand.lead_qualify_max * (f + (1.0 - f) * decay)


@dataclass
class Accounts:
    """All accounts of the territory as parallel arrays."""

    segment: np.ndarray  # int, index into segment_names
    value: np.ndarray  # potential annual value V
    state: np.ndarray  # int8, PROSPECT..LOST
    owner: np.ndarray  # int, slot index of the owning manager, NOBODY if none
    engaged: np.ndarray  # bool, a lead or meeting is pending for this prospect
    relationship: np.ndarray  # bond r in [0, 1] with whoever serves the client
    last_care: np.ndarray  # time of the last proactive care contact
    won_at: np.ndarray  # time the account last became a client
    lost_at: np.ndarray  # time the account last became lost
    source: np.ndarray  # int, how the current client was won (index into SOURCES)
    bond: np.ndarray  # person id the client's relationship is with, -1 if none
    revenue: np.ndarray  # revenue booked from the account so far
    segment_names: tuple[str, ...]
    order_rate: np.ndarray  # per segment: orders per day
    churn_hazard: np.ndarray  # per segment: base hazard per day
    rho: np.ndarray  # per segment
    cycle_days: np.ndarray  # per segment
    win_rate: np.ndarray  # per segment
    order_hours: np.ndarray  # per segment
    order_value_cv: np.ndarray  # per segment

    @classmethod
    def create(cls, market: Market, rng: np.random.Generator) -> Accounts:
        names = tuple(market.segments)
        segs = list(market.segments.values())
        shares = np.array([s.share for s in segs])
        n = market.n_accounts
        # Deterministic counts by share (largest remainder), then shuffled positions.
        raw = shares * n
        counts = np.floor(raw).astype(int)
        for i in np.argsort(-(raw - counts))[: n - counts.sum()]:
            counts[i] += 1
        segment = np.repeat(np.arange(len(segs)), counts)
        rng.shuffle(segment)
        medians = np.array([s.value_median for s in segs])[segment]
        sigmas = np.array([s.value_sigma for s in segs])[segment]
        value = medians * np.exp(sigmas * rng.standard_normal(n))
        return cls(
            segment=segment,
            value=value,
            state=np.zeros(n, dtype=np.int8),
            owner=np.full(n, NOBODY, dtype=np.int64),
            engaged=np.zeros(n, dtype=bool),
            relationship=np.zeros(n),
            last_care=np.zeros(n),
            won_at=np.full(n, -np.inf),
            lost_at=np.full(n, -np.inf),
            source=np.full(n, -1, dtype=np.int8),
            bond=np.full(n, -1, dtype=np.int64),
            revenue=np.zeros(n),
            segment_names=names,
            order_rate=np.array([s.orders_per_year / DAYS_PER_YEAR for s in segs]),
            churn_hazard=np.array([-np.log1p(-s.churn_annual) / DAYS_PER_YEAR for s in segs]),
            rho=np.array([s.rho for s in segs]),
            cycle_days=np.array([s.sales_cycle_days for s in segs]),
            win_rate=np.array([s.win_rate for s in segs]),
            order_hours=np.array([s.order_hours for s in segs]),
            order_value_cv=np.array([s.order_value_cv for s in segs]),
        )

    @property
    def n(self) -> int:
        return len(self.state)

    def state_counts(self) -> np.ndarray:
        return np.bincount(self.state, minlength=4)

    def available_prospects(self) -> np.ndarray:
        return np.flatnonzero((self.state == PROSPECT) & ~self.engaged)

    def clients(self) -> np.ndarray:
        return np.flatnonzero(self.state == CLIENT)

    def expected_value(self, idx: np.ndarray, institutional: float) -> np.ndarray:
        """Annual value the given clients are expected to bring: potential ``V`` raised by
        the relationship they feel, ``V (1 + rho max(r, institutional))``."""
        seg = self.segment[idx]
        return self.value[idx] * (1.0 + self.rho[seg] * np.maximum(self.relationship[idx],
                                                                   institutional))

    def check(self) -> None:
        """Conservation and consistency: fail loudly if an account is in no or two states."""
        counts = self.state_counts()
        if counts.sum() != self.n or self.state.min() < PROSPECT or self.state.max() > LOST:
            raise AssertionError(f"account states do not conserve: {counts} of {self.n}")
        if np.any(self.engaged & (self.state != PROSPECT)):
            raise AssertionError("an account is engaged as a lead but is not a prospect")
        if np.any((self.relationship < 0) | (self.relationship > 1)):
            raise AssertionError("a relationship is outside [0, 1]")
