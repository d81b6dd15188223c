"""The learning curve and the activity propensity against their formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.config.scenario import Behaviour, Skill, Workforce
from sim.model.control import Control, monitoring_pull
from sim.model.incentives import propensity
from sim.model.labour import LabourMarket, hire_quality, quit_pay_factor, time_to_fill
from sim.model.people import (
    Person,
    effective_propensity,
    habituation_factor,
    hours_to_full_productivity,
    income_factor,
    quit_hazard_per_day,
    skill_after,
)


@pytest.mark.parametrize("hours", [0.0, 10.0, 250.0, 1000.0, 1e5])
def test_learning_curve_matches_its_formula(hours):
    sk = Skill(s0=0.3, s_max=0.95, tau_hours=200.0)
    expected = 0.95 - (0.95 - 0.3) * math.exp(-hours / 200.0)
    assert skill_after(hours, sk) == pytest.approx(expected, rel=1e-12)


def test_learning_accumulates_selling_hours_in_any_order_of_days():
    sk = Skill()
    a = Person(person_id=0, hired_at=0.0, aspiration=1.0)
    for h in [3.0, 5.5, 0.0, 7.0]:
        a.learn(h, sk)
    assert a.selling_hours == pytest.approx(15.5)
    assert a.skill == pytest.approx(skill_after(15.5, sk))


def test_hours_to_full_productivity_inverts_the_curve():
    sk = Skill(s0=0.3, s_max=1.0, tau_hours=250.0, full_productivity=0.9)
    h = hours_to_full_productivity(sk)
    assert skill_after(h, sk) == pytest.approx(0.9)
    assert h == pytest.approx(250.0 * math.log(0.7 / 0.1))


def test_income_targeting_lowers_effort_most_around_the_aspiration():
    b = Behaviour()
    ratios = np.linspace(0.0, 2.0, 41)
    f = np.array([income_factor(r, b) for r in ratios])
    assert np.all(np.diff(f) <= 0)  # never rises with income
    assert f[0] == pytest.approx(1.0, abs=1e-3)  # far below target: full effort
    assert f[-1] == pytest.approx(1.0 - b.income_weight, abs=1e-3)  # far above: the floor
    assert income_factor(1.0, b) == pytest.approx(1.0 - b.income_weight / 2)


def test_habituation_grows_with_tenure_toward_its_weight():
    b = Behaviour(habituation_weight=0.3, habituation_days=500)
    assert habituation_factor(0.0, b) == 1.0
    assert habituation_factor(500.0, b) == pytest.approx(1 - 0.3 * (1 - math.exp(-1)))
    assert habituation_factor(1e6, b) == pytest.approx(0.7)


def test_drift_switched_off_leaves_the_reward_driven_propensity_at_every_income_and_tenure():
    b = Behaviour(drift=False, base_propensity=0.6, intrinsic_propensity=0.2, reward_half=0.05)
    expected = 0.2 + 0.4 * 3.0 / (3.0 + 0.05 * 40.0)
    for ratio in (0.0, 1.0, 3.0):
        for tenure in (0.0, 300.0, 3000.0):
            assert propensity(3.0, 40.0, ratio, tenure, b) == pytest.approx(expected)


def test_propensity_rises_with_the_marginal_reward_from_the_floor_toward_the_ceiling():
    b = Behaviour(drift=False)
    rewards = [0.0, 0.5, 2.0, 10.0, 1e9]
    pis = [propensity(w, 40.0, 0.5, 0.0, b) for w in rewards]
    assert pis[0] == b.intrinsic_propensity  # a flat salary: nothing at the margin
    assert all(a < c for a, c in zip(pis, pis[1:], strict=False))
    assert pis[-1] == pytest.approx(b.base_propensity)


def test_income_targeting_weakens_the_reward_once_the_base_pays_the_aspiration():
    b = Behaviour(drift=True)
    below, above = (propensity(5.0, 40.0, r, 0.0, b) for r in (0.5, 1.5))
    assert above < below
    # it acts on the reward-driven part only: with nothing at the margin, no difference
    assert propensity(0.0, 40.0, 0.5, 0.0, b) == propensity(0.0, 40.0, 1.5, 0.0, b)


def test_monitoring_pull_is_concave_from_zero_to_one():
    c = Control(monitoring_curvature=1.5)
    m = np.linspace(0, 1, 11)
    pull = np.array([monitoring_pull(x, c) for x in m])
    assert pull[0] == 0.0 and pull[-1] == pytest.approx(1.0)
    steps = np.diff(pull)
    assert np.all(steps > 0) and np.all(np.diff(steps) < 0)  # rising less and less
    assert monitoring_pull(0.3, Control(monitoring_curvature=0.0)) == pytest.approx(0.3)


def test_the_labour_market_answers_to_pay_and_ignores_it_at_zero_elasticity():
    m = LabourMarket()
    assert time_to_fill(42.0, 0.7, m) > 42.0 > time_to_fill(42.0, 1.3, m)
    assert hire_quality(0.7, m) < 1.0 < hire_quality(1.3, m)
    assert quit_pay_factor(0.7, m) > 1.0 > quit_pay_factor(1.3, m)
    flat = LabourMarket(applications_elasticity=0, quality_elasticity=0, quit_pay_elasticity=0)
    assert (time_to_fill(42.0, 0.5, flat), hire_quality(0.5, flat),
            quit_pay_factor(0.5, flat)) == (42.0, 1.0, 1.0)


def test_a_better_hire_starts_higher_and_learns_faster():
    sk = Skill(s0=0.3, s_max=1.0, tau_hours=250.0)
    assert skill_after(0.0, sk, 1.2) == pytest.approx(0.36)
    assert skill_after(100.0, sk, 1.2) > skill_after(100.0, sk, 1.0) > skill_after(100.0, sk, 0.8)


def test_monitoring_pulls_behaviour_toward_the_prescription():
    assert effective_propensity(0.2, 0.0, 0.8) == pytest.approx(0.2)
    assert effective_propensity(0.2, 1.0, 0.8) == pytest.approx(0.8)
    assert effective_propensity(0.2, 0.25, 0.8) == pytest.approx(0.35)


def test_quit_hazard_matches_the_annual_rate_at_aspiration_and_rises_below_it():
    w = Workforce(quit_rate_annual=0.25, quit_income_weight=0.5)
    h = quit_hazard_per_day(1.0, w)
    assert 1 - math.exp(-h * 252) == pytest.approx(0.25)
    assert quit_hazard_per_day(0.0, w) == pytest.approx(1.5 * h)
    assert quit_hazard_per_day(2.0, w) == pytest.approx(h)
