"""The budget arithmetic of ``salesim study``: parsing and sizing the screening."""

import pytest

from sim.study.budget import BudgetError, parse_budget, size_screening


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("1h", 3600), ("90s", 90),
                                               ("1h30m", 5400), ("2", 120)])
def test_parse_budget(text, seconds):
    assert parse_budget(text) == seconds


@pytest.mark.parametrize("text", ["", "m30", "30x", "0m", "ten minutes"])
def test_parse_budget_refuses(text):
    with pytest.raises(BudgetError, match="--budget"):
        parse_budget(text)


def test_full_design_when_it_fits():
    s = size_screening(1e9, 0.5, 6, 8, 2)
    assert (s.trajectories, s.replications, s.shrunk, s.dropped) == (10, 4, False, False)
    assert s.points == 10 * 9
    assert s.seconds == pytest.approx(10 * 9 * 4 * 6 * 0.5 / 2)


def test_gives_up_replications_first_and_fits():
    full = 10 * 9 * 4 * 6 * 0.5 / 2
    s = size_screening(full * 0.6, 0.5, 6, 8, 2)
    assert s.trajectories == 10 and s.replications == 2 and s.shrunk
    assert s.seconds <= full * 0.6


def test_then_trajectories():
    per = 9 * 6 * 0.5 / 2  # one trajectory, one replication
    s = size_screening(per * 2 * 5, 0.5, 6, 8, 2)
    assert s.replications == 2 and s.trajectories == 5 and not s.dropped
    assert s.seconds <= per * 10


def test_dropped_when_nothing_fits():
    s = size_screening(1.0, 10.0, 6, 8, 1)
    assert s.dropped and s.trajectories == 2 and s.replications == 2


def test_calibration_effort_grows_with_the_budget():
    from sim.study.budget import calibration_effort

    small, full = calibration_effort(60), calibration_effort(1800)
    assert small["trials"] < full["trials"] and full["trials"] == 60
