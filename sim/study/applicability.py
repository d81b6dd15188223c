"""Which measures apply to which structure, read from the managers frame: a share of
free time on active work means nothing where no role does active work (dispatchers
route leads), and one person's share of revenue means nothing where nobody owns a
client (a request pool). The report writes "n/a" there instead of a 0.0 % that reads as
a result.
"""

from __future__ import annotations

import pandas as pd

#: Each measure that applies only to some structures, and what a structure's people
#: must do for it to apply: ``active`` (care or prospecting hours, or a propensity to
#: either) or ``own`` (clients owned by a person).
REQUIRES = {
    "active_share": "active",
    "prospecting_share": "active",
    "top_manager_revenue_share": "own",
}


def _does(managers: pd.DataFrame) -> dict[str, set[str]]:
    """For each structure, what its people do after the switch (``active``, ``own``)."""
    after = managers[managers["month"] > 0] if "month" in managers else managers
    out: dict[str, set[str]] = {}
    for structure, m in after.groupby("structure", sort=False):
        does = set()
        active = m[["hours_care", "hours_prospecting"]].sum().sum()
        if active > 0 or m.get("propensity", pd.Series(dtype=float)).fillna(0).gt(0).any():
            does.add("active")
        if m["base_clients"].fillna(0).gt(0).any():
            does.add("own")
        out[str(structure)] = does
    return out


def not_applicable(managers: pd.DataFrame) -> dict[str, set[str]]:
    """For each structure of ``managers``, the measures of :data:`REQUIRES` that do not
    apply to it (an empty set where all do)."""
    return {s: {m for m, need in REQUIRES.items() if need not in does}
            for s, does in _does(managers).items()}


def applies(measure: str, structure: str, managers: pd.DataFrame) -> bool:
    """Whether ``measure`` means something for ``structure`` in ``managers``."""
    return measure not in not_applicable(managers).get(structure, set())
