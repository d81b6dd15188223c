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
step, in time order of the ends: the started statistics (waits of zero, counted once
per kind), leads qualified at the rate of an answer without delay (one block of
``qualify`` draws) and their opportunities, orders (the value of
:meth:`sim.model.selling.Sales.order_value` with one block of ``order_value`` noise;
revenue summed once per kind and per credited person; relationship gains in time order,
so that an account's second order that day sees the first one's gain). An order is
booked only if the client was still a client when it ended. A day holds a few dozen
bookings: numpy's cost per call is larger than the work, so the step is one pass in
plain Python (measured in docs/performance.md); what it saves is the end-of-service
event, its callback and the handler's calls per request.

The outcomes are those of the event path in distribution, not draw for draw: the
draws come in another order, and a booked outcome is applied at the day's end, so a
request the event path handles later the same day does not see it (an order's
relationship gain, a lead's opportunity); a client lost later the same day is valued
with the relationship the loss reset. Where no outcome feeds back (leads that never
qualify) both paths give the same numbers exactly; otherwise
``tests/model/test_array_path.py`` compares their means on paired runs. With a journal
(a CRM export) every request takes the event path
(:class:`sim.model.department.Department`).
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING, Any

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
        self._q: float | None = None  # the chance a lead answered at once qualifies

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
        and open the next day for bookings. A day holds a few dozen bookings, too few for
        numpy to pay its cost per call, so the step is one pass in plain Python with
        the draws taken in blocks (measured: docs/performance.md)."""
        self.until = now + 1.0
        n = len(self._end)
        if n == 0:
            return
        d = self.d
        for desk_ in d.desks:  # every booked service has ended: the desks are free
            if desk_.booked is not None:
                self.settle(desk_.queue)
        kind, end = self._kind, self._end
        n_leads = kind.count(LEAD)
        d.rec.add("lead_waits", n_leads)  # every booked request began on arrival
        d.rec.add("order_waits", n - n_leads)
        order = sorted(range(n), key=end.__getitem__)  # in time order (stable)
        if self._void:  # without those taken back by the event path
            void = {seq - self._first for seq in self._void}
            order = [i for i in order if i not in void]
        self.booked += len(order)
        leads = [i for i in order if kind[i] == LEAD]
        orders = [i for i in order if kind[i] != LEAD] if len(leads) < len(order) else []
        if leads:
            self._leads(leads)
        if orders:
            self._orders(orders)
        self._first = self._seq
        self._void.clear()
        for column in (self._end, self._kind, self._account, self._desk, self._source,
                       self._person):
            column.clear()

    def _leads(self, leads: list[int]) -> None:
        """Answered leads (indices of the day's bookings, in time order): qualified at
        the rate of an answer without delay, from one block of draws."""
        d = self.d
        acc, rec, sales = d.acc, d.rec, self.sales
        rec.add("leads_answered", len(leads))
        if self._q is None:
            self._q = mk.qualify_probability(0.0, d.sc.demand)
        q = self._q
        state, engaged, account = acc.state, acc.engaged, self._account
        won = []
        for i, u in zip(leads, sales._qualify.take(len(leads)), strict=True):
            a = account[i]
            if u < q and state[a] == PROSPECT:
                won.append(i)
            else:
                engaged[a] = False
        if not won:
            return
        owner, segment, cycle_days = acc.owner, acc.segment, acc.cycle_days
        shape = d.sc.selling.cycle_shape
        gamma, pipeline = d.streams["pipeline"].gamma, sales.pipeline
        for i in won:  # a few a day: scalar draws cost less than an array call here
            a = account[i]
            engaged[a] = False
            state[a] = OPPORTUNITY
            owner[a] = self._desk[i]
            cycle = gamma(shape, cycle_days[segment[a]] / shape)
            heapq.heappush(pipeline, (self._end[i] + cycle, a, self._source[i]))
        rec.add("leads_qualified", len(won))
        rec.add("opportunities_opened", len(won))

    def _orders(self, orders: list[int]) -> None:
        """Handled orders (indices of the day's bookings, in time order): values,
        revenue and relationship gains, as :meth:`sim.model.selling.Sales.book_order`
        books one order, in one pass over the day's orders (value noise from one block)."""
        d = self.d
        acc, sales, sel = d.acc, self.sales, d.sc.selling
        end, account, desks, people = self._end, self._account, self._desk, self._person
        state, lost_at = acc.state, acc.lost_at
        kept = []
        for i in orders:  # still a client when the order ended (or lost only later today)
            st = state[account[i]]
            if st == CLIENT or (st == LOST and lost_at[account[i]] > end[i]):
                kept.append(i)
        d.rec.add("orders_handled", len(kept))
        if not kept:
            return
        if self._noise is None:  # each segment's order constants (mk.lognormal_mean_one)
            cv = acc.order_value_cv.tolist()
            params = [mk.lognormal_parameters(c) if c > 0 else (0.0, 0.0) for c in cv]
            self._noise = ((acc.order_rate * DAYS_PER_YEAR).tolist(), acc.rho.tolist(),
                           [m for m, _ in params], [s for _, s in params],
                           [c > 0 for c in cv])
        per_year, rho, mu, sigma, noisy = self._noise
        segment = acc.segment[[account[i] for i in kept]].tolist()
        draws = iter(sales._value_noise.take(sum(noisy[s] for s in segment)))
        org, inst = d.org, sales.inst
        value, relationship, bond, won_at = acc.value, acc.relationship, acc.bond, acc.won_at
        owner, revenue = acc.owner, acc.revenue
        weight, gain = d.sc.skill.value_weight, sel.relationship_gain_order
        window = sel.new_client_window_days
        new = repeat = 0.0
        credit: dict[int, float] = {}
        for i, s in zip(kept, segment, strict=True):
            a, t, k, person = account[i], end[i], desks[i], people[i]
            skill = sales.skill_at(person, t, k)
            r = float(relationship[a])
            if org.per_desk:
                inst = float(org.institutional(owner[a:a + 1])[0])
            v = (float(value[a]) / per_year[s] * (1.0 + rho[s] * (r if r > inst else inst))
                 * (1.0 - weight * (1.0 - skill)))
            if noisy[s]:
                v *= math.exp(mu[s] + sigma[s] * next(draws))
            if t - won_at[a] <= window:
                new += v
            else:
                repeat += v
            revenue[a] += v
            o = int(owner[a])
            if o >= 0:
                credit[o] = credit.get(o, 0.0) + v
            if (person is not None and state[a] == CLIENT and org.at(k).personal
                    and bond[a] == person.person_id):
                relationship[a] = r + gain * (1.0 - r)
        d.rec.add("revenue_new", new)
        d.rec.add("revenue_repeat", repeat)
        stats = d.staff.month_stats
        for o, v in credit.items():
            person = d.desks[o].person
            if person is not None:
                stats[person.person_id]["revenue"] += v
