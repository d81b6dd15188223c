"""Queues and the working day: reactive work first, then the free hours.

Reactive work (answering leads, handling orders) waits in a queue and is served
first-come first-served by whoever sits at a desk, the moment the desk is free: the
reactive queue is a true single-server (or, for a shared queue, multi-server) queue.
The rest of the day is free time; at the day's end it is split into proactive
care, prospecting and nothing-in-particular by the manager's activity propensity. The
outcomes of the active hours are drawn once per manager-day (see ``department``).
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from typing import Any, Protocol

import simpy

from sim.model.daysplit import DaySplit, split_day  # noqa: F401  (re-exported)

LEAD, ORDER, MEETING = 0, 1, 2
KIND_NAMES = ("lead", "order", "meeting")


class Request:
    """One piece of reactive work waiting in a queue."""

    __slots__ = ("kind", "account", "arrived", "service", "patience", "source", "started",
                 "queued_at", "scale")

    def __init__(self, kind: int, account: int, arrived: float, service: float,
                 patience: float, source: int = 0):
        self.kind = kind
        self.account = account
        self.arrived = arrived
        self.service = service  # days of work (a day is hours_per_day hours)
        self.patience = patience  # days the requester waits before going elsewhere
        self.source = source
        self.started: float | None = None  # when service began
        self.queued_at = arrived  # when it joined its current queue
        self.scale = 1.0  # service factor of the desks it was routed to (a roll-out)

    def __repr__(self) -> str:
        return f"Request({KIND_NAMES[self.kind]}, account={self.account}, t={self.arrived:g})"


class RequestQueue:
    """A first-come first-served queue of requests, monitored exactly.

    A desk waiting for work is handed the next request at once, and a desk that
    finishes a service takes the next waiting request at once: the queue discipline of
    a SimPy ``Store`` served by one process per desk, without its process resumptions
    (a new arrival costs at most two events: its arrival, unless nothing is due before
    it (:mod:`sim.model.clock`), and the end of its service).

    The integral of the queue length is advanced just before every change, so
    ``area / T`` is the time-average number waiting; ``time_in_queue / departures`` the
    mean time a request spent in this queue. The two agree by construction (a monitor
    consistency check, not Little's law: that one is checked on arrival-to-start waits
    in :mod:`sim.validation.checks`)."""

    def __init__(self, env: simpy.Environment):
        self._env = env
        self.items: Any = deque()  # waiting requests
        self._idle: deque = deque()  # desks waiting for work, first come first
        self.area = 0.0
        self.last = 0.0
        self.entries = 0
        self.departures = 0
        self.time_in_queue = 0.0
        self.booked: list = []  # (busy_until, seq, desk) of booked services (a heap)

    # storage: FIFO here, by priority in the subclass
    def _push(self, req: Request) -> None:
        self.items.append(req)

    def _pop(self) -> Request:
        return self.items.popleft()

    def requests(self) -> list[Request]:
        """The waiting requests, in the order they will be served."""
        return list(self.items)

    def _advance(self) -> None:
        """Add the area since the last change (the queue held len(items) since then)."""
        now = self._env.now
        self.area += len(self.items) * (now - self.last)
        self.last = now

    def put(self, req: Request, arriving: bool = False) -> None:
        """Add a request; a waiting desk is handed it (then nothing else waits).

        The desk begins it later in this instant, after the events already due (as a
        server process woken by the hand-over would), since a request put by the day's
        end, a requeue or a roll-out must not start before they are done. A request
        ``arriving`` from outside begins at once: nothing due in the same instant can
        touch it, and the hand-over event is saved for most requests."""
        req.queued_at = self._env.now
        self.entries += 1
        if self.booked:
            self._env.bookings.settle(self)
        if self._idle:
            self.departures += 1
            self._idle.popleft().handed(req, arriving)
        else:
            self._advance()
            self._push(req)
            if self.booked:
                self._env.bookings.wait_behind(self)

    def take(self) -> Request | None:
        """The next waiting request, or None when nothing waits."""
        if self.items:
            self._advance()
            req = self._pop()
            self.time_in_queue += self._env.now - req.queued_at
            self.departures += 1
            return req
        return None

    def wait(self, desk: Desk) -> None:
        """A free desk waits for the next request (desks are handed work in the order
        they started waiting)."""
        if self.booked:
            self._env.bookings.settle(self)
        self._idle.append(desk)

    def put_front(self, req: Request) -> None:
        """Return a request whose desk lost its person: a free desk takes it at once,
        otherwise it is served next (ahead of its own kind)."""
        self._advance()
        req.queued_at = self._env.now
        self.entries += 1
        if self.booked:
            self._env.bookings.settle(self)
        if self._idle:
            self.departures += 1
            self._idle.popleft().handed(req)
        else:
            self._push_front(req)
            if self.booked:
                self._env.bookings.wait_behind(self)

    def _push_front(self, req: Request) -> None:
        self.items.appendleft(req)

    def withdraw(self, desk: Desk) -> None:
        """A desk that waited for work stops waiting (its person left)."""
        self._idle.remove(desk)

    def take_all(self) -> list[Request]:
        """Remove every waiting request (to send it elsewhere), counting its time here."""
        self._advance()
        now = self._env.now
        out = self.requests()
        for req in out:
            self.time_in_queue += now - req.queued_at
            self.departures += 1
        self.items.clear()
        return out

    def stats(self) -> dict[str, float]:
        """Totals so far, with the time the requests still waiting have spent."""
        self._advance()
        now = self._env.now
        pending = sum(now - r.queued_at for r in self.requests())
        return {"horizon_days": now, "area": self.area, "entries": self.entries,
                "departures": self.departures, "time_in_queue": self.time_in_queue,
                "waiting_now": len(self.items), "pending_time": pending}


class PriorityRequestQueue(RequestQueue):
    """A queue served by priority of request kind (lower first), FIFO within one."""

    def __init__(self, env: simpy.Environment, priorities: dict[str, int]):
        super().__init__(env)
        self.items = []
        self.priorities = priorities
        self._seq = itertools.count()
        self._front = itertools.count(1)  # returned requests go ahead, latest first

    def _push(self, req: Request) -> None:
        heapq.heappush(self.items, (self.priorities[KIND_NAMES[req.kind]], next(self._seq), req))

    def _pop(self) -> Request:
        return heapq.heappop(self.items)[2]

    def _push_front(self, req: Request) -> None:
        heapq.heappush(self.items, (self.priorities[KIND_NAMES[req.kind]],
                                    -next(self._front), req))

    def requests(self) -> list[Request]:
        return [entry[2] for entry in sorted(self.items)]


def call_soon(env: simpy.Environment, callback: Any, urgent: bool = False) -> None:
    """Call ``callback(event)`` in this instant, after the events already due now; an
    urgent call goes before them, where SimPy starts a new process."""
    event = simpy.Event(env)
    event._ok, event._value = True, None  # a triggered event, as Event.succeed makes it
    event.callbacks.append(callback)
    env.schedule(event, simpy.events.URGENT if urgent else simpy.events.NORMAL)


class Handler(Protocol):
    """What the department does when a request is served or abandoned."""

    def started(self, desk: Desk, req: Request, now: float) -> None: ...
    def completed(self, desk: Desk, req: Request, now: float) -> None: ...
    def abandoned(self, desk: Desk, req: Request, now: float) -> None: ...


class Desk:
    """A seat in the department: holds one person at a time (or none, when vacant),
    serves its queue first-come first-served while someone sits there, and counts the
    hours that person spends on reactive work.

    The desk is driven by callbacks, not by a server process: a request handed to an
    idle desk begins in that instant (a new arrival at once, see
    :meth:`RequestQueue.put`), and the end of its service is a timeout whose callback
    books it and takes the next request. Only a desk with
    a person takes work: a vacant desk neither takes nor is handed requests, so in a
    shared queue its colleagues serve them, and in a personal queue they wait in the
    queue for the successor (or are routed elsewhere)."""

    def __init__(self, env: simpy.Environment, index: int, role: Any = None):
        self.env = env
        self.index = index
        self.role = role
        self.queue: Any = None
        self.person: Any = None
        self.handler: Handler | None = None
        self.idle = False  # waiting in its queue's list of free desks
        self.current: Request | None = None  # the request in service
        self._handed: Request | None = None  # handed to the desk, to begin this instant
        self._service: simpy.Event | None = None  # the end of the current service
        self.busy_since: float | None = None
        self.busy_days = 0.0  # reactive time since the last daily tick
        self.served = 0  # requests finished since the last daily tick
        self.switched_at: float | None = None  # when the desk came under a new structure
        # The array path (sim.model.booking): a booked service ends at busy_until with
        # no event; ``booked`` is its number while it lasts.
        self._bookings = getattr(env, "bookings", None)
        self.booked: int | None = None
        self.busy_until = 0.0

    def open(self, handler: Handler) -> None:
        """Start serving the desk's queue with ``handler`` booking the outcomes, first
        thing in this instant (as a starting process would)."""
        self.handler = handler
        self._wake_soon(urgent=True)

    def seat(self, person: Any) -> None:
        """A person sits down; they look at the queue later in this instant, after
        the events already due now (as a hire event would)."""
        self.person = person
        self._wake_soon()

    def vacate(self) -> None:
        """The person leaves. The desk stops waiting for work; a request in hand goes
        back to the front of the queue with the service still to do, where a free
        colleague takes it at once (its wait was counted when it first started)."""
        self.settle()
        self.person = None
        if self.idle:
            self.queue.withdraw(self)
            self.idle = False
        elif self._handed is not None:  # handed a request this instant, not yet begun
            held, self._handed = self._handed, None
            self.queue.put_front(held)
        elif self.current is not None:
            held = self.current
            now = self.env.now
            self.current, self._service = None, None  # the pending end of service is void
            held.service -= now - self.busy_since
            self.busy_days += now - self.busy_since
            self.busy_since = None
            self.queue.put_front(held)
        else:
            return  # already waiting for a successor
        self._wake_soon(urgent=True)  # a successor seated this instant starts first

    def change_queue(self, queue: RequestQueue) -> None:
        """Serve ``queue`` from now on; a desk waiting for work waits on it instead (a
        request in service is finished first)."""
        self.settle()
        if self.idle:
            self.queue.withdraw(self)
            self.idle = False
            self.queue = queue
            self._wake_soon(urgent=True)
            return
        self.queue = queue

    def take_busy_days(self, now: float) -> float:
        """Reactive time since the last call, splitting a service that spans it."""
        self.settle()
        if self.busy_since is not None:
            self.busy_days += now - self.busy_since
            self.busy_since = now
        busy, self.busy_days = self.busy_days, 0.0
        return busy

    def settle(self) -> None:
        """Before the desk is looked at, settle a booked service (:mod:`sim.model.booking`)."""
        if self.booked is not None:
            self._bookings.settle_desk(self)

    def end_by_event(self) -> None:
        """A booked service goes on: its end becomes an event, as on the event path."""
        end = self.env.timeout(self.busy_until - self.env.now)
        end.callbacks.append(self._done)
        self._service = end

    # ------------------------------------------------------------ serving
    def _wake_soon(self, urgent: bool = False) -> None:
        """Look at the queue in this instant, once the events already due are done."""
        call_soon(self.env, self._wake, urgent)

    def _wake(self, _event: simpy.Event) -> None:
        if (self.person is not None and self.current is None and not self.idle
                and self._handed is None and self.handler is not None):
            self._next()

    def _next(self) -> None:
        """Take the queue's next request, or wait in its list of free desks."""
        while self.person is not None:
            req = self.queue.take()
            if req is None:
                self.queue.wait(self)
                self.idle = True
                return
            if self._begin(req):
                return

    def handed(self, req: Request, at_once: bool = False) -> None:
        """The queue hands a request to this idle desk: begun at once, or later in this
        instant (see :meth:`RequestQueue.put`)."""
        self.idle = False
        if at_once:
            if self._bookings is not None and self._bookings.take(self, req):
                return  # booked: it ends in the day's array step
            if not self._begin(req):
                self._next()
            return
        self._handed = req
        call_soon(self.env, self._begin_handed)

    def _begin_handed(self, _event: simpy.Event) -> None:
        req, self._handed = self._handed, None
        if req is None:
            return  # the person left first and returned it (see vacate)
        if not self._begin(req):
            self._next()

    def _begin(self, req: Request) -> bool:
        """Start serving ``req`` now; False when its requester has already gone.

        A request that has waited past its patience is gone when reached; it costs no
        time (the requester went elsewhere, which the handler records). A request
        resumed after its first server left is not judged on patience again."""
        env = self.env
        now = env.now
        if req.started is None:
            if now - req.arrived > req.patience:
                self.handler.abandoned(self, req, now)
                return False
            req.started = now
            self.handler.started(self, req, now)
        self.current = req
        self.busy_since = now
        end = env.timeout(req.service)
        end.callbacks.append(self._done)
        self._service = end
        return True

    def _done(self, event: simpy.Event) -> None:
        if event is not self._service:
            return  # the person left during this service (see vacate)
        req, self.current, self._service = self.current, None, None
        now = self.env.now
        self.busy_days += now - self.busy_since
        self.busy_since = None
        self.served += 1
        self.handler.completed(self, req, now)
        self._next()
