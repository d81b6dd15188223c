"""Invariants of whole runs on random small departments (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import run_replication
from sim.config.scenario import DAYS_PER_MONTH

from tests.helpers import small

departments = st.fixed_dictionaries({
    "market.n_accounts": st.integers(1, 400),
    "workforce.managers": st.integers(1, 5),
    "workforce.quit_rate_annual": st.sampled_from([0.0, 0.25, 0.9]),
    "workforce.vacancy_days": st.sampled_from([0.0, 10.0, 42.0]),
    "workforce.hire_spread_days": st.sampled_from([0.0, 30.0]),
    "demand.inbound_leads_per_day": st.sampled_from([0.0, 0.5, 5.0, 40.0]),
    "demand.order_patience_days": st.sampled_from([0.05, 3.0]),
    "demand.service_time": st.sampled_from(["exponential", "deterministic"]),
    "behaviour.drift": st.booleans(),
    "selling.dials_per_hour": st.sampled_from([0.0, 10.0, 60.0]),
    "experiment.horizon_years": st.sampled_from([1 / 12, 0.25, 0.5]),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=departments, seed=st.integers(0, 2**32))
def test_a_run_conserves_accounts_hours_and_money(overrides, seed):
    sc = small(**overrides)
    monthly, managers = run_replication(sc, "classic", seed, 0)
    n = sc.market.n_accounts
    hours = sc.workforce.hours_per_day

    # Every account is in exactly one state at every month's end.
    states = monthly[["prospects", "opportunities", "active_clients", "lost_accounts"]]
    assert (states.sum(axis=1) == n).all()
    assert (states >= 0).all().all()

    # No negative hours; each manager-month's hours fill exactly the days worked.
    cols = ["hours_reactive", "hours_care", "hours_prospecting", "hours_idle"]
    assert (managers[cols] >= -1e-9).all().all()
    assert (monthly[cols] >= -1e-9).all().all()
    filled = managers[cols].sum(axis=1)
    assert np.allclose(filled, managers["days_worked"] * hours)
    assert (managers["days_worked"] <= DAYS_PER_MONTH).all()
    assert np.allclose(monthly[cols].sum(axis=1), monthly["manager_days"] * hours)

    # Payroll is the sum of the incomes paid; money is never negative or NaN.
    paid = managers.groupby("month")["income"].sum().reindex(monthly["month"], fill_value=0)
    assert np.allclose(monthly["payroll"].to_numpy(), paid.to_numpy())
    for col in ["revenue", "revenue_new", "revenue_repeat", "payroll", "income",
                "overhead_cost"]:
        frame = managers if col == "income" else monthly
        assert frame[col].notna().all() and (frame[col] >= 0).all()
    assert monthly["contribution"].notna().all()
    assert np.allclose(monthly["contribution"],
                       monthly["revenue"] * sc.market.gross_margin - monthly["payroll"]
                       - monthly["marketing_spend"] - monthly["overhead_cost"])

    # Flows agree with levels: clients won minus clients lost is the change in clients.
    net = (monthly["new_clients"] - monthly["lost_clients"]).cumsum()
    assert (net == monthly["active_clients"]).all()
    assert monthly["leads_answered"].sum() + monthly["leads_lost"].sum() <= \
        monthly["leads_received"].sum()
