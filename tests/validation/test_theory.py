"""The model against closed forms, within confidence intervals from replications."""

from __future__ import annotations

import pytest
from scipy import stats

import sim
from sim.model.department import Department
from sim.model.streams import Streams
from sim.model.structures import make_structure
from sim.validation.published import cohort_learning, marketing_leads
from sim.validation.queues import (
    check_littles_law,
    check_mm1_personal,
    check_mmc,
    check_pooling,
    monitor_consistency,
    queue_scenario,
)
from sim.validation.trace import RequestTrace


def _cases(name):
    from .conftest import SIZES

    small = SIZES["small"]["queues"]
    full = SIZES["full"]["queues"]
    return [pytest.param(c, rho, id=f"c{c}-rho{rho}",
                         marks=[] if (c, rho) in small else [pytest.mark.validation])
            for c, rho in full]


@pytest.mark.parametrize(("servers", "load"), _cases("mmc"))
def test_pool_as_mmc_agrees_with_erlang_c(servers, load, size, request):
    if (servers, load) not in size["queues"]:
        pytest.skip("runs with --validation-size full")
    for check in check_mmc(servers, load, replications=size["replications"]):
        assert check.agrees, check.row()


def test_personal_queue_agrees_with_mm1(size):
    check = check_mm1_personal(5, 0.8, replications=size["replications"])
    assert check.agrees, check.row()


def test_personal_queues_wait_longer_than_one_pool_by_what_theory_says(size):
    check = check_pooling(5, 0.8, replications=size["replications"])
    assert check.measured > 0 and check.agrees, check.row()


@pytest.mark.parametrize("structure", ["classic", "ticket_pool", "staged-3",
                                       "automated_marketing"])
def test_queue_monitor_is_consistent_on_every_queue_of_a_default_run(default_scenario,
                                                                      structure):
    """Not Little's law: L and lambda W both come from the monitor, so they differ by
    exactly what requests still waiting at the end have spent in the queue; this
    fails only if the monitor misses a change of a queue (see the test below for the
    law itself)."""
    sc = default_scenario.with_overrides({"experiment.warmup_years": 1.0})
    snapshot = sim.warm_up(sc, 3, 0)
    dept = Department(sc, make_structure(structure, sc), Streams(3, 0), snapshot=snapshot)
    dept.run()
    rows = monitor_consistency(dept)
    assert sum(r["entries"] for r in rows) > 1000
    for r in rows:
        assert abs(r["L"] - r["lambda_W"]) <= r["bound"] + 1e-9, r


@pytest.mark.parametrize(("servers", "structure"), [(10, "ticket_pool"), (5, "classic")])
def test_littles_law_on_the_wait_from_arrival_to_start(servers, structure):
    """The number of requests in the queues, sampled at random moments, against the
    arrival rate times the mean of (started - arrived) per request: given the run the
    samples are independent, so the two may differ by the sampling error of a mean
    (99.9 % normal interval). A request that left the queues without being served
    (held out of sight) or a wait measured from the wrong moment breaks it."""
    check = check_littles_law(servers, 0.8, structure)
    assert check.target_low > 0.5 and check.agrees, check.row()


def test_tracing_requests_leaves_the_run_unchanged():
    sc = queue_scenario(3, 0.8, months=2)
    plain = Department(sc, make_structure("ticket_pool", sc), Streams(1, 0)).run()[0]
    dept = Department(sc, make_structure("ticket_pool", sc), Streams(1, 0))
    trace = RequestTrace(dept, 20.0, (1, 0, 7))
    traced = dept.run()[0]
    assert len(trace.requests) == traced["leads_received"].sum() > 0
    assert len(trace.times) > 500
    assert plain.equals(traced)


def test_cohort_learning_slows_relative_to_its_gap_as_an_average_of_exponentials_does(
        default_scenario, size):
    """Each hire learns exponentially in hours worked, at a constant relative rate. Hires
    work at different paces, and an average of exponentials is log-convex: the cohort's
    relative learning rate falls with tenure, the shape that makes cohort curves look
    like power laws (Heathcote, Brown and Mewhort 2000). The monthly ratio of the mean
    remaining gap must therefore rise from the first half-year to the second."""
    sc = default_scenario.with_overrides({"experiment.initial_state": "fresh"})
    res = sim.run(sc, replications=size["replications"], seed=3)
    cohort = cohort_learning(res.managers)
    gap = sc.skill.s_max - cohort["mean"].to_numpy()[:12]
    ratios = gap[1:] / gap[:-1]
    assert ratios[6:].mean() > ratios[:5].mean(), ratios


def test_marketing_leads_follow_adbudg_and_word_of_mouth_follows_bass():
    """Paid leads against the ADBUDG count; word-of-mouth leads against Bass's
    imitation term computed from the monthly levels of clients and prospects, not
    from the rate the model recorded. Each within its 99.9 % Poisson interval; for
    word of mouth the interval runs from the low to the high bound of
    ``bass_expected`` (the rate at the two ends of each month)."""
    rows = marketing_leads([0.0, 20_000.0, 40_000.0, 120_000.0], q=0.38)
    assert rows[-1]["word_of_mouth"] > 20
    for row in rows:
        mean = row["adbudg_expected"]
        lo, hi = stats.poisson.interval(0.999, mean) if mean > 0 else (0, 0)
        assert lo <= row["paid_leads"] <= hi, row
        lo = stats.poisson.ppf(0.0005, row["bass_low"]) if row["bass_low"] > 0 else 0
        hi = stats.poisson.ppf(0.9995, row["bass_high"]) if row["bass_high"] > 0 else 0
        assert lo <= row["word_of_mouth"] <= hi, row
