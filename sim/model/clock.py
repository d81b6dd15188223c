"""The simulation clock: SimPy's environment, plus a jump over arrivals known in advance.

A day's requests are drawn at the day's start (:meth:`sim.model.demand.Demand.day_requests`),
so their arrival times are known before they happen. An arrival needs a SimPy event
only when another event is due before it or in the same instant; otherwise nothing can
happen in between, and the feed moves the clock to the arrival and dispatches it at
once (:meth:`Clock.advance`). The order in which every callback runs is exactly the
order the arrival's own event would have given (SimPy runs due events by time, then
priority, then the order they were scheduled, and the arrival would have been the first
of them), so no number changes; the events saved are SimPy's bookkeeping only.
"""

from __future__ import annotations

import simpy


class Clock(simpy.Environment):
    """A SimPy environment whose time can jump forward to a moment before every due
    event (see the module docstring). It reads SimPy 4's event heap, whose entries
    start with the time an event is due (hence the pin below 5 in pyproject.toml;
    tests/test_clock.py fails if that changes)."""

    def __init__(self, initial_time: float = 0, jumps: bool = True):
        super().__init__(initial_time)
        self.jumps = jumps  # False: every arrival is an event (the plain SimPy path)
        self.jumped = 0  # arrivals dispatched without an event
        self.bookings = None  # the array path's day of bookings (sim.model.booking), or None

    def advance(self, t: float) -> bool:
        """Move the time to ``t`` if no event is due at or before it; otherwise leave
        it and return False (the caller schedules an event for ``t``)."""
        queue = self._queue
        if not self.jumps or (queue and queue[0][0] <= t):
            return False
        self._now = t
        self.jumped += 1
        return True
