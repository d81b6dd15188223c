"""The learning curve and the activity propensity against their formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.people import (
    Person,
    behavioural_propensity,
    effective_propensity,
    habituation_factor,
    hours_to_full_productivity,
    income_factor,
    quit_hazard_per_day,
    skill_after,
)
from sim.scenario import Behaviour, Skill, Workforce


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


def test_drift_switched_off_leaves_the_base_propensity_at_every_income_and_tenure():
    b = Behaviour(drift=False, base_propensity=0.6)
    for ratio in (0.0, 1.0, 3.0):
        for tenure in (0.0, 300.0, 3000.0):
            assert behavioural_propensity(ratio, tenure, b) == 0.6


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
