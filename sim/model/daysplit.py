"""How a person's working day splits: reactive work first, then the free hours by the
activity propensities (kept apart from the queues of :mod:`sim.model.workday`, which
re-exports both names)."""

from __future__ import annotations

from typing import NamedTuple


class DaySplit(NamedTuple):
    """How a manager's day was spent, in hours (a named tuple: one is made per person
    and day)."""

    reactive: float
    care: float
    prospecting: float
    idle: float

    @property
    def free(self) -> float:
        return self.care + self.prospecting + self.idle

    @property
    def active(self) -> float:
        return self.care + self.prospecting


def split_day(hours_per_day: float, reactive_hours: float, care_propensity: float,
              prospecting_propensity: float, care_need_hours: float) -> DaySplit:
    """Split a day: reactive work first. Of the free hours, the person is willing to
    spend a share ``max(care, prospecting propensity)`` on active work (the better-paid
    kind sets the effort); within it, care of the due clients comes first, up to its
    own propensity's share (a drifting carer neglects), and prospecting takes what is
    left, up to its own share. A large base therefore crowds out hunting.

    >>> split_day(7.0, 3.0, 0.5, 0.5, 0.5)
    DaySplit(reactive=3.0, care=0.5, prospecting=1.5, idle=2.0)
    """
    reactive = min(max(reactive_hours, 0.0), hours_per_day)
    free = hours_per_day - reactive
    pi_c = min(max(care_propensity, 0.0), 1.0)
    pi_p = min(max(prospecting_propensity, 0.0), 1.0)
    active = free * max(pi_c, pi_p)
    care = min(max(care_need_hours, 0.0), free * pi_c, active)
    prospecting = min(active - care, free * pi_p)
    return DaySplit(reactive, care, prospecting, free - care - prospecting)
