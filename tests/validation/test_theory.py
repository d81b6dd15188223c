"""The model against closed forms, within confidence intervals from replications."""

from __future__ import annotations

import pytest
from scipy import stats

import sim
from sim import validation as v
from sim.department import Department
from sim.streams import Streams
from sim.structures import make_structure


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
    for check in v.check_mmc(servers, load, replications=size["replications"]):
        assert check.agrees, check.row()


def test_personal_queue_agrees_with_mm1(size):
    check = v.check_mm1_personal(5, 0.8, replications=size["replications"])
    assert check.agrees, check.row()


def test_personal_queues_wait_longer_than_one_pool_by_what_theory_says(size):
    check = v.check_pooling(5, 0.8, replications=size["replications"])
    assert check.measured > 0 and check.agrees, check.row()


@pytest.mark.parametrize("structure", ["classic", "ticket_pool", "staged-3",
                                       "automated_marketing"])
def test_littles_law_holds_on_every_queue_of_a_default_run(default_scenario, structure):
    sc = default_scenario.with_overrides({"experiment.warmup_years": 1.0})
    snapshot = sim.warm_up(sc, 3, 0)
    dept = Department(sc, make_structure(structure, sc), Streams(3, 0), snapshot=snapshot)
    dept.run()
    rows = v.littles_law(dept)
    assert sum(r["entries"] for r in rows) > 1000
    for r in rows:
        # Sample-path Little's law: the gap is at most what requests still waiting at
        # the end have spent in the queue, over the horizon.
        assert abs(r["L"] - r["lambda_W"]) <= r["bound"] + 1e-9, r


def test_cohort_learning_slows_relative_to_its_gap_as_an_average_of_exponentials_does(
        default_scenario, size):
    """Each hire learns exponentially in hours worked, at a constant relative rate. Hires
    work at different paces, and an average of exponentials is log-convex: the cohort's
    relative learning rate falls with tenure, the shape that makes cohort curves look
    like power laws (Heathcote, Brown and Mewhort 2000). The monthly ratio of the mean
    remaining gap must therefore rise from the first half-year to the second."""
    sc = default_scenario.with_overrides({"experiment.initial_state": "fresh"})
    res = sim.run(sc, replications=size["replications"], seed=3)
    cohort = v.cohort_learning(res.managers)
    gap = sc.skill.s_max - cohort["mean"].to_numpy()[:12]
    ratios = gap[1:] / gap[:-1]
    assert ratios[6:].mean() > ratios[:5].mean(), ratios


def test_marketing_leads_follow_adbudg_and_word_of_mouth_follows_bass():
    for row in v.marketing_leads([0.0, 20_000.0, 40_000.0, 120_000.0], q=0.38):
        for got, mean in ((row["paid_leads"], row["adbudg_expected"]),
                          (row["word_of_mouth"], row["bass_expected"])):
            lo, hi = stats.poisson.interval(0.999, mean) if mean > 0 else (0, 0)
            assert lo <= got <= hi, row
