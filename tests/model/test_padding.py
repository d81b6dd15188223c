"""Norm padding (sim/model/padding.py): a counted norm is met partly with quick touches
that count and sell nothing, so the value of a counted touch falls as the norm binds
(Bain et al. 2002). Direction tests on common random numbers, 95 % intervals from the
paired differences."""

from __future__ import annotations

import pytest

from sim import run_replication
from sim.model.padding import padded
from sim.study.measures import mean_ci

from tests.helpers import small

R = 6
BASE = {"workforce.managers": 6, "market.n_accounts": 2000, "experiment.horizon_years": 0.5}


def test_the_count_rises_by_the_padded_share_of_the_shortfall_and_real_work_falls():
    for tasks, norm in ((2.0, 10.0), (6.0, 10.0), (9.0, 10.0)):
        quick, real = padded(tasks, norm, 0.5, 0.25)
        assert 0.0 < real < 1.0
        counted = tasks * real + quick
        assert counted - tasks == pytest.approx(0.5 * (norm - tasks))
    assert padded(12.0, 10.0, 0.5, 0.25) == (0.0, 1.0)  # the norm met: no padding
    assert padded(6.0, 10.0, 0.0, 0.25) == (0.0, 1.0)  # nobody pads


def value_per_touch(monthly, managers) -> float:
    """Opportunities opened by prospecting (all opened less the qualified requests) per
    counted task."""
    outbound = monthly["opportunities_opened"].sum() - monthly["leads_qualified"].sum()
    return float(outbound / managers["tasks"].sum())


def _paired(overrides: tuple[dict, dict]) -> list[float]:
    return [value_per_touch(*run_replication(small(**{**BASE, **overrides[1]}),
                                             "process_norm", 23, r))
            / value_per_touch(*run_replication(small(**{**BASE, **overrides[0]}),
                                               "process_norm", 23, r)) - 1.0
            for r in range(R)]


def test_a_tighter_norm_lowers_the_value_of_a_counted_touch():
    norm = "structures.process_norm.norm_tasks_per_day"
    mean, half, _ = mean_ci(_paired(({norm: 10.0}, {norm: 25.0})))
    assert mean + half < 0.0, (mean, half)


def test_padding_lowers_the_value_of_a_counted_touch_at_the_same_norm():
    pad, norm = "structures.process_norm.norm_padding", "structures.process_norm.norm_tasks_per_day"
    mean, half, _ = mean_ci(_paired(({pad: 0.0, norm: 25.0}, {pad: 0.8, norm: 25.0})))
    assert mean + half < 0.0, (mean, half)
