"""Norm padding: a norm that counts activities is met partly with low-value ones.

Where a structure pays for a counted number of tasks a day and a person's own work
falls short of it, they fill a share ``norm_padding`` of the shortfall with quick
touches (a call logged, a two-line email) that take ``quick_touch_share`` of a full
task's time and sell nothing. The time comes out of their real work, so as the norm
binds harder more of the counted activity is empty and the value of a counted touch
falls. Bain, Watson, Mulvey, Taylor and Gall (New Technology, Work and Employment
2002) describe call-centre managers pursuing "hard" counts against "soft" quality;
Gallen, Gallen, Levitt and List (2016): commission on counted pledges raised pledges
50 % and lowered donations 17 %. Both numbers here are assumptions with ranges.
"""

from __future__ import annotations

import numpy as np


def padded(tasks: float, norm: float, padding: float, quick_share: float
           ) -> tuple[float, float]:
    """Quick touches a person adds and the share of their real work that is left, given
    ``tasks`` counted from their own work against the ``norm``.

    Turning the time of ``x`` full tasks into quick ones adds ``x (1/q - 1)`` to the
    count; ``x`` is set so the count rises by ``padding x (norm - tasks)`` (at most all
    of the day's work). Returns ``(x / q, 1 - x / tasks)``: the quick touches counted
    and the share of the full tasks still done.

    >>> padded(6.0, 10.0, 0.5, 0.25)
    (2.6666666666666665, 0.8888888888888888)
    >>> padded(12.0, 10.0, 0.5, 0.25), padded(0.0, 10.0, 0.5, 0.25)
    ((0.0, 1.0), (0.0, 1.0))
    """
    if padding <= 0 or tasks <= 0 or tasks >= norm:
        return 0.0, 1.0
    x = min(tasks, padding * (norm - tasks) * quick_share / (1.0 - quick_share))
    return x / quick_share, 1.0 - x / tasks


def padded_many(tasks: np.ndarray, norm: float, padding: float, quick_share: float
                ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`padded` for many people at once."""
    quick, real = np.zeros(len(tasks)), np.ones(len(tasks))
    if padding <= 0:
        return quick, real
    short = (tasks > 0) & (tasks < norm)
    t = tasks[short]
    x = np.minimum(t, padding * (norm - t) * quick_share / (1.0 - quick_share))
    quick[short], real[short] = x / quick_share, 1.0 - x / t
    return quick, real
