"""Demand: the day's leads and client orders as timed requests, and where each goes.

Leads come from brand inbound and referrals (and whatever the lead source draws, such
as bought and word-of-mouth leads after nurturing); orders from clients at their
segment's rate. The organisation's routing hooks choose the queue of each request.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.config.settings import DAYS_PER_MONTH
from sim.model.market import CLIENT
from sim.model.selling import INBOUND, MARKETING, REFERRAL
from sim.model.workday import LEAD, ORDER, Desk, Request, call_soon

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.floor import Replication


class Demand:
    """Arrivals of one department and their dispatch to queues."""

    def __init__(self, dept: Replication):
        self.d = dept
        self.nurturing: list[tuple[float, int]] = []  # (arrives_at, account)

    def start(self) -> None:
        """Feed the days' requests in time order from now on (see :meth:`day_requests`).

        The feed is a chain of callbacks, not a process: a request whose arrival has
        another event due before it (or in the same instant) costs one timeout at its
        arrival time, whose callback dispatches it and goes on; a request with nothing
        due before it is dispatched without an event, the clock moved to its arrival
        (:class:`sim.model.clock.Clock`). Either way the callbacks run in the order a process
        yielding a timeout per request would give them."""
        env = self.d.env
        self._day, self._batch, self._next = 0, [], 0
        call_soon(env, self._new_day, urgent=True)  # first thing, as a starting process

    def _new_day(self, _event: simpy.Event | None = None) -> None:
        if self._day >= self.d.days:
            return
        self._batch, self._next = self.day_requests(self._day), 0
        self._feed()

    def _feed(self, _event: simpy.Event | None = None) -> None:
        """Dispatch the requests due now; wait for the next one, or for the day's end."""
        env = self.d.env
        now = env.now
        batch, i = self._batch, self._next
        while i < len(batch):
            t, kind, account, service, source, via = batch[i]
            if t > now:
                if not env.advance(t):  # something is due first: an event for the arrival
                    self._next = i
                    env.timeout(t - now).callbacks.append(self._feed)
                    return
                now = t
            self.dispatch(kind, account, t, service, source, via)
            i += 1
        self._next = i
        self._day += 1
        env.timeout(self._day - now).callbacks.append(self._new_day)

    def day_requests(self, day: int) -> list[tuple[float, int, int, float, int, int]]:
        """Day ``day``'s leads and client orders, drawn at the day's start, in time
        order: (time, kind, account, service in days, source, referring desk or -1).

        Orders of all clients form one Poisson stream per day at their summed rate;
        drawing the count per client for the day gives the same distribution."""
        dept = self.d
        sc = dept.sc
        d = sc.demand
        rng_in, rng_ord, rng_srv = (dept.streams["inbound"], dept.streams["orders"],
                                    dept.streams["service"])
        rng_mkt = dept.streams["marketing"]
        acc = dept.acc
        clients = acc.clients()
        for t, a in dept.leads.draw_leads(dept, day, len(clients), rng_mkt):
            heapq.heappush(self.nurturing, (t, a))
        n_brand = int(rng_in.poisson(d.inbound_leads_per_day))
        referrers = self.referrers(clients, day, rng_in)
        prospects = acc.available_prospects()
        n_leads = min(n_brand + len(referrers), len(prospects))
        lead_accounts = rng_in.choice(prospects, n_leads, replace=False)
        acc.engaged[lead_accounts] = True
        lead_sources = np.where(np.arange(n_leads) < n_brand, INBOUND, REFERRAL)
        via = np.full(n_leads, -1)
        if n_leads > n_brand:
            via[n_brand:] = acc.owner[referrers[:n_leads - n_brand]]
        lead_times = day + rng_in.random(n_leads)
        nurtured = []
        while self.nurturing and self.nurturing[0][0] < day + 1:
            nurtured.append(heapq.heappop(self.nurturing))
        if len(clients):
            counts = rng_ord.poisson(acc.order_rate[acc.segment[clients]])
            order_accounts = np.repeat(clients, counts)
            order_times = day + rng_ord.random(len(order_accounts))
        else:  # no orders, and no draws (an empty draw takes nothing from the stream)
            order_accounts, order_times = clients, lead_times[:0]
        n_mkt = len(nurtured)
        times = np.concatenate([lead_times, [t for t, _ in nurtured], order_times])
        kinds = np.concatenate([np.full(n_leads + n_mkt, LEAD),
                                np.full(len(order_accounts), ORDER)])
        accounts = np.concatenate([lead_accounts, np.array([a for _, a in nurtured],
                                                           dtype=np.int64),
                                   order_accounts]).astype(np.int64)
        sources = np.concatenate([lead_sources, np.full(n_mkt, MARKETING),
                                  np.zeros(len(order_accounts), dtype=int)])
        vias = np.concatenate([via, np.full(n_mkt + len(order_accounts), -1)])
        hours = np.where(kinds == LEAD, d.lead_contact_hours,
                         acc.order_hours[acc.segment[accounts]])
        if d.service_time == "exponential":
            hours = hours * rng_srv.exponential(1.0, len(hours))
        hours = dept.org.service_hours(kinds, hours, acc.segment[accounts])
        order = np.argsort(times, kind="stable")
        # Plain Python values once per day: the feed runs once per request.
        return list(zip(times[order].tolist(), kinds[order].tolist(),
                        accounts[order].tolist(), (hours[order] / dept.hours).tolist(),
                        sources[order].tolist(), vias[order].tolist(), strict=True))

    def referrers(self, clients: np.ndarray, now: float, rng: np.random.Generator
                  ) -> np.ndarray:
        """Clients who refer a prospect today: each at ``referral_rate`` a month, and
        ``1 + referral_care_boost`` times that within a care cadence of its last care
        contact (in the Houghton et al. 2016 model of a sales agent, referrals come from
        servicing meetings)."""
        if len(clients) == 0:
            return clients
        d, sel = self.d.sc.demand, self.d.sc.selling
        cared = (now - self.d.acc.last_care[clients]) < sel.care_cadence_days
        rates = d.referral_rate / DAYS_PER_MONTH * np.where(cared, 1.0 + d.referral_care_boost,
                                                            1.0)
        total = float(rates.sum())
        n = int(rng.poisson(total)) if total > 0 else 0
        return rng.choice(clients, n, p=rates / total) if n else clients[:0]

    def dispatch(self, kind: int, account: int, t: float, service: float, source: int,
                 via: int = -1) -> None:
        """A request arrives; a referral goes to the desk that owns the referring client
        (``via``) when someone sits there, any other request by the routing hooks."""
        dept = self.d
        d = dept.sc.demand
        if kind == LEAD:
            dept.rec.add("leads_received")
            req = Request(LEAD, account, t, service, d.lead_patience_days, source)
            if via >= 0 and dept.desks[via].person is not None:
                dept.desks[via].queue.put(req, arriving=True)
                return
        else:
            if dept.acc.state[account] != CLIENT:  # left earlier today
                return
            dept.rec.add("orders_received")
            req = Request(ORDER, account, t, service, d.order_patience_days)
        self.enqueue(req, arriving=True)

    def enqueue(self, req: Request, arriving: bool = False) -> None:
        """Put a request in the queue the organisation routes it to (``arriving``: a
        new request from outside, see :meth:`RequestQueue.put`)."""
        dept = self.d
        if req.kind == ORDER and dept.acc.state[req.account] != CLIENT:
            return
        dept.org.queue_for(dept, req).put(req, arriving)

    def requeue(self, desk: Desk) -> None:
        """Requests waiting at a desk that lost its person go where they now belong."""
        if any(d is not desk and d.queue is desk.queue for d in self.d.desks):
            return  # a shared queue: colleagues serve it anyway
        for req in desk.queue.take_all():
            self.enqueue(req)
