"""Exact-order tests of a manager's day on tiny cases checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from sim.model.workday import LEAD, ORDER, Desk, Request, RequestQueue, split_day


class LogHandler:
    def __init__(self, log):
        self.log = log

    def started(self, desk, req, now):
        self.log.append((round(now, 6), "start", req.kind, req.account))

    def completed(self, desk, req, now):
        self.log.append((round(now, 6), "done", req.kind, req.account))

    def abandoned(self, desk, req, now):
        self.log.append((round(now, 6), "gone", req.kind, req.account))


def feed(env, queue, arrivals, arriving=False):
    """Put (time, request) pairs into the queue at their times (``arriving``: as new
    arrivals, see ``RequestQueue.put``)."""
    for t, req in arrivals:
        yield env.timeout(t - env.now)
        queue.put(req, arriving)


def setup(env, log, arrivals, person="ann"):

    queue = RequestQueue(env)
    desk = Desk(env, 0)
    desk.queue = queue
    if person is not None:
        desk.seat(person)
    desk.open(LogHandler(log))
    env.process(feed(env, queue, arrivals))
    return desk, queue


def test_requests_are_served_first_come_first_served_the_moment_the_desk_is_free(env, log):
    # A lead at 0.1 needing 0.2 days; an order at 0.15 needing 0.1; an order at 0.6.
    arrivals = [(0.1, Request(LEAD, 1, 0.1, 0.2, 5)),
                (0.15, Request(ORDER, 2, 0.15, 0.1, 5)),
                (0.6, Request(ORDER, 3, 0.6, 0.05, 5))]
    desk, _ = setup(env, log, arrivals)
    env.run(until=1.0)
    assert log == [
        (0.1, "start", LEAD, 1), (0.3, "done", LEAD, 1),
        (0.3, "start", ORDER, 2), (0.4, "done", ORDER, 2),
        (0.6, "start", ORDER, 3), (0.65, "done", ORDER, 3),
    ]
    # Busy 0.2 + 0.1 + 0.05 = 0.35 of the day; the rest is free time.
    assert desk.take_busy_days(env.now) == pytest.approx(0.35)
    assert desk.take_busy_days(env.now) == 0.0


def test_busy_time_of_a_service_spanning_the_day_end_is_split_between_days(env, log):
    desk, _ = setup(env, log, [(0.9, Request(ORDER, 7, 0.9, 0.3, 5))])
    env.run(until=1.0)
    assert desk.take_busy_days(1.0) == pytest.approx(0.1)
    env.run(until=2.0)
    assert desk.take_busy_days(2.0) == pytest.approx(0.2)
    assert log == [(0.9, "start", ORDER, 7), (1.2, "done", ORDER, 7)]


def test_a_request_past_its_patience_is_gone_when_reached_and_costs_no_time(env, log):
    arrivals = [(0.0, Request(ORDER, 1, 0.0, 0.5, 5)),
                (0.1, Request(LEAD, 2, 0.1, 0.1, 0.2)),  # would start at 0.5, patience to 0.3
                (0.2, Request(ORDER, 3, 0.2, 0.1, 5))]
    desk, _ = setup(env, log, arrivals)
    env.run(until=1.0)
    assert log == [(0.0, "start", ORDER, 1), (0.5, "done", ORDER, 1),
                   (0.5, "gone", LEAD, 2),
                   (0.5, "start", ORDER, 3), (0.6, "done", ORDER, 3)]
    assert desk.take_busy_days(1.0) == pytest.approx(0.6)


def test_a_vacant_desk_holds_its_requests_for_the_successor(env, log):
    desk, _ = setup(env, log, [(0.2, Request(ORDER, 4, 0.2, 0.1, 5))], person=None)

    def hire():
        yield env.timeout(0.5)
        desk.seat("bob")

    env.process(hire())
    env.run(until=1.0)
    assert log == [(0.5, "start", ORDER, 4), (0.6, "done", ORDER, 4)]


def shared_floor(env, log, people):
    """Desks sharing one queue (a pool), each serving it."""
    queue = RequestQueue(env)
    desks = []
    for i, person in enumerate(people):
        desk = Desk(env, i)
        desk.queue = queue
        if person is not None:
            desk.seat(person)
        desk.open(LogHandler(log))
        desks.append(desk)
    return desks, queue


def at(env, t, action):
    def proc():
        yield env.timeout(t - env.now)
        action()
    env.process(proc())


def test_a_vacant_desk_in_a_shared_queue_takes_nothing_while_a_colleague_is_free(env, log):
    # Ann leaves at 0.1 while both desks wait for work; the order at 0.2 must go to Bob
    # at once, not wait at Ann's empty desk for her successor.
    (ann, bob), queue = shared_floor(env, log, ["ann", "bob"])
    at(env, 0.1, ann.vacate)
    at(env, 0.2, lambda: queue.put(Request(ORDER, 5, 0.2, 0.1, 5)))
    env.run(until=1.0)
    assert log == [(0.2, "start", ORDER, 5), (0.3, "done", ORDER, 5)]
    assert bob.take_busy_days(1.0) == pytest.approx(0.1)
    assert ann.take_busy_days(1.0) == 0.0


def test_a_request_in_hand_when_its_person_leaves_goes_to_a_free_colleague_at_once(env, log):
    # Ann starts an order of 0.5 days at 0; she leaves at 0.2 with 0.3 of it left.
    # Bob is free: he finishes the remaining work by 0.5. It was started once.
    (ann, bob), queue = shared_floor(env, log, ["ann", "bob"])
    queue.put(Request(ORDER, 6, 0.0, 0.5, 5))
    at(env, 0.2, ann.vacate)
    env.run(until=1.0)
    assert log == [(0.0, "start", ORDER, 6), (0.5, "done", ORDER, 6)]
    assert ann.take_busy_days(1.0) == pytest.approx(0.2)
    assert bob.take_busy_days(1.0) == pytest.approx(0.3)


def test_a_request_in_hand_when_its_person_leaves_goes_back_to_the_front_of_the_queue(env, log):
    # One desk busy with a long order, another order waiting behind it; the busy
    # person leaves at 0.2. The interrupted order goes back to the front: the first
    # colleague free at 0.3 resumes it before the order that was waiting.
    (ann, bob), queue = shared_floor(env, log, ["ann", "bob"])
    queue.put(Request(ORDER, 1, 0.0, 0.3, 5))   # Ann takes it
    queue.put(Request(ORDER, 2, 0.0, 0.5, 5))   # Bob takes this one
    queue.put(Request(ORDER, 3, 0.0, 0.1, 5))   # waits
    at(env, 0.2, bob.vacate)                    # Bob leaves with 0.3 of order 2 left
    env.run(until=2.0)
    assert log == [(0.0, "start", ORDER, 1), (0.0, "start", ORDER, 2),
                   (0.3, "done", ORDER, 1),
                   (0.6, "done", ORDER, 2),     # Ann resumes order 2 at 0.3
                   (0.6, "start", ORDER, 3), (0.7, "done", ORDER, 3)]
    assert len(queue.items) == 0


def test_a_desk_vacated_and_refilled_serves_again(env, log):
    (ann,), queue = shared_floor(env, log, ["ann"])
    at(env, 0.1, ann.vacate)
    at(env, 0.2, lambda: queue.put(Request(ORDER, 8, 0.2, 0.1, 5)))
    at(env, 0.5, lambda: ann.seat("carl"))
    env.run(until=1.0)
    # Nobody present from 0.1 to 0.5: the order waits in the queue, then Carl serves it.
    assert log == [(0.5, "start", ORDER, 8), (0.6, "done", ORDER, 8)]


def test_day_split_reactive_first_then_care_then_prospecting():
    # 7 h day, 2 h of orders: 5 free hours; the better-paid kind sets 60 % of them
    # (3 h) as active; care needs 1 h; prospecting takes the 2 h left (within its own
    # 50 %, 2.5 h); 2 h idle.
    s = split_day(7.0, 2.0, 0.6, 0.5, 1.0)
    assert (s.reactive, s.care, s.prospecting, s.idle) == pytest.approx((2.0, 1.0, 2.0, 2.0))
    assert s.free == pytest.approx(5.0) and s.active == pytest.approx(3.0)


def test_day_split_a_large_base_crowds_out_prospecting():
    # Care needs 4 h and takes all 3.2 active hours (80 % of 4 free): none left to hunt.
    s = split_day(7.0, 3.0, 0.8, 0.5, 4.0)
    assert (s.reactive, s.care, s.prospecting, s.idle) == pytest.approx((3.0, 3.2, 0.0, 0.8))


def test_day_split_prospecting_never_exceeds_its_own_share():
    # Care is well paid (80 %) and needs little; prospecting is poorly paid (10 %).
    s = split_day(7.0, 2.0, 0.8, 0.1, 1.0)
    assert (s.care, s.prospecting, s.idle) == pytest.approx((1.0, 0.5, 3.5))


def test_day_split_a_carer_who_drifts_neglects_due_clients():
    # Care needs 3 h but the carer gives it only 20 % of the 5 free hours.
    s = split_day(7.0, 2.0, 0.2, 0.0, 3.0)
    assert s.care == pytest.approx(1.0) and s.idle == pytest.approx(4.0)


def test_day_split_a_full_reactive_day_leaves_no_free_hours():
    s = split_day(7.0, 7.0, 0.9, 0.9, 1.0)
    assert (s.care, s.prospecting, s.idle) == (0.0, 0.0, 0.0)


def test_a_desk_that_changes_queue_serves_the_new_one_only():
    """An idle desk moved to another queue (a roll-out's phase) stops waiting on the old
    one: the old queue's next request waits there, the new queue's is served at once."""
    env = simpy.Environment()
    log = []
    desk, old = setup(env, log, [])
    new = RequestQueue(env)
    env.run(until=1.0)
    assert desk.idle
    desk.change_queue(new)
    old.put(Request(LEAD, 1, 1.0, 0.5, 10.0))
    new.put(Request(LEAD, 2, 1.0, 0.5, 10.0))
    env.run(until=3.0)
    assert [e[3] for e in log if e[1] == "done"] == [2]
    assert len(old.requests()) == 1


# ------------------------------------------- against a textbook SimPy server process
def random_requests(seed: int, n: int, rate: float, mean_service: float,
                    mean_patience: float) -> list[Request]:
    """Poisson arrivals with exponential service and patience."""
    rng = np.random.default_rng(seed)
    times = np.cumsum(rng.exponential(1.0 / rate, n))
    service = rng.exponential(mean_service, n)
    patience = rng.exponential(mean_patience, n)
    return [Request(ORDER, i, float(t), float(s), float(p))
            for i, (t, s, p) in enumerate(zip(times, service, patience, strict=True))]


def textbook(requests: list[Request], servers: int) -> list[tuple]:
    """The same queue written the textbook SimPy way: a ``Store`` and one server
    process per desk, each taking the next request and judging its patience when
    it reaches it. Returns (account, desk, start or None when gone, end) per request."""
    env = simpy.Environment()
    store = simpy.Store(env)
    out = []

    def server(i):
        while True:
            req = yield store.get()
            if env.now - req.arrived > req.patience:
                out.append((req.account, i, None, env.now))
                continue
            start = env.now
            yield env.timeout(req.service)
            out.append((req.account, i, start, env.now))

    def feed():
        for req in requests:
            yield env.timeout(req.arrived - env.now)
            store.put(req)

    for i in range(servers):
        env.process(server(i))
    env.process(feed())
    env.run()
    return sorted(out)


def callbacks(requests: list[Request], servers: int, arriving: bool) -> list[tuple]:
    """The same requests through salesim's queue and callback-driven desks, put as new
    arrivals (begun at once by an idle desk) or as other puts (begun later in the
    instant)."""
    env = simpy.Environment()
    queue = RequestQueue(env)
    out = []

    class Book:
        def started(self, desk, req, now):
            pass

        def completed(self, desk, req, now):
            out.append((req.account, desk.index, req.started, now))

        def abandoned(self, desk, req, now):
            out.append((req.account, desk.index, None, now))

    for i in range(servers):
        desk = Desk(env, i)
        desk.queue = queue
        desk.seat(f"person {i}")
        desk.open(Book())
    env.process(feed(env, queue, [(r.arrived, r) for r in requests], arriving))
    env.run()
    return sorted(out)


@pytest.mark.parametrize("servers, rate, label", [
    (1, 0.3, "light single desk: almost nobody waits"),
    (1, 0.95, "heavy single desk"),
    (4, 3.6, "pool at 90 % load"),
    (4, 6.0, "overloaded pool: many requesters give up"),
])
@pytest.mark.parametrize("arriving", [True, False])
def test_desks_serve_exactly_as_a_textbook_simpy_server_process(servers, rate, label,
                                                                arriving):
    """Who serves each request, when it starts and ends, and who gives up: identical
    to a ``Store`` with a server process per desk (the implementation the desks
    replaced), request by request, at every load, whether an idle desk begins a request
    at once or later in the instant."""
    requests = random_requests(11, 3000, rate, 1.0, 2.0)
    ref = textbook([Request(r.kind, r.account, r.arrived, r.service, r.patience)
                    for r in requests], servers)
    got = callbacks(requests, servers, arriving)
    assert len(got) == len(requests)
    assert got == ref
    gone = sum(start is None for _, _, start, _ in got)
    if rate / servers > 1:
        assert gone > 0.1 * len(requests)  # the case does exercise abandonment


@pytest.mark.parametrize("arriving, expected", [(False, ["day end", "start", "done"]),
                                                (True, ["start", "day end", "done"])])
def test_a_request_put_by_other_events_begins_after_the_events_due_in_that_instant(
        env, log, arriving, expected):
    """A request put by the day's end (a requeue, a roll-out) must not begin before the
    other events of that instant (the month's close books it in the next month); a new
    arrival, which nothing else in the instant can touch, begins at once."""
    _, queue = setup(env, log, [])
    req = Request(ORDER, 1, 1.0, 0.1, 5)
    env.timeout(1.0).callbacks.append(lambda _e: queue.put(req, arriving))
    env.timeout(1.0).callbacks.append(lambda _e: log.append((1.0, "day end")))
    env.run(until=2.0)
    assert [entry[1] for entry in log] == expected


def test_a_request_handed_to_a_desk_whose_person_leaves_that_instant_returns_unstarted(
        env, log):
    """Bob is handed a lead (put by a requeue) and leaves in the same instant: the lead
    goes back to the queue unstarted, so Ann, free at 2.0, judges it on its patience
    (it waited past it) instead of finishing it as begun."""
    (ann, bob), queue = shared_floor(env, log, ["ann", "bob"])
    queue.put(Request(ORDER, 1, 0.0, 2.0, 5))  # Ann, first to wait, takes this one

    def requeue_then_leave():
        yield env.timeout(1.0)
        queue.put(Request(LEAD, 2, 0.9, 0.5, 0.5))  # waited 0.1 of its 0.5 so far
        bob.vacate()

    env.process(requeue_then_leave())
    env.run(until=5.0)
    assert log == [(0.0, "start", ORDER, 1), (2.0, "done", ORDER, 1),
                   (2.0, "gone", LEAD, 2)]
