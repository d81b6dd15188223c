"""Extreme but valid scenarios run (or are refused with a reason), and never produce
NaN or negative money."""

from __future__ import annotations

import numpy as np
import pytest

import sim

from tests.helpers import small

EXTREMES = {
    "one account": {"market.n_accounts": 1},
    "no inbound demand": {"demand.inbound_leads_per_day": 0.0, "demand.referral_rate": 0.0},
    "zero marketing budget": {"structures.automated_marketing.budget_monthly": 0.0},
    "one manager": {"workforce.managers": 1},
    "200 managers": {"workforce.managers": 200, "market.n_accounts": 6000,
                     "experiment.horizon_years": 0.25},
    "one-month horizon": {"experiment.horizon_years": 1 / 12},
    "20-year horizon": {"experiment.horizon_years": 20.0, "market.n_accounts": 300,
                        "workforce.managers": 2},
    "mature, one manager, one account": {"experiment.initial_state": "mature",
                                         "experiment.warmup_years": 0.25,
                                         "workforce.managers": 1, "market.n_accounts": 1},
}
STRUCTURES = ["classic", "staged-2", "staged-3", "ticket_pool", "process_norm",
              "automated_marketing", "pool_fed_by_marketing"]


@pytest.mark.parametrize("name", list(EXTREMES))
def test_extreme_scenarios_run_without_nan_or_negative_money(name):
    sc = small(**EXTREMES[name])
    monthly, managers = sim.run_replication(sc, STRUCTURES, 1, 0)
    after = monthly[monthly["month"] > 0]  # a mature run also has the warm-up's last months
    assert len(after) == sc.experiment.months * len(STRUCTURES)
    money = monthly[["revenue", "revenue_new", "revenue_repeat", "payroll", "marketing_spend",
                     "overhead_cost", "transition_cost"]]
    assert money.notna().all().all() and (money >= 0).all().all()
    assert monthly["contribution"].notna().all()
    assert np.isfinite(monthly["contribution"]).all()
    assert managers["income"].notna().all() and (managers["income"] >= 0).all()
    summary = sim.run(sc, "classic", replications=2, workers=1).summary()
    assert summary.loc[summary.measure.isin(["revenue", "contribution", "payroll"]),
                       "mean"].notna().all()
