"""Which measures apply to which structure: from the roles of its seats, so that a
table shows n/a rather than a 0.0 % that reads as a result."""

from __future__ import annotations

import pytest

from sim import Scenario
from sim.model.structures import make_structure
from sim.study.applicability import NEEDS_CHOICE, NEEDS_OWNER, measure_applies

SCENARIO = Scenario()


def _roles(name: str):
    built = make_structure(name, SCENARIO)
    return built.org.roles(built.org.seats(SCENARIO.workforce.managers)), built.leads


@pytest.mark.parametrize("name", SCENARIO.structure_names())
def test_a_measure_applies_exactly_where_the_roles_give_it_a_meaning(name):
    roles, leads = _roles(name)
    owners = any(r.owns for r in roles)
    choosers = any((r.prospects and leads.outbound) or r.care is not None for r in roles)
    for m in NEEDS_OWNER:
        assert measure_applies(SCENARIO, name, m) is owners
    for m in NEEDS_CHOICE:
        assert measure_applies(SCENARIO, name, m) is choosers
    for m in ("revenue", "contribution", "new_clients", "lead_wait_hours_mean"):
        assert measure_applies(SCENARIO, name, m)


def test_the_three_cases_the_issue_names():
    assert not measure_applies(SCENARIO, "automated_marketing", "active_share")
    assert not measure_applies(SCENARIO, "automated_marketing", "moss_curve")
    assert not measure_applies(SCENARIO, "ticket_pool", "top_manager_revenue_share")
    assert measure_applies(SCENARIO, "ticket_pool", "active_share")
    assert measure_applies(SCENARIO, "classic", "top_manager_revenue_share")


def test_a_process_norm_that_pools_requests_has_no_owner():
    pooled = SCENARIO.with_overrides({"structures.process_norm.assignment": "pool"})
    assert measure_applies(SCENARIO, "process_norm", "top_manager_revenue_share")
    assert not measure_applies(pooled, "process_norm", "top_manager_revenue_share")
