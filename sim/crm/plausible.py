"""Dates a CRM can hold but an export cannot mean: after the export was made, or so far
from the rest that they are typos.

One closed date mistyped as 2031 in a two-year export would stretch the calibration's
window to eight years and dilute every rate eightfold, with nothing to show for it. So a
deal date after the day the export was made (its file's last change), or far outside the
span of the export's other deal dates, is refused with its row, as any other defect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.crm.format import Crm, _Problems, _Table

#: The share of deal dates at each end that does not count in the export's span.
TAIL = 0.01
#: A date this far beyond the span of the other deal dates (or the span itself if longer)
#: is a typo, not history.
MIN_GAP_DAYS = 365


def _day(value: np.datetime64 | pd.Timestamp) -> str:
    return str(pd.Timestamp(value).date())


def check_dates(crm: Crm, deals: _Table, export_day: np.datetime64,
                problems: _Problems) -> None:
    """Records a problem per column for deal dates after ``export_day`` or far outside
    the rest of the export (one message per column, naming the first row)."""
    d = crm.deals
    latest = np.datetime64(export_day, "D") + np.timedelta64(1, "D")  # time zones
    for column in ("created_date", "closed_date"):
        after = (d[column] > pd.Timestamp(latest)).to_numpy(dtype=bool)
        problems.column(deals, after, column, f"are after {_day(export_day)}, the day the "
                        f"export was made (its file's last change)", lambda i, c=column: (
                            f"{_day(d[c].iat[i])} is after {_day(export_day)}, the day the "
                            f"export was made (its file's last change): a typo?"))
    every = pd.concat([d["created_date"], d["closed_date"]]).dropna()
    if len(every) < 2:
        return
    lo, hi = every.quantile(TAIL), every.quantile(1 - TAIL)
    gap = max(hi - lo, pd.Timedelta(days=MIN_GAP_DAYS))
    low, high = lo - gap, hi + gap
    for column in ("created_date", "closed_date"):
        dates = d[column]
        outside = ((dates > high) & (dates <= pd.Timestamp(latest))).to_numpy(dtype=bool)
        if column == "closed_date":  # an open deal may be old; a closing may not
            outside = outside | (dates < low).to_numpy(dtype=bool)
        problems.column(deals, outside, column, "are far outside the rest of the export",
                        lambda i, c=column: (
                            f"{_day(d[c].iat[i])} is far outside the rest of the export (its "
                            f"deal dates run from {_day(lo)} to {_day(hi)}, but for "
                            f"{TAIL:.0%} at each end): a typo? correct it or leave it empty"))
