"""Whether a comparison's intervals can rank its structures, and how many replications
would: checked against the Student-t interval itself and the normal approximation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.study.measures import mean_ci
from sim.study.precision import ranking_precision, replications_to_exclude_zero


def _sample(n: int, mean: float, sd: float) -> np.ndarray:
    """n values with exactly this mean and (n - 1) standard deviation."""
    z = np.random.default_rng(n).standard_normal(n)
    z = (z - z.mean()) / z.std(ddof=1)
    return mean + sd * z


@pytest.mark.parametrize("difference, sd, n", [(1.0, 2.0, 4), (0.3, 1.0, 2), (-5.0, 20.0, 6)])
def test_the_replications_needed_are_the_fewest_whose_interval_excludes_zero(
        difference, sd, n):
    _, half, _ = mean_ci(_sample(n, difference, sd))
    needed = replications_to_exclude_zero(difference, half, n)
    assert needed is not None and needed >= 2
    _, h_needed, _ = mean_ci(_sample(needed, difference, sd))
    assert h_needed < abs(difference)
    if needed > 2:
        _, h_fewer, _ = mean_ci(_sample(needed - 1, difference, sd))
        assert h_fewer >= abs(difference)


def test_many_replications_approach_the_normal_sample_size():
    # (z sd / d)^2 = (1.96 / 0.1)^2 = 384.1; the t quantile makes it slightly larger
    _, half, _ = mean_ci(_sample(30, 0.1, 1.0))
    needed = replications_to_exclude_zero(0.1, half, 30)
    assert 385 <= needed <= 390


def test_no_estimate_from_one_replication_a_zero_difference_or_beyond_the_limit():
    assert replications_to_exclude_zero(1.0, float("nan"), 1) is None
    assert replications_to_exclude_zero(0.0, 1.0, 5) is None
    assert replications_to_exclude_zero(0.001, 5.0, 5, limit=1000) is None


def _differences(rows) -> pd.DataFrame:
    return pd.DataFrame([{"structure": s, "baseline": "classic", "measure": m,
                          "difference": d, "ci_low": d - h, "ci_high": d + h,
                          "replications": n} for s, m, d, h, n in rows])


def test_only_intervals_that_include_zero_are_unresolved_and_the_largest_need_counts():
    frame = _differences([("a", "contribution", 5.0, 1.0, 4),   # excludes zero
                          ("b", "contribution", 1.0, 2.0, 4),   # includes zero
                          ("c", "contribution", -1.0, 4.0, 4),  # includes zero, wider
                          ("a", "revenue", 0.0, 1.0, 4)])
    rp = ranking_precision(frame)
    assert rp.too_wide and rp.unresolved == ("b", "c") and rp.replications == 4
    assert rp.needed == max(replications_to_exclude_zero(1.0, 2.0, 4),
                            replications_to_exclude_zero(-1.0, 4.0, 4))
    assert not ranking_precision(frame[frame.structure == "a"]).too_wide
    assert ranking_precision(frame[frame.structure == "a"], "revenue").needed is None
    one = _differences([("a", "contribution", 5.0, float("nan"), 1)])
    assert ranking_precision(one).unresolved == ("a",) and ranking_precision(one).needed is None
    with pytest.raises(ValueError, match="no paired differences of 'profit'"):
        ranking_precision(frame, "profit")
