"""Contact saturation: prospects and clients touched more often than they accept respond
less, and some clients leave.

An account takes a contact every ``contact_tolerance_days`` without annoyance. Touched
after an interval ``i`` shorter than the tolerance ``T``, it responds
``(T / i)^-e`` as much (``e`` = ``contact_saturation_exponent``): a care contact then
sells and bonds less, a prospect books fewer meetings. A client contacted too soon
leaves with chance ``contact_leave_prob x (1 - response)`` (``lost_clients_contact``).

Sources: response to repeated marketing contact is concave and turns down (Zhang, Kumar
and Cosguner, JMR 2017: profit peaks at 7 emails a period, -16 % at 10); opt-outs rise
with contact intensity (Kumar, Zhang and Luo, JMR 2014); an unsolicited contact raised
churn from 6.4 % to 10.0 % in three months (Ascarza, Iyengar and Schleicher, JMR 2016);
about 40 % of buyers prefer weekly contact (Mapp 2016). The power form, the tolerance
and the exponent are assumptions with ranges. Prospects are touched by the connects of
the day's prospecting (dials that reach someone), spread over the available prospects:
one prospect is reached every ``available / connects a day`` days.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.sections import Selling


def contact_response(interval_days: np.ndarray | float, selling: Selling) -> np.ndarray:
    """Response to a contact ``interval_days`` after the previous one, relative to a
    contact within tolerance.

    >>> from sim.config.sections import Selling
    >>> s = Selling(contact_tolerance_days=5, contact_saturation_exponent=1.5)
    >>> contact_response(np.array([10.0, 5.0, 1.25]), s).tolist()
    [1.0, 1.0, 0.125]
    """
    interval = np.asarray(interval_days, dtype=float)
    tol = selling.contact_tolerance_days
    if tol <= 0:
        return np.ones_like(interval)
    x = np.maximum(interval, 1e-9) / tol
    return np.where(x >= 1.0, 1.0, x ** selling.contact_saturation_exponent)


def leave_chance(response: np.ndarray, selling: Selling) -> np.ndarray:
    """Chance a client leaves after a contact it answered with ``response``: none within
    tolerance, up to ``contact_leave_prob`` when contacted far too often."""
    return selling.contact_leave_prob * (1.0 - response)


def prospect_interval(touches_per_day: float, available: int) -> float:
    """Working days between two touches of one prospect when ``touches_per_day`` spread
    over ``available`` prospects (infinite without touches)."""
    if touches_per_day <= 0:
        return float("inf")
    return available / touches_per_day
