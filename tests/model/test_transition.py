"""Reorganisation as a process: old habits giving way, what the switch costs, systems
that take time to build, the months before the switch, and when a change pays back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import compare
from sim.model.structures import make_structure
from sim.model.structures.automated_marketing import MarketingLeads, adbudg, carry_over
from sim.model.workday import LEAD, ORDER
from sim.study.measures import cumulative_difference, payback_and_dip

from tests.helpers import department, small

#: Every reorganisation mechanism set to nothing: an instant, free switch.
INSTANT = {"reorganisation.adaptation_days": 0.0, "reorganisation.training_days": 0.0,
           "reorganisation.severance_months": 0.0, "reorganisation.hiring_cost_months": 0.0,
           "reorganisation.orphan_churn_multiplier": 1.0,
           "reorganisation.loss_quit_weight": 0.0,
           "structures.process_norm.setup_cost": 0.0,
           "structures.process_norm.buildup_cost_monthly": 0.0,
           "structures.process_norm.maturity_start": 1.0,
           "structures.ticket_pool.setup_cost": 0.0,
           "structures.automated_marketing.setup_cost": 0.0,
           "structures.automated_marketing.adstock_half_life_months": 0.0}


@pytest.fixture(scope="module")
def scenario(small_mature):
    """The shared small mature department; ``warm`` is its warm-up."""
    return small_mature


def first_day(sc, name, snap):
    dept = department(sc, name, snap)
    dept.env.run(until=1.0 + 1e-9)
    return dept, {d.person.person_id: d.person.last_pi for d in dept.desks if d.person}


@pytest.mark.parametrize("name", ["ticket_pool", "process_norm"])
def test_an_instant_free_switch_costs_nothing_and_takes_the_new_behaviour_at_once(
        scenario, warm, name):
    sc = scenario.with_overrides(INSTANT)
    dept, pis = first_day(sc, name, warm)
    assert all(dept.staff.compliance(d.person, 1.0) == 1.0 for d in dept.desks if d.person)
    no_habits = scenario.with_overrides({**INSTANT, "reorganisation.resistance_per_year": 0.0})
    _, fresh = first_day(no_habits, name, warm)
    assert pis.keys() == fresh.keys()
    for pid in pis:  # the habit carries no weight
        assert pis[pid] == pytest.approx(fresh[pid]), pid
    monthly, _ = dept.run()
    assert monthly["transition_cost"].sum() == 0.0


def test_with_resistance_a_veterans_early_propensity_lies_between_old_and_new(scenario, warm):
    """On the first day every seat's state is the same in both runs (common random
    numbers), so the new structure's propensity is the instant switch's."""
    resist = scenario.with_overrides({"reorganisation.training_days": 0.0})
    _, mixed = first_day(resist, "process_norm", warm)
    _, new = first_day(scenario.with_overrides(INSTANT), "process_norm", warm)
    habits = {p.person_id: p.last_pi for p, _ in warm.people}
    veterans = [p.person_id for p, _ in warm.people if -p.hired_at > 252]
    assert veterans
    for pid in veterans:
        if pid not in mixed:
            continue
        for k in (0, 1):
            lo, hi = sorted((habits[pid][k], new[pid][k]))
            assert lo - 1e-12 <= mixed[pid][k] <= hi + 1e-12, (pid, k)
        assert mixed[pid] != pytest.approx(new[pid])  # strictly on the way


def test_severance_is_the_layoffs_times_the_months_of_pay_plus_the_setup(scenario, warm):
    sc = scenario.with_overrides({"reorganisation.severance_months": 3.0})
    dept = department(sc, "automated_marketing", warm)
    seated = {d.person.person_id for d in dept.desks if d.person}
    laid_off = [p for p, _ in warm.people if p.person_id not in seated]
    assert laid_off and dept.rec.c["layoffs"][0] == len(laid_off)
    expected = (3.0 * sum(p.income_smoothed for p in laid_off)
                + sc.structures.automated_marketing.setup_cost)
    assert dept.rec.c["transition_cost"][0] == pytest.approx(expected)


def test_marketing_leads_follow_the_adstock_recursion():
    sc = small(**{"structures.automated_marketing.adstock_half_life_months": 2.0,
                  "structures.automated_marketing.budget_monthly": 60000.0})
    s = sc.structures.automated_marketing
    leads = MarketingLeads(s)
    lam = carry_over(2.0)
    leads.start(reorganised=True)
    a = 0.0
    for _ in range(8):
        a = lam * a + (1 - lam) * s.budget_monthly
        assert leads.effective_budget == pytest.approx(a)
        assert leads.paid_leads_per_day() == pytest.approx(adbudg(a, s) / 21)
        leads.close_month()
    steady = MarketingLeads(s)
    steady.start(reorganised=False)
    assert steady.effective_budget == s.budget_monthly  # there from the start


def test_process_maturity_follows_its_build_up_curve(scenario):
    sc = scenario.with_overrides({"structures.process_norm.maturity_start": 0.2,
                                  "structures.process_norm.buildup_days": 100.0,
                                  "structures.process_norm.win_uplift": 0.1})
    org = make_structure("process_norm", sc).org
    org.start(reorganised=True)
    assert [org.maturity(t) for t in (0.0, 50.0, 100.0, 300.0)] == pytest.approx(
        [0.2, 0.6, 1.0, 1.0])
    assert org.win_factor(50.0) == pytest.approx(1.06)
    floor = sc.structures.process_norm.script_floor
    assert org.work_skill(0.0, 50.0) == pytest.approx(floor * 0.6)
    assert org.buildup_cost(90.0) > 0 and org.buildup_cost(120.0) == 0
    org.start(reorganised=False)
    assert org.maturity(0.0) == 1.0 and org.buildup_cost(10.0) == 0


def test_dispatchers_spend_a_share_of_each_orders_handling_time():
    sc = small(**{"structures.automated_marketing.order_intake_share": 0.25,
                  "structures.automated_marketing.dispatch_hours": 0.2})
    org = make_structure("automated_marketing", sc).org
    hours = org.service_hours(np.array([ORDER, ORDER, LEAD]), np.array([2.0, 0.4, 0.5]),
                              np.array([0, 0, 0]))
    assert list(hours) == pytest.approx([0.5, 0.1, 0.2])


def test_the_months_before_the_switch_are_the_same_for_every_structure(scenario):
    res = compare(scenario, ["classic", "ticket_pool", "process_norm"], replications=2,
                  workers=1)
    before = res.monthly[res.monthly.month <= 0]
    assert sorted(before.month.unique()) == list(range(-11, 1))
    frames = [g.drop(columns="structure").reset_index(drop=True)
              for _, g in before.groupby("structure")]
    for f in frames[1:]:
        pd.testing.assert_frame_equal(frames[0], f)
    # totals are over the horizon only
    after = res.monthly[(res.monthly.month > 0) & (res.monthly.structure == "classic")]
    runs = res.runs[res.runs.structure == "classic"].set_index("replication")
    assert np.allclose(runs.revenue, after.groupby("replication").revenue.sum())
    assert res.monthly.loc[res.monthly.month > 0, "transition_cost"].sum() > 0


def _curve(values: dict[str, list[list[float]]]) -> pd.DataFrame:
    """A monthly frame of contribution by structure, replication and month (1..n)."""
    rows = []
    for structure, reps in values.items():
        for r, series in enumerate(reps):
            for m, v in enumerate(series, start=1):
                rows.append({"structure": structure, "replication": r, "month": m,
                             "contribution": v})
    return pd.DataFrame(rows)


def test_payback_and_dip_on_hand_made_series():
    base = [[10.0] * 5, [10.0] * 5]
    monthly = _curve({
        "base": base,
        # cumulative differences: -3, -4, -2, +1, +5: pays back from month 4, dip -4 at 2
        "later": [[7, 9, 12, 13, 14], [7, 9, 12, 13, 14]],
        "never": [[9] * 5, [9] * 5],
        "at_once": [[11] * 5, [11] * 5],
    })
    curve = cumulative_difference(monthly, "base")
    later = curve[curve.structure == "later"].set_index("month")
    assert list(later.difference) == [-3, -4, -2, 1, 5]
    assert (later.ci_low == later.difference).all()  # identical replications: no width
    out = payback_and_dip(curve).set_index("structure")
    assert out.loc["later", "payback_month"] == 4 and out.loc["later", "dip"] == -4
    assert out.loc["later", "dip_month"] == 2
    assert np.isnan(out.loc["never", "payback_month"])
    assert out.loc["at_once", "payback_month"] == 1 and out.loc["at_once", "dip"] == 1
