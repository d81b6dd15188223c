"""The model against closed forms, within confidence intervals from replications."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

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


def test_cohort_learning_is_better_fit_by_a_power_law_than_an_exponential(default_scenario,
                                                                          size):
    sc = default_scenario.with_overrides({"experiment.initial_state": "fresh"})
    res = sim.run(sc, replications=size["replications"], seed=3)
    cohort = v.cohort_learning(res.managers)
    t = cohort["t"].to_numpy()
    gap = sc.skill.s_max - cohort["mean"].to_numpy()
    _, power = v.fit_power_law(t, gap)
    (a, b), _ = optimize.curve_fit(lambda t, a, b: a * np.exp(-t / b), t, gap, p0=(gap[0], 3))
    exponential = a * np.exp(-t / b)
    # Each hire is exponential in hours worked; hires work at different paces, and an
    # average of exponentials is fit better by a power function (Heathcote et al. 2000).
    assert ((power - gap) ** 2).sum() < ((exponential - gap) ** 2).sum()


def test_marketing_leads_follow_adbudg_and_word_of_mouth_follows_bass():
    for row in v.marketing_leads([0.0, 20_000.0, 40_000.0, 120_000.0], q=0.38):
        for got, mean in ((row["paid_leads"], row["adbudg_expected"]),
                          (row["word_of_mouth"], row["bass_expected"])):
            lo, hi = stats.poisson.interval(0.999, mean) if mean > 0 else (0, 0)
            assert lo <= got <= hi, row
