"""The clock's jump over arrivals known in advance (sim.model.clock): an arrival with nothing
due before it is dispatched without an event, and no number may change by it."""

from __future__ import annotations

import pandas as pd
import pytest

import sim.model.department
from sim.model.clock import Clock
from sim.model.workday import call_soon
from sim.study.replication import run_replication

from tests.helpers import small


def test_the_clock_jumps_only_where_no_event_is_due_at_or_before_the_time():
    env = Clock()
    env.timeout(1.0)
    assert env.advance(0.5) and env.now == 0.5
    assert not env.advance(1.0)  # an event due in that instant runs first
    assert not env.advance(2.0) and env.now == 0.5
    env.step()  # the event at 1.0
    assert env.advance(3.0) and env.now == 3.0 and env.jumped == 2


def test_the_clock_does_not_jump_over_an_urgent_or_normal_event_due_now():
    for urgent in (True, False):
        env = Clock()
        call_soon(env, lambda _event: None, urgent=urgent)
        assert not env.advance(0.25) and env.now == 0
        env.step()
        assert env.advance(0.25)


def test_a_clock_without_jumps_never_moves_by_itself():
    env = Clock(jumps=False)
    assert not env.advance(0.5) and env.now == 0 and env.jumped == 0


@pytest.mark.parametrize("overrides", [
    # queues, lost requests, quits and vacancies
    {"workforce.quit_rate_annual": 0.9, "workforce.vacancy_days": 5,
     "demand.inbound_leads_per_day": 6.0, "experiment.horizon_years": 1.0},
    # a warmed-up department taken over in two phases
    {"experiment.initial_state": "mature", "experiment.warmup_years": 0.5,
     "reorganisation.phase_share": 0.4, "reorganisation.phase_days": 21,
     "demand.inbound_leads_per_day": 4.0},
], ids=["turnover", "phased"])
def test_jumping_over_arrivals_gives_the_plain_simpy_path_exactly(monkeypatch, overrides):
    structures = ["classic", "staged-3", "ticket_pool", "process_norm"]
    sc = small(**{"workforce.managers": 4, "experiment.structures": structures, **overrides})
    clocks: list[Clock] = []

    def run(jumps: bool):
        def make() -> Clock:
            clocks.append(Clock(jumps=jumps))
            return clocks[-1]
        monkeypatch.setattr(sim.model.department, "Clock", make)
        return run_replication(sc, structures, 7, 0)

    plain = run(False)
    assert sum(c.jumped for c in clocks) == 0
    clocks.clear()
    jumped = run(True)
    assert sum(c.jumped for c in clocks) > 1000
    monthly = plain[0]
    assert monthly["leads_waited"].sum() > 0  # requests did queue
    assert (monthly["leads_lost"] + monthly["orders_lost"] > 0).any()
    for a, b in zip(plain, jumped, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


