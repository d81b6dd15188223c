"""Each structure's own mechanism on a small case, and common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from sim.department import Department
from sim.market import NOBODY
from sim.streams import Streams
from sim.structures import adbudg, make_structure, norm_pay
from sim.theory import erlang_c, mmc_mean_wait

from .conftest import ROOT, small


def _dept(sc, name, seed=1, rep=0):
    return Department(sc, make_structure(name, sc), Streams(seed, rep))


def _binomial_ci(k: int, n: int, level: float = 0.99) -> tuple[float, float]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="exact")
    return ci.low, ci.high


def test_handoffs_lose_clients_at_the_configured_rate():
    sc = small(**{"structures.staged.handoff_loss": 0.3, "experiment.horizon_years": 1.5,
                  "workforce.managers": 9, "market.n_accounts": 3000})
    monthly, managers = sim.run_replication(sc, "staged-2", 3, 0)
    won, lost = int(monthly.new_clients.sum()), int(monthly.lost_clients_handoff.sum())
    assert won > 100
    low, high = _binomial_ci(lost, won)
    assert low <= 0.3 <= high, (lost, won)
    # Hunters never keep a client; account managers do.
    assert (managers[managers.role == "hunter"].base_clients == 0).all()
    assert managers[managers.role == "account_manager"].base_clients.max() > 0


def test_a_handed_off_client_starts_with_no_bond_to_its_new_owner():
    sc = small(**{"structures.staged.handoff_loss": 0.0, "selling.relationship_gain_care": 0.0,
                  "selling.relationship_gain_order": 0.0})
    dept = _dept(sc, "staged-2")
    dept.run()
    clients = dept.acc.clients()
    assert len(clients) > 0
    assert (dept.acc.relationship[clients] == 0.0).all()
    roles = np.array([d.role.name for d in dept.desks])
    assert (roles[dept.acc.owner[clients]] == "account_manager").all()


def test_three_step_meetings_go_to_closers_who_open_the_opportunities():
    sc = small(**{"experiment.horizon_years": 0.5, "workforce.managers": 6})
    monthly, managers = sim.run_replication(sc, "staged-3", 2, 0)
    assert monthly.meetings_booked.sum() > 0
    assert managers[managers.role == "closer"].hours_reactive.sum() > 0
    # Lead developers are paid per meeting booked, on top of their salary.
    dev = managers[(managers.role == "lead_developer") & (managers.days_worked == 21)]
    s = sc.structures.staged
    expected = s.hunter_salary_monthly  # per full month, plus the meeting bonus
    assert (dev.income >= expected - 1e-9).all()


def test_in_the_pool_nobody_owns_a_client_and_no_client_follows_a_leaver():
    sc = small(**{"workforce.quit_rate_annual": 0.9, "experiment.horizon_years": 1.0})
    dept = _dept(sc, "ticket_pool")
    monthly, managers = dept.run()
    assert monthly.quits.sum() > 0
    assert monthly.lost_clients_manager_left.sum() == 0
    clients = dept.acc.clients()
    assert len(clients) > 0 and (dept.acc.owner[clients] == NOBODY).all()
    assert (managers.base_clients == 0).all()
    # Every desk serves the one shared queue.
    assert len({id(d.queue) for d in dept.desks}) == 1


def test_the_pool_relationship_is_the_institutional_level():
    sc = small(**{"structures.ticket_pool.institutional_relationship": 0.35})
    dept = _dept(sc, "ticket_pool")
    dept.run()
    clients = dept.acc.clients()
    assert np.allclose(dept.relationship_effect(clients), 0.35)


def test_norm_pay_is_the_rate_for_the_norm_plus_a_piece_bonus_above_it():
    s = sim.Scenario().structures.process_norm.model_copy(
        update={"norm_tasks_per_day": 8, "norm_rate_monthly": 2100, "piece_bonus": 12})
    assert norm_pay(8, s) == pytest.approx(100.0)
    assert norm_pay(11, s) == pytest.approx(100.0 + 3 * 12)
    assert norm_pay(4, s) == pytest.approx(50.0)
    assert norm_pay(0, s) == 0.0


def test_process_norm_income_equals_the_pay_for_the_tasks_done():
    # With a norm nobody reaches, each day's pay is linear in tasks, so a month's
    # income is rate / norm x the month's tasks exactly.
    sc = small(**{"structures.process_norm.norm_tasks_per_day": 1000.0,
                  "structures.process_norm.norm_rate_monthly": 21_000.0})
    _, managers = sim.run_replication(sc, "process_norm", 4, 0)
    assert managers.tasks.sum() > 0
    daily_rate, norm = 21_000.0 / 21, 1000.0
    assert np.allclose(managers.income, managers.tasks * daily_rate / norm)


def test_marketing_leads_follow_the_response_curve_across_budgets():
    base = {"structures.automated_marketing.word_of_mouth_q": 0.0,
            "market.n_accounts": 50_000, "experiment.horizon_years": 1.0,
            "demand.inbound_leads_per_day": 0.0, "demand.referral_rate": 0.0}
    am = sim.Scenario().structures.automated_marketing
    for budget in (0.0, 20_000.0, 40_000.0, 120_000.0):
        sc = small(**base, **{"structures.automated_marketing.budget_monthly": budget})
        monthly, _ = sim.run_replication(sc, "automated_marketing", 5, 0)
        expected = adbudg(budget, am) * sc.experiment.months
        got = monthly.leads_marketing_paid.sum()
        # Poisson count: 99.9 % interval around its mean.
        lo, hi = stats.poisson.interval(0.999, expected) if expected > 0 else (0, 0)
        assert lo <= got <= hi, (budget, got, expected)
        assert monthly.marketing_spend.sum() == pytest.approx(budget * sc.experiment.months)
        assert monthly.new_clients_outbound.sum() == 0  # no outbound


def test_a_hybrid_is_composed_from_a_scenario_without_new_code():
    sc = small(**{"structures.hybrids": {"pool_mkt": {"routing": "ticket_pool",
                                                      "leads": "automated_marketing"}}})
    structure = make_structure("pool_mkt", sc)
    assert structure.org.name == "ticket_pool" and structure.leads.name == "automated_marketing"
    monthly, managers = sim.run_replication(sc, "pool_mkt", 1, 0)
    assert monthly.leads_marketing_paid.sum() > 0
    assert (managers.base_clients == 0).all()
    assert monthly.new_clients_outbound.sum() == 0


def test_the_same_structure_listed_twice_gives_a_zero_paired_difference():
    sc = small(**{"structures.hybrids": {"classic_again": {"routing": "classic"}}})
    res = sim.compare(sc, ["classic", "classic_again"], replications=3, workers=1)
    d = res.differences()
    assert (d.difference.fillna(0) == 0).all() and (d.ci_low.fillna(0) == 0).all()


@pytest.mark.parametrize("initial_state", ["fresh", "mature"])
def test_structures_of_one_replication_share_the_same_market(initial_state):
    sc = small(**{"experiment.initial_state": initial_state, "experiment.warmup_years": 0.5})
    snapshot = sim.warm_up(sc, 7, 0) if initial_state == "mature" else None
    a = Department(sc, make_structure("classic", sc), Streams(7, 0), snapshot=snapshot)
    b = Department(sc, make_structure("ticket_pool", sc), Streams(7, 0), snapshot=snapshot)
    assert np.array_equal(a.acc.value, b.acc.value)
    assert np.array_equal(a.acc.segment, b.acc.segment)
    # The same named stream gives the same draws under both structures.
    assert np.array_equal(a.streams["orders"].random(5), b.streams["orders"].random(5))


def test_the_mature_warm_up_is_identical_whichever_structures_follow():
    sc = small(**{"experiment.initial_state": "mature", "experiment.warmup_years": 0.5})
    s1, s2 = sim.warm_up(sc, 3, 1), sim.warm_up(sc, 3, 1)
    for name in ("state", "owner", "value", "relationship", "last_care", "bond"):
        assert np.array_equal(getattr(s1.accounts, name), getattr(s2.accounts, name))
    assert [(p.person_id, p.skill) for p, _ in s1.people] == \
        [(p.person_id, p.skill) for p, _ in s2.people]
    monthly, managers = sim.run_replication(sc, ["classic", "ticket_pool", "staged-2"], 3, 1)
    # Everyone present at the takeover is the same person with the same tenure.
    first = managers[(managers.month == 1) & (managers.tenure_months > 1.5)]
    ids = {s: set(first[first.structure == s].manager_id) for s in ("classic", "ticket_pool")}
    assert ids["classic"] == ids["ticket_pool"]
    # Clients at the takeover: the same total under every structure, before month 1 flows.
    start = monthly.groupby("structure").apply(
        lambda m: m.active_clients.iloc[0] - m.new_clients.iloc[0] + m.lost_clients.iloc[0],
        include_groups=False)
    assert start.nunique() == 1, start


def test_the_pool_in_mmc_mode_agrees_with_erlang_c():
    sc = sim.load_scenario(ROOT / "scenarios" / "validation_mmc.yaml")
    res = sim.run(sc, workers=2)
    waits = res.runs.lead_wait_hours_mean
    lam, mu, c = 56.0, 7.0, sc.workforce.managers
    theory = mmc_mean_wait(lam, mu, c) * sc.workforce.hours_per_day
    mean, half, _ = sim.experiment.mean_ci(waits, 0.99)
    assert abs(mean - theory) <= half, (mean, half, theory)
    assert erlang_c(c, lam / mu) == pytest.approx(0.409, abs=1e-3)


def test_compare_rejects_an_unknown_structure_and_a_baseline_not_compared():
    sc = small()
    with pytest.raises(ValueError, match="unknown structure"):
        sim.compare(sc, ["classic", "pool"], replications=1)
    with pytest.raises(ValueError, match="baseline"):
        sim.compare(sc, ["classic"], replications=1, baseline="ticket_pool")


def test_every_structure_runs_and_conserves_accounts():
    sc = small(**{"experiment.initial_state": "mature", "experiment.warmup_years": 0.5})
    monthly, managers = sim.run_replication(sc, list(sc.structure_names()), 2, 0)
    states = monthly[["prospects", "opportunities", "active_clients", "lost_accounts"]]
    assert (states.sum(axis=1) == sc.market.n_accounts).all()
    assert set(monthly.structure) == set(sc.structure_names())
    paid = managers.groupby(["structure", "month"]).income.sum()
    payroll = monthly.set_index(["structure", "month"]).payroll
    assert np.allclose(payroll, paid.reindex(payroll.index, fill_value=0.0))
    assert pd.notna(monthly.contribution).all()
