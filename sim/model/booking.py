"""The array path for requests: services that nothing can touch, booked in the day's
array step instead of ending by an event.

A request that arrives from outside and is handed at once to an idle desk, and whose
service would end before the day's end, gets no end-of-service event: the desk is
marked busy until ``busy_until`` and the request joins the day's bookings. Any later
look at the desk settles it first (:meth:`Bookings.settle`): a request put to its
queue, the desk joining its queue's free desks, a vacancy, a change of queue, the
day's count of busy hours. A desk whose booked service has ended by then is free again
(in a shared queue it rejoins the free desks in ``busy_until`` order, where its end
event would have put it); a request that must wait behind booked services makes them
end by events from then on (:meth:`Bookings.wait_behind`), and so does a person leaving
or a desk changing queue during one. Queued, abandoned and resumed requests, meetings,
and services crossing the day's end keep the event path.

Before the day's end work, :meth:`Bookings.flush` books the day's outcomes in one
array step, in time order: the started statistics (waits of zero), leads qualified
(one block of ``qualify`` draws) and their opportunities (one block of ``pipeline``
cycles), orders (values from one block of ``order_value`` noise, revenue summed once
per kind and credited person, relationship gains in time order, a round per order an
account had that day). An order is booked only if the client was still a client when
it ended. The outcomes are those of the event path in distribution, not draw for draw:
the draws come in another order, and a booked outcome is applied at the day's end, so
a request handled later the same day by the event path does not see it (an order's
relationship gain, a lead's opportunity). ``tests/model/test_array_path.py`` compares
both paths on paired runs. With a journal (a CRM export) every request takes the event
path (:class:`sim.model.department.Department`).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config.settings import DAYS_PER_YEAR
from sim.model import market as mk
from sim.model.market import CLIENT, LOST, OPPORTUNITY, PROSPECT
from sim.model.workday import LEAD, Desk, Request, RequestQueue

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.floor import Replication
    from sim.model.selling import Sales


class Bookings:
    """The day's booked services of one department, and the settling of its desks."""

    def __init__(self, dept: Replication):
        self.d = dept
        self.sales: Sales | None = None  # the department's handler, set once it is built
        self.until = 1.0  # the day's end: a service ending before it may be booked
        self._seq = 0  # numbers every booking of the run
        self._first = 0  # the number of the day's first booking
        self._void: list[int] = []  # bookings taken back by the event path
        # The day's bookings as columns, in booking (arrival) order.
        self._end: list[float] = []
        self._kind: list[int] = []
        self._account: list[int] = []
        self._desk: list[int] = []
        self._source: list[int] = []
        self._person: list[Any] = []
        self.booked = 0  # services booked over the run (for tests and benchmarks)
        self._noise: tuple | None = None  # each segment's value-noise parameters

    # ------------------------------------------------------------ the desks
    def take(self, desk: Desk, req: Request) -> bool:
        """Book ``req``, just handed to the idle ``desk`` on arrival, if its service ends
        before the day's end; False: it takes the event path."""
        now = desk.env.now
        end = now + req.service
        if end >= self.until or req.started is not None:
            return False
        req.started = now
        desk.current, desk.busy_since, desk.busy_until = req, now, end
        seq = self._seq
        self._seq += 1
        desk.booked = seq
        heapq.heappush(desk.queue.booked, (end, seq, desk))
        self._end.append(end)
        self._kind.append(req.kind)
        self._account.append(req.account)
        self._desk.append(desk.index)
        self._source.append(req.source)
        self._person.append(desk.person)
        return True

    def settle(self, queue: RequestQueue) -> None:
        """Desks of ``queue`` whose booked service has ended by now wait for work again,
        in the order the ends fell, as their end events would have left them."""
        booked, now = queue.booked, queue._env.now
        while booked and booked[0][0] <= now:
            until, seq, desk = heapq.heappop(booked)
            if desk.booked == seq:
                desk.busy_days += until - desk.busy_since
                desk.current, desk.busy_since, desk.booked = None, None, None
                desk.served += 1
                queue._idle.append(desk)
                desk.idle = True

    def wait_behind(self, queue: RequestQueue) -> None:
        """A request waits in ``queue``: its booked services still going on end by
        events, so that the first desk to finish takes it."""
        for _, seq, desk in sorted(queue.booked):
            if desk.booked == seq:
                self._to_event(desk)
        queue.booked.clear()

    def settle_desk(self, desk: Desk) -> None:
        """Before ``desk`` is looked at: free it if its booked service has ended (with
        the others of its queue, in order), or let the service end by an event."""
        if desk.env.now >= desk.busy_until:
            self.settle(desk.queue)
        else:
            self._to_event(desk)

    def _to_event(self, desk: Desk) -> None:
        self._void.append(desk.booked)
        desk.booked = None
        desk.end_by_event()

    # --------------------------------------------------------- the day's step
    def flush(self, now: float) -> None:
        """Book the outcomes of the day's booked services (before the day's end work)
        and open the next day for bookings."""
        self.until = now + 1.0
        n = len(self._end)
        if n == 0:
            return
        d = self.d
        for desk_ in d.desks:  # every booked service has ended: the desks are free
            if desk_.booked is not None:
                self.settle(desk_.queue)
        kind = np.array(self._kind)
        n_leads = int(np.count_nonzero(kind == LEAD))
        d.rec.add("lead_waits", n_leads)  # every booked request began on arrival
        d.rec.add("order_waits", n - n_leads)
        keep = np.ones(n, dtype=bool)
        keep[np.array(self._void, dtype=np.int64) - self._first] = False
        end = np.array(self._end)
        order = np.argsort(end, kind="stable")
        order = order[keep[order]]  # in time order, without those taken back
        account = np.array(self._account, dtype=np.int64)
        desk = np.array(self._desk, dtype=np.int64)
        leads = order[kind[order] == LEAD]
        orders = order[kind[order] != LEAD]
        self.booked += len(order)
        if len(leads):
            self._leads(end[leads], account[leads], desk[leads],
                        np.array(self._source, dtype=np.int64)[leads])
        if len(orders):
            self._orders(end[orders], account[orders], desk[orders],
                         [self._person[i] for i in orders.tolist()])
        self._first = self._seq
        self._void.clear()
        for column in (self._end, self._kind, self._account, self._desk, self._source,
                       self._person):
            column.clear()

    def _leads(self, end: np.ndarray, account: np.ndarray, desk: np.ndarray,
               source: np.ndarray) -> None:
        """Answered leads: qualified at the rate of an answer without delay."""
        d = self.d
        acc, rec = d.acc, d.rec
        rec.add("leads_answered", len(end))
        q = mk.qualify_probability(0.0, d.sc.demand)
        won = (self.sales._qualify.take(len(end)) < q) & (acc.state[account] == PROSPECT)
        acc.engaged[account[~won]] = False
        k = int(np.count_nonzero(won))
        if k == 0:
            return
        a = account[won]
        acc.engaged[a] = False
        acc.state[a] = OPPORTUNITY
        acc.owner[a] = desk[won]
        mean = acc.cycle_days[acc.segment[a]]
        shape = d.sc.selling.cycle_shape
        decide = end[won] + d.streams["pipeline"].gamma(shape, mean / shape)
        pipeline = self.sales.pipeline
        for item in zip(decide.tolist(), a.tolist(), source[won].tolist(), strict=True):
            heapq.heappush(pipeline, item)
        rec.add("leads_qualified", k)
        rec.add("opportunities_opened", k)

    def _orders(self, end: np.ndarray, account: np.ndarray, desk: np.ndarray,
                people: list[Any]) -> None:
        """Handled orders: values, revenue and relationship gains, in time order."""
        d = self.d
        acc, sales, sel = d.acc, self.sales, d.sc.selling
        state = acc.state[account]
        # Still a client when the order ended (a client lost later today still counts).
        valid = state == CLIENT
        if not valid.all():
            valid |= (state == LOST) & (acc.lost_at[account] > end)
            end, account, desk, state = end[valid], account[valid], desk[valid], state[valid]
            people = [p for p, v in zip(people, valid.tolist(), strict=True) if v]
        n = len(end)
        d.rec.add("orders_handled", n)
        if n == 0:
            return
        if self._noise is None:  # each segment's mean-one lognormal (mk.lognormal_mean_one)
            cv = acc.order_value_cv.tolist()
            params = [mk.lognormal_parameters(c) if c > 0 else (0.0, 0.0) for c in cv]
            self._noise = (np.array([m for m, _ in params]), np.array([s for _, s in params]),
                           np.array(cv) > 0)
        mu, sigma, noisy_segment = self._noise
        seg = acc.segment[account]
        noise = np.ones(n)
        noisy = noisy_segment[seg]
        k = int(np.count_nonzero(noisy))
        if k:
            sn = seg[noisy]
            noise[noisy] = np.exp(mu[sn] + sigma[sn] * sales._value_noise.take(k))
        skill = np.array([sales.skill_at(p, t, i) for p, t, i in
                          zip(people, end.tolist(), desk.tolist(), strict=True)])
        value = (acc.value[account] / (acc.order_rate[seg] * DAYS_PER_YEAR)
                 * (1.0 - d.sc.skill.value_weight * (1.0 - skill)) * noise)
        lift = acc.rho[seg]
        inst = d.org.institutional(acc.owner[account]) if d.org.per_desk else sales.inst
        org = d.org
        ids = np.array([p.person_id if p is not None and org.at(i).personal else -1
                        for p, i in zip(people, desk.tolist(), strict=True)])
        gains = (ids >= 0) & (state == CLIENT)
        g = sel.relationship_gain_order
        accounts = account.tolist()
        if len(set(accounts)) == n:  # one order per account today: one round
            value *= 1.0 + lift * np.maximum(acc.relationship[account], inst)
            up = account[gains & (acc.bond[account] == ids)]
            rel = acc.relationship[up]
            acc.relationship[up] = rel + g * (1.0 - rel)
        else:  # the k-th order of an account is valued after the gains of its earlier ones
            for i, a in enumerate(accounts):
                r = float(acc.relationship[a])
                b = inst if np.isscalar(inst) else float(inst[i])
                value[i] *= 1.0 + lift[i] * (r if r > b else b)
                if gains[i] and acc.bond[a] == ids[i]:
                    acc.relationship[a] = r + g * (1.0 - r)
        is_new = end - acc.won_at[account] <= sel.new_client_window_days
        d.rec.add("revenue_new", float(value[is_new].sum()))
        d.rec.add("revenue_repeat", float(value[~is_new].sum()))
        np.add.at(acc.revenue, account, value)
        owner = acc.owner[account]
        owned = owner >= 0
        credit = np.bincount(owner[owned], weights=value[owned], minlength=len(d.desks))
        stats = d.staff.month_stats
        for i in np.flatnonzero(credit).tolist():
            person = d.desks[i].person
            if person is not None:
                stats[person.person_id]["revenue"] += float(credit[i])
