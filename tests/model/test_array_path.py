"""The array path for requests (sim.model.booking): the settling of booked desks, and
the array path against the event path on paired runs (the same model in distribution)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
import sim.model.department
from sim.model.booking import Bookings
from sim.model.clock import Clock
from sim.model.journal import Journal
from sim.model.structures import make_structure
from sim.model.workday import LEAD, Desk, Request, RequestQueue
from sim.study.replication import run_replication

from tests.helpers import ROOT, department, small


class Handler:
    def __init__(self):
        self.started: list[tuple[float, int, int]] = []
        self.completed: list[tuple[float, int, int]] = []

    def started_at(self, desk, req, now):
        self.started.append((now, desk.index, req.account))

    def completed_at(self, desk, req, now):
        self.completed.append((now, desk.index, req.account))


def floor(n_desks: int, shared: bool):
    """A clock on the array path (bookings until t = 10) with ``n_desks`` seated desks
    serving one shared queue or a queue each; every desk idle at t = 0."""
    env = Clock()
    env.bookings = Bookings(None)  # the day's step is not run here: only the settling
    env.bookings.until = 10.0
    log = Handler()

    class Hooks:
        started = staticmethod(log.started_at)
        completed = staticmethod(log.completed_at)
        abandoned = staticmethod(lambda desk, req, now: None)

    queues = [RequestQueue(env)] if shared else [RequestQueue(env) for _ in range(n_desks)]
    desks = []
    for i in range(n_desks):
        desk = Desk(env, i)
        desk.queue = queues[0] if shared else queues[i]
        desk.open(Hooks())
        desk.seat(f"person {i}")
        desks.append(desk)
    env.run(until=1e-9)
    assert all(d.idle for d in desks)
    return env, queues, desks, log


def arrive(env, queue, t: float, account: int, service: float) -> Request:
    """A lead arriving from outside at ``t`` (the clock moved there as the feed does)."""
    env.run(until=t)
    req = Request(LEAD, account, t, service, patience=5.0)
    queue.put(req, arriving=True)
    return req


def test_a_desk_booked_until_t_plus_s_takes_a_request_arriving_after_it_at_once():
    env, (queue,), (desk,), log = floor(1, shared=False)
    first = arrive(env, queue, 1.0, 1, 2.0)
    assert desk.booked is not None and desk.busy_until == 3.0
    assert not [e for e in env._queue if e[0] > 1.0]  # no event for its end
    second = arrive(env, queue, 4.5, 2, 1.0)
    assert second.started == 4.5 and desk.busy_until == 5.5  # booked in turn
    assert first.started == 1.0 and desk.served == 1  # the first was settled
    env.run(until=6.0)
    assert desk.take_busy_days(6.0) == pytest.approx(3.0)  # both services, settled
    assert desk.served == 2 and desk.idle and log.completed == []  # outcomes: the day's step
    assert env.bookings.booked == 0 and len(env.bookings._end) == 2


def test_a_request_arriving_during_a_booked_service_waits_and_starts_exactly_at_its_end():
    env, (queue,), (desk,), log = floor(1, shared=False)
    first = arrive(env, queue, 1.0, 1, 2.0)
    second = arrive(env, queue, 2.0, 2, 1.0)
    assert second.started is None and queue.items  # it waits behind the booked service
    env.run(until=5.0)
    assert second.started == 3.0  # taken at the first's end, by the event path
    assert log.completed == [(3.0, 0, 1), (4.0, 0, 2)]
    assert env.bookings._void == [desk.booked or 0]  # the first was taken back
    assert first.started == 1.0 and desk.served == 2


def test_a_shared_queue_hands_a_request_to_the_desk_that_became_free_first():
    env, (queue,), (a, b), log = floor(2, shared=True)
    arrive(env, queue, 1.0, 1, 4.0)  # desk 0, busy until 5
    arrive(env, queue, 2.0, 2, 1.0)  # desk 1, busy until 3
    assert (a.busy_until, b.busy_until) == (5.0, 3.0)
    third = arrive(env, queue, 6.0, 3, 1.0)
    assert b.current is third and a.idle  # desk 1 freed at 3, before desk 0 at 5
    assert third.started == 6.0


def test_a_person_leaving_during_a_booked_service_returns_the_rest_to_the_queue():
    env, (queue,), (desk,), log = floor(1, shared=False)
    req = arrive(env, queue, 1.0, 1, 2.0)
    env.run(until=1.5)
    desk.vacate()
    assert req.service == pytest.approx(1.5) and queue.items  # the rest waits
    assert desk.booked is None and len(env.bookings._void) == 1
    assert desk.take_busy_days(1.5) == pytest.approx(0.5)


def test_a_run_with_a_journal_takes_the_event_path():
    sc = small(**{"experiment.request_path": "arrays"})
    plain = department(sc, "classic")
    assert plain.env.bookings is not None
    kept = sim.model.department.Department(sc, make_structure("classic", sc),
                                           plain.streams, journal=Journal())
    assert kept.env.bookings is None


# ------------------------------------------------- the array path against the events
def test_where_no_outcome_feeds_back_both_paths_give_the_same_numbers(monkeypatch):
    """Leads that never qualify (the M/M/c validation scenario): arrivals, services and
    pay do not depend on what a request led to, so the array path must reproduce the
    event path's every number, queueing, quits and vacancies included."""
    structures = ["ticket_pool", "classic", "staged-3", "segmented"]
    sc = sim.load_scenario(ROOT / "scenarios" / "validation_mmc.yaml").with_overrides({
        "experiment.horizon_years": 0.25, "workforce.managers": 5,
        "demand.inbound_leads_per_day": 24.5, "workforce.quit_rate_annual": 0.95,
        "workforce.vacancy_days": 3, "experiment.structures": structures})
    clocks: list[Clock] = []

    def make() -> Clock:
        clocks.append(Clock())
        return clocks[-1]

    monkeypatch.setattr(sim.model.department, "Clock", make)
    runs = [run_replication(sc.with_overrides({"experiment.request_path": path}), structures,
                            3, 0) for path in ("events", "arrays")]
    arrays = [c.bookings for c in clocks if c.bookings is not None]
    booked = sum(b.booked for b in arrays)  # outcomes booked by the day's step
    taken_back = sum(b._seq for b in arrays) - booked  # ended by events after all
    monthly = runs[0][0]
    assert booked > 500 and taken_back > 100, (booked, taken_back)
    assert monthly["leads_waited"].sum() > 100
    assert monthly["quits"].sum() > 0 and monthly["vacant_seat_days"].sum() > 0
    for a, b in zip(*runs, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


MEASURES = ("leads_answered", "orders_handled", "revenue", "new_clients")
CASES = {
    # queues, lost requests, quits and vacancies (the overrides of tests/model/test_clock.py)
    "turnover": {"workforce.quit_rate_annual": 0.9, "workforce.vacancy_days": 5,
                 "demand.inbound_leads_per_day": 6.0},
    # a warmed-up department taken over in two phases
    "phased": {"experiment.initial_state": "mature", "experiment.warmup_years": 0.5,
               "reorganisation.phase_share": 0.4, "reorganisation.phase_days": 21,
               "demand.inbound_leads_per_day": 4.0},
}


def totals(monkeypatch, sc, structures, seed: int, path: str, booked: list[int]):
    """Each structure's totals over the horizon on one path, and the identities of the
    request counts (each path must keep them by itself)."""
    clocks: list[Clock] = []

    def make() -> Clock:
        clocks.append(Clock())
        return clocks[-1]

    run = sc.with_overrides({"experiment.request_path": path})
    monkeypatch.setattr(sim.model.department, "Clock", make)
    monthly, _ = run_replication(run, structures, seed, 0)
    booked.append(sum(c.bookings.booked for c in clocks if c.bookings is not None))
    g = monthly[monthly["month"] >= 1].groupby("structure").sum(numeric_only=True)
    if sc.experiment.initial_state == "fresh":  # nothing waits at the start
        # Every lead received was started or lost, but those still waiting at the end.
        pending = g["leads_received"] - g["lead_waits"] - g["leads_lost"]
        assert (pending >= 0).all(), pending
    assert (g["leads_answered"] <= g["lead_waits"]).all()
    assert (g["orders_handled"] <= g["order_waits"]).all()
    g["revenue"] = g["revenue_new"] + g["revenue_repeat"]
    g["new_clients"] = g[[c for c in g if c.startswith("new_clients_")]].sum(axis=1)
    return g.loc[structures, list(MEASURES)]


def compare(monkeypatch, case: str, structures: list[str], seeds: range, years: float):
    sc = small(**{"workforce.managers": 4, "experiment.horizon_years": years,
                  "experiment.structures": structures, **CASES[case]})
    booked: list[int] = []
    diffs = []
    for seed in seeds:
        events = totals(monkeypatch, sc, structures, seed, "events", booked)
        arrays = totals(monkeypatch, sc, structures, seed, "arrays", booked)
        diffs.append((arrays - events).to_numpy())
        base = events.to_numpy()
    assert booked[0::2] == [0] * len(seeds) and min(booked[1::2]) > 100  # the paths differ
    d = np.array(diffs)  # seeds x structures x measures
    n = len(seeds)
    # A family of 95 %: each of the k intervals at 1 - 0.05 / k (Bonferroni), Student t
    # on the paired differences (common random numbers: same seed, same streams).
    k = d.shape[1] * d.shape[2]
    t = stats.t.ppf(1 - 0.05 / (2 * k), n - 1)
    mean, half = d.mean(axis=0), t * d.std(axis=0, ddof=1) / np.sqrt(n)
    inside = np.abs(mean) <= half + 1e-9 * np.abs(base)
    assert inside.all(), (f"{case}: mean differences {mean[~inside]} outside "
                          f"+-{half[~inside]} for (structure, measure) "
                          f"{[(structures[i], MEASURES[j]) for i, j in np.argwhere(~inside)]}")


@pytest.mark.parametrize("case, structures", [("turnover", ["classic", "ticket_pool"]),
                                               ("phased", ["classic", "process_norm"])])
def test_the_array_path_agrees_with_the_event_path_on_paired_seeds(monkeypatch, case,
                                                                   structures):
    compare(monkeypatch, case, structures, range(5), 0.5)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_the_array_path_agrees_with_the_event_path_on_more_seeds_and_structures(monkeypatch,
                                                                               case):
    compare(monkeypatch, case, ["classic", "staged-3", "ticket_pool", "process_norm", "segmented"],
            range(100, 116), 1.0)
