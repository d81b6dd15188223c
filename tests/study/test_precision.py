"""How many replications would rank a comparison's structures: the replications at
which a Student-t half-width shrinks to what ranking allows, checked against the interval
itself and against the normal approximation."""

from __future__ import annotations

import numpy as np
import pytest

from sim.study.measures import mean_ci
from sim.study.precision import replications_for


def _sample(n: int, mean: float, sd: float) -> np.ndarray:
    """n values with exactly this mean and (n - 1) standard deviation."""
    z = np.random.default_rng(n).standard_normal(n)
    z = (z - z.mean()) / z.std(ddof=1)
    return mean + sd * z


@pytest.mark.parametrize("sd, n, allowed", [(2.0, 4, 1.0), (1.0, 2, 0.3), (20.0, 6, 5.0)])
def test_the_replications_needed_are_the_fewest_whose_half_width_is_within_what_is_allowed(
        sd, n, allowed):
    _, half, _ = mean_ci(_sample(n, 0.0, sd))
    needed = replications_for(half, n, allowed)
    assert needed > n
    _, h_needed, _ = mean_ci(_sample(needed, 0.0, sd))
    assert h_needed <= allowed
    _, h_fewer, _ = mean_ci(_sample(needed - 1, 0.0, sd))
    assert h_fewer > allowed


def test_many_replications_approach_the_normal_sample_size():
    # (z sd / allowed)^2 = (1.96 / 0.1)^2 = 384.1; the t quantile makes it slightly larger
    _, half, _ = mean_ci(_sample(30, 0.0, 1.0))
    assert 385 <= replications_for(half, 30, 0.1) <= 390


def test_enough_replications_already_and_the_limit():
    assert replications_for(0.5, 10, 1.0) == 10
    assert replications_for(100.0, 5, 0.001, limit=1000) == 1000
