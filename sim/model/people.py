"""A sales manager: learning curve, activity propensity (the drift), income, quitting."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.config.settings import DAYS_PER_YEAR

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.sections import Behaviour, Skill, Workforce


def skill_after(hours: float, skill: Skill, quality: float = 1.0, ability: float = 1.0
                ) -> float:
    """Exponential learning curve ``s = a s_max - (a s_max - s0) * exp(-x / tau)``.

    ``x`` is the hours of selling work done. Exponential for the individual; averaged
    over a cohort it looks like a power law (Heathcote, Brown and Mewhort 2000). A hire
    of quality ``q`` (:func:`sim.model.labour.hire_quality`) starts at ``min(a s_max, q s0)``
    and learns with time constant ``tau / q``; their lasting ability ``a``
    (:mod:`sim.model.ability`) scales what the curve reaches.
    """
    top = skill.s_max * ability
    s0 = min(top, skill.s0 * quality)
    return top - (top - s0) * math.exp(-hours * quality / skill.tau_hours)


def skills_after(hours: np.ndarray, skill: Skill, quality: np.ndarray, ability: np.ndarray
                 ) -> np.ndarray:
    """:func:`skill_after` for many people at once (the day's work over arrays)."""
    top = skill.s_max * ability
    s0 = np.minimum(top, skill.s0 * quality)
    return top - (top - s0) * np.exp(-hours * quality / skill.tau_hours)


def hours_to_full_productivity(skill: Skill) -> float:
    """Selling hours until skill reaches ``full_productivity * s_max`` (inverse curve)."""
    target = skill.full_productivity * skill.s_max
    if skill.s0 >= target:
        return 0.0
    return -skill.tau_hours * math.log((skill.s_max - target) / (skill.s_max - skill.s0))


def income_factor(ratio: float, behaviour: Behaviour) -> float:
    """Income targeting: effort drops as base income reaches the aspiration.

    A logistic step centred on ``ratio = 1`` (income equal to aspiration), of depth
    ``income_weight`` and width ``income_width`` (Camerer et al. 1997, QJE, on
    daily income targets; the form is an assumption).
    """
    z = (ratio - 1.0) / behaviour.income_width
    z = max(-50.0, min(50.0, z))
    return 1.0 - behaviour.income_weight / (1.0 + math.exp(-z))


def income_factors(ratio: np.ndarray, behaviour: Behaviour) -> np.ndarray:
    """:func:`income_factor` for many people at once."""
    z = np.minimum(np.maximum((ratio - 1.0) / behaviour.income_width, -50.0), 50.0)
    return 1.0 - behaviour.income_weight / (1.0 + np.exp(-z))


def habituation_factor(tenure_days: float, behaviour: Behaviour) -> float:
    """Habituation: unfamiliar, unpleasant work fades with tenure (assumption: exponential)."""
    return 1.0 - behaviour.habituation_weight * (1.0 - math.exp(-tenure_days
                                                                / behaviour.habituation_days))


def habituation_factors(tenure_days: np.ndarray, behaviour: Behaviour) -> np.ndarray:
    """:func:`habituation_factor` for many people at once."""
    return 1.0 - behaviour.habituation_weight * (1.0 - np.exp(-tenure_days
                                                              / behaviour.habituation_days))


def effective_propensity(behavioural: float, pull: float, prescribed: float) -> float:
    """Monitoring pulls behaviour toward the prescription: ``p*pi_p + (1-p)*pi_b``, with
    ``p`` the pull monitoring exerts (:func:`sim.model.control.monitoring_pull`)."""
    return pull * prescribed + (1.0 - pull) * behavioural


def quit_hazard_per_day(income_ratio: float, workforce: Workforce,
                        multiplier: float = 1.0) -> float:
    """Daily quit hazard; rises in proportion to the income shortfall below aspiration."""
    base = -math.log1p(-workforce.quit_rate_annual) / DAYS_PER_YEAR
    shortfall = max(0.0, 1.0 - income_ratio)
    return base * multiplier * (1.0 + workforce.quit_income_weight * shortfall)


def quit_hazards_per_day(income_ratio: np.ndarray, workforce: Workforce,
                         multiplier: np.ndarray) -> np.ndarray:
    """:func:`quit_hazard_per_day` for many people at once."""
    base = -math.log1p(-workforce.quit_rate_annual) / DAYS_PER_YEAR
    shortfall = np.maximum(0.0, 1.0 - income_ratio)
    return base * multiplier * (1.0 + workforce.quit_income_weight * shortfall)


def variable_income_ratio(person: Person) -> float:
    """What income targeting weighs: the person's smoothed variable income (commission,
    bonuses, a team's share, norm pay: all that presence alone does not pay) against
    the aspiration minus their own smoothed fixed pay; no plan is exempt by its form."""
    fixed = person.fixed_smoothed
    return max(0.0, person.income_smoothed - fixed) / max(1.0, person.aspiration - fixed)


def income_loss(person: Person) -> float:
    """Relative fall of a person's smoothed income below the one before a switch."""
    if person.reference_income <= 0:
        return 0.0
    return max(0.0, 1.0 - person.income_smoothed / person.reference_income)


@dataclass
class Person:
    """One hire. A slot of the department holds one person at a time, or none."""

    person_id: int
    hired_at: float
    aspiration: float
    role: str = "manager"
    selling_hours: float = 0.0
    skill: float = 0.0
    income_smoothed: float = 0.0
    base_income: float = 0.0  # variable income over its target (aspiration - fixed pay)
    fixed_smoothed: float = 0.0  # the fixed part of income_smoothed (presence alone pays it)
    desk_at_snapshot: int = -1
    reference_income: float = 0.0  # monthly income before a switch of structure (0: none)
    habit: tuple[float, float] | None = None  # propensities under the old structure
    switched_at: float = 0.0  # when the person's desk came under the new structure
    last_pi: tuple[float, float] = (0.0, 0.0)  # prospecting and care propensity, last day
    quality: float = 1.0  # of the hire: starting skill and learning pace (sim.model.labour)
    last_tasks: float = 0.0  # tasks done on the last day worked (a norm's regime)
    ability: float = 1.0  # lasting: scales the skill learning reaches (sim.model.ability)
    totals: dict[str, float] = field(default_factory=dict)

    def tenure_days(self, now: float) -> float:
        return max(0.0, now - self.hired_at)

    def learn(self, hours: float, skill: Skill) -> None:
        self.selling_hours += hours
        self.skill = skill_after(self.selling_hours, skill, self.quality, self.ability)
