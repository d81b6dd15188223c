"""Lasting ability and sorting: who is able, who applies, and what they could earn
elsewhere.

Each person has an ability ``a`` drawn at hire from a lognormal of mean 1 and sigma
``skill.ability_sigma``; it scales the skill learning reaches (``s_max x a``,
:func:`sim.model.people.skill_after`), so learning still takes months but the able end
higher and stay higher. Output in sales is right-skewed and large in its spread: in
complex and sales jobs the top decile produces about +80 % over the mean and about 8x
the bottom decile (Hunter, Schmidt and Judiesch, J. Appl. Psych. 1990), lognormal or
Pareto rather than normal (O'Boyle and Aguinis 2012). Meetings and wins are each linear
in skill, so output goes about as ``a^2``: a sigma of 0.35 in ability gives about 0.7
in output, between those two figures.

The outside option of a person of ability ``a`` is ``market_wage x a^m`` (``m``:
``labour.market_ability_elasticity``; the size of the premium top sellers command
elsewhere is not published, hence an assumption with a range). What the plan pays them
is its fixed pay per head plus its variable pay per head scaled by ``a^g``
(``g``: ``labour.output_ability_elasticity``). A vacancy draws
``labour.sorting_candidates`` applicants from the population and hires one of them
with weight ``(plan pay / outside option)^e`` (``e``: ``labour.sorting_elasticity``):
pay for performance attracts the able, a flat salary the rest (Lazear, AER 2000: about
half of +44 % from who joins and stays; Banker et al., JAE 2001). The quit hazard reads
the same ratio (:func:`sim.model.labour.quit_pay_factor`), so the able leave a flat
salary and a commission cut first (Sandvik et al. 2021).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.config.sections import LabourMarket, Skill


def draw_abilities(rng: np.random.Generator, n: int, skill: Skill) -> np.ndarray:
    """``n`` abilities from the population: lognormal with mean 1 and sigma
    ``ability_sigma``."""
    s = skill.ability_sigma
    return np.exp(s * rng.standard_normal(n) - s * s / 2.0)


def outside_option(ability: float, market_wage: float, market: LabourMarket) -> float:
    """What a person of ``ability`` can earn elsewhere a month.

    >>> outside_option(1.0, 7000.0, LabourMarket()), outside_option(1.5, 7000.0, LabourMarket())
    (7000.0, 10500.0)
    """
    return market_wage * ability ** market.market_ability_elasticity


@dataclass(frozen=True)
class PlanPay:
    """A plan's mean fixed and variable pay per head a month (what applicants see)."""

    fixed: float
    variable: float

    def at(self, ability: float, market: LabourMarket) -> float:
        """Monthly pay the plan gives a person of ``ability`` (the variable part scales as
        their output)."""
        return self.fixed + self.variable * ability ** market.output_ability_elasticity


def choose_hire(rng: np.random.Generator, plan: PlanPay, market_wage: float,
                skill: Skill, market: LabourMarket) -> float:
    """The ability of the person hired into a vacancy: ``sorting_candidates`` applicants,
    one chosen with weight ``(plan pay at a / outside option at a) ^ sorting_elasticity``.
    Always the same number of draws, so a replication's stream stays aligned across
    plans (common random numbers)."""
    candidates = draw_abilities(rng, market.sorting_candidates, skill)
    pick = rng.random()
    if market.sorting_elasticity == 0 or len(candidates) == 1:
        return float(candidates[0])
    logs = [market.sorting_elasticity * (math.log(max(plan.at(a, market), 1e-9))
                                         - math.log(outside_option(a, market_wage, market)))
            for a in candidates.tolist()]
    top = max(logs)
    weights = np.exp(np.array(logs) - top)
    cumulative = np.cumsum(weights / weights.sum())
    return float(candidates[min(int(np.searchsorted(cumulative, pick, side="right")),
                                len(candidates) - 1)])
