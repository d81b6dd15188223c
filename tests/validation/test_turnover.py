"""The pooled queue while people quit: only the desks that have a person serve.

Ten desks at load 0.3 (offered load 3), 60 % of people quitting a year, each seat
vacant 42 working days: over the first year of a fresh department (all ten start
staffed) some desk is vacant two thirds of the time, 1.1 desks on average. A vacancy
lasts weeks while the queue settles within hours, so while k desks are staffed the pool is
an M/M/k queue, and the run must agree with Erlang C mixed over the share of time each
k was staffed (sampled in the run). With c - 1 colleagues free most of the time,
nothing should wait for days.
"""

from __future__ import annotations

import pytest

from sim.validation.trace import traced_runs
from sim.validation.turnover import check_mmc_turnover, check_patience_turnover, turnover_scenario


@pytest.fixture(scope="module")
def runs(size):
    return traced_runs(turnover_scenario(10, 0.3, 0.6), "ticket_pool",
                       size["replications"], seed=1)


@pytest.fixture(scope="module")
def checks(runs):
    return check_mmc_turnover(10, 0.3, 0.6, runs=runs)


def test_desks_were_vacant_for_a_visible_share_of_the_time(runs):
    """Otherwise the checks below would be Erlang C for ten desks again."""
    assert all(r["quits"] >= 2 for r in runs)
    assert sum(r["staffed_shares"][:10].sum() for r in runs) / len(runs) > 0.05


@pytest.mark.parametrize("what", ["P(wait)", "mean wait (h)"])
def test_pool_with_quits_agrees_with_erlang_c_for_the_desks_staffed(checks, what):
    """Per replication, the measure minus its Erlang C mixture; the 99 % interval of
    that paired difference must contain 0."""
    check = next(c for c in checks if c.name.endswith(what))
    assert check.agrees, check.row()


def test_littles_law_holds_while_people_quit(checks):
    """A request a vacant desk held out of the queue would count in W but not in L."""
    check = next(c for c in checks if c.name.startswith("Little"))
    assert check.agrees, check.row()


def test_no_request_waits_for_days_at_low_load(checks):
    """The longest wait over all runs, against the wait that the Erlang C tail
    (summed over every request of the runs) puts at a 0.001 chance of being exceeded
    by any of them: a few working hours, not the 42-day vacancy."""
    check = next(c for c in checks if c.name.endswith("longest wait (h)"))
    assert check.target_high < 24, check.row()
    assert check.agrees, check.row()


def test_no_lead_gives_up_at_low_load_while_people_quit(size):
    """With the default scenario's patience of 5 working days, the leads abandoned
    against the 99.9 % Poisson quantile of the Erlang C tail's expected count."""
    check = check_patience_turnover(replications=size["replications"])
    assert check.agrees, check.row()
