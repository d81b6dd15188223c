"""How much of a sale needs a salesperson (sim/model/self_serve.py): the settings of a
structure without salespeople follow market.self_serve, and a market where more of a
sale is self-serve raises that structure's win rate and contribution. Direction tests
on common random numbers, 95 % intervals from the paired differences."""

from __future__ import annotations

import pytest

from sim import run_replication
from sim.config.sections import Market, Skill
from sim.model.self_serve import without_salesperson
from sim.model.structures import make_structure
from sim.study.measures import mean_ci

from tests.helpers import small

R = 6
BASE = {"experiment.horizon_years": 0.5, "market.n_accounts": 1500}


def test_the_settings_follow_self_serve_unless_given():
    w = without_salesperson(Market(self_serve=0.3, self_serve_bond=0.5), Skill(s_max=0.9))
    assert (w.close_skill, w.reminder_effect, w.bond) == pytest.approx((0.27, 0.3, 0.15))
    lo = make_structure("automated_marketing", small(**{"market.self_serve": 0.2}))
    hi = make_structure("automated_marketing", small(**{"market.self_serve": 0.8}))
    assert lo.org.work_skill(1.0, 0.0) < hi.org.work_skill(1.0, 0.0)
    assert lo.leads.reminder_effect < hi.leads.reminder_effect
    assert lo.org.institutional_relationship < hi.org.institutional_relationship
    given = small(**{"market.self_serve": 0.2,
                     "structures.automated_marketing.close_skill": 0.7})
    assert make_structure("automated_marketing", given).org.work_skill(0.1, 0.0) == 0.7


def _win_rate_and_contribution(self_serve: float, r: int) -> tuple[float, float]:
    sc = small(**{**BASE, "market.self_serve": self_serve})
    m, _ = run_replication(sc, "automated_marketing", 13, r)
    won, lost = m["opportunities_won"].sum(), m["opportunities_lost"].sum()
    revenue = m["revenue_new"].sum() + m["revenue_repeat"].sum()
    contribution = (sc.market.gross_margin * revenue - m["payroll"].sum()
                    - m["overhead_cost"].sum() - m["marketing_spend"].sum())
    return won / (won + lost), contribution


def test_more_self_serve_raises_automated_marketings_win_rate_and_contribution():
    wins, contributions = [], []
    for r in range(R):
        (w0, c0), (w1, c1) = (_win_rate_and_contribution(s, r) for s in (0.3, 0.9))
        wins.append(w1 - w0)
        contributions.append(c1 - c0)
    for diffs in (wins, contributions):
        mean, half, _ = mean_ci(diffs)
        assert mean - half > 0.0, (mean, half)
