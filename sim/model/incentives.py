"""Effort from incentives: what an hour of active work pays, and how much of the free
time a person gives to each kind of it.

The propensity for prospecting and for care is

    pi_k = intrinsic + (base - intrinsic) x D(w_k) [x I(income) x H(tenure) with drift]

with ``D(w) = w / (w + reward_half x hourly aspiration)`` the drive an hour's marginal
reward ``w_k`` gives under the structure's pay plan (commission on the revenue the hour
brings, bonuses per client, per meeting or per task above a norm, a team bonus shared
by the team, so about 1/N per head), ``I`` income targeting (the moss: once the base
pays the aspiration, extra reward matters less; Camerer et al. 1997, contested by
Farber 2015, hence a parameter), ``H`` habituation. A flat salary pays nothing at the
margin, so it buys the intrinsic floor and what monitoring enforces, and raising it
does not lower effort. Evidence that effort answers to the marginal reward: Lazear
(AER 2000), Misra and Nair (QME 2011), Chung, Steenburgh and Sudhir (Marketing
Science 2014), Kishore et al. (JMR 2013: commissions make reps neglect unpaid tasks);
the free-riding of team pay: Holmström (1982), Friebel et al. (AER 2017). The form of
``D`` is an assumption.

What an hour produces is estimated from the territory's averages and the person's
skill (:class:`HourValue`), so the reward answers to the same funnel the simulation
draws from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.config.settings import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.model.people import (
    habituation_factor,
    habituation_factors,
    income_factor,
    income_factors,
)

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.scenario import Scenario
    from sim.config.sections import Behaviour
    from sim.model.market import Accounts


@dataclass(frozen=True)
class Territory:
    """Averages over the accounts that price an hour of work (computed once a run)."""

    win_rate: float  # mean chance an opportunity is won at full skill
    client_value: float  # mean potential annual value of an account
    order_value: float  # mean value of one order
    churn_annual: float  # mean annual churn without neglect

    @classmethod
    def of(cls, acc: Accounts) -> Territory:
        seg = acc.segment
        return cls(win_rate=float(acc.win_rate[seg].mean()),
                   client_value=float(acc.value.mean()),
                   order_value=float((acc.value / (acc.order_rate[seg] * DAYS_PER_YEAR)).mean()),
                   churn_annual=float(-np.expm1(-acc.churn_hazard[seg] * DAYS_PER_YEAR).mean()))


class HourValue(NamedTuple):
    """What one hour of active work is expected to produce (a named tuple: one is made
    per person and day)."""

    meetings: float  # meetings booked per prospecting hour
    new_clients: float  # clients won per prospecting hour
    new_revenue: float  # revenue those clients bring over the reward horizon
    touches: float  # prospect touches per prospecting hour (a process-norm task each)
    care_contacts: float  # care contacts per care hour
    care_revenue: float  # revenue an hour of care brings (upsell) or keeps (retention)


class HourPricing:
    """Prices an hour of active work (:class:`HourValue`) at a given skill; the
    scenario's and the territory's part is worked out once (a department prices every
    person's hour every day)."""

    def __init__(self, sc: Scenario, territory: Territory):
        sel = sc.selling
        self.dials = sel.dials_per_hour * sel.connect_rate  # connected dials per hour
        self.meeting_rate = sel.meeting_rate
        self.win_rate = territory.win_rate
        self.client_value = territory.client_value
        self.horizon = sc.behaviour.reward_horizon_years
        self.contacts = 1.0 / sel.care_contact_hours
        self.kept = (territory.client_value * territory.churn_annual * sel.neglect_weight
                     * sel.care_cadence_days / DAYS_PER_YEAR)
        self.upsell = sel.upsell_prob
        self.order_value = territory.order_value

    def at(self, skill: float, available_share: float, touch_hours: float) -> HourValue:
        """The funnel of :mod:`sim.model.selling` in expectation, at ``skill`` with a share
        ``available_share`` of the territory still available to prospect. A care
        contact sells an upsell with chance ``upsell_prob x skill`` and keeps the client
        from the neglect that a missed cadence adds to its churn."""
        meetings = self.dials * min(1.0, self.meeting_rate * skill * available_share)
        clients = meetings * self.win_rate * skill
        per_contact = self.upsell * skill * self.order_value + self.kept
        return HourValue(meetings, clients, clients * self.client_value * self.horizon,
                         1.0 / touch_hours, self.contacts, self.contacts * per_contact)

    def at_many(self, skills: np.ndarray, available_share: float, touch_hours: float
                ) -> HourValue:
        """:meth:`at` for many skills at once: a :class:`HourValue` of arrays."""
        meetings = self.dials * np.minimum(1.0, self.meeting_rate * skills * available_share)
        clients = meetings * self.win_rate * skills
        per_contact = self.upsell * skills * self.order_value + self.kept
        ones = np.ones(len(skills))
        return HourValue(meetings, clients, clients * self.client_value * self.horizon,
                         ones / touch_hours, ones * self.contacts, self.contacts * per_contact)


def hourly_aspiration(aspiration: float, hours_per_day: float) -> float:
    return aspiration / (DAYS_PER_MONTH * hours_per_day)


def drift_factor(income_ratio: float, tenure_days: float, b: Behaviour) -> float:
    """How much of the drive income targeting and habituation leave (1 without drift)."""
    if not b.drift:
        return 1.0
    return income_factor(income_ratio, b) * habituation_factor(tenure_days, b)


def drift_factors(income_ratio: np.ndarray, tenure_days: np.ndarray, b: Behaviour
                  ) -> np.ndarray:
    """:func:`drift_factor` for many people at once."""
    if not b.drift:
        return np.ones(len(income_ratio))
    return income_factors(income_ratio, b) * habituation_factors(tenure_days, b)


def drifted_propensity(reward: float, hourly: float, drift: float, b: Behaviour) -> float:
    """:func:`propensity` with its :func:`drift_factor` given (one per person and day,
    shared by both kinds of active work)."""
    drive = reward / (reward + b.reward_half * hourly) if reward > 0 else 0.0
    drive *= drift
    return b.intrinsic_propensity + (b.base_propensity - b.intrinsic_propensity) * drive


def drifted_propensities(reward: np.ndarray, hourly: np.ndarray, drift: np.ndarray,
                         b: Behaviour) -> np.ndarray:
    """:func:`drifted_propensity` for many people at once."""
    drive = np.zeros_like(reward, dtype=float)
    np.divide(reward, reward + b.reward_half * hourly, out=drive, where=reward > 0)
    drive *= drift
    return b.intrinsic_propensity + (b.base_propensity - b.intrinsic_propensity) * drive


def propensity(reward: float, hourly: float, income_ratio: float, tenure_days: float,
               b: Behaviour) -> float:
    """Share of free time a person would give to one kind of active work, unmonitored.

    >>> from sim.config.sections import Behaviour
    >>> b = Behaviour(drift=False, intrinsic_propensity=0.25, base_propensity=0.75,
    ...               reward_half=0.05)
    >>> propensity(0.0, 40.0, 0.5, 0.0, b), propensity(2.0, 40.0, 0.5, 0.0, b)
    (0.25, 0.5)
    """
    return drifted_propensity(reward, hourly, drift_factor(income_ratio, tenure_days, b), b)
