"""Fixtures of the model tests: the small mature department that the roll-out and
transition tests share, and its warm-up, each built once per session."""

from __future__ import annotations

import pytest

from sim import Scenario
from sim.model.reorganisation import Snapshot
from sim.study.replication import warm_up

from tests.helpers import REP, SEED, small


@pytest.fixture(scope="session")
def small_mature() -> Scenario:
    """Six managers after a two-year warm-up, then one year under the structure studied."""
    return small(**{"workforce.managers": 6, "experiment.initial_state": "mature",
                    "experiment.warmup_years": 2.0, "experiment.horizon_years": 1.0})


@pytest.fixture(scope="session")
def warm(small_mature) -> Snapshot:
    """The warm-up of ``small_mature`` on ``(SEED, REP)``. It draws from its own streams,
    so a scenario that differs only after the switch has the same one; a Department
    takes over from a deep copy, so the tests share it unchanged."""
    return warm_up(small_mature, SEED, REP)
