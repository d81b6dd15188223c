"""Whether an export holds enough to calibrate from: won deals, and who owned them.

An export without a won deal shows no deal value, no cycle length and no new client; one
with a handful gives estimates whose noise the fit would take for the department. Both are
refused before any simulation, with what was found and what is needed. A department of one
is calibrated, but said: nothing in it tells managers apart.
"""

from __future__ import annotations

from sim.crm.format import Crm

#: The fewest won deals a calibration estimates from: with fewer, the median deal value
#: and the cycle length rest on a handful of deals (a median of 20 values is within
#: about a third of a standard deviation of the true one, nine times in ten).
MIN_WON_DEALS = 20


def shortfalls(crm: Crm) -> list[str]:
    """Why ``crm`` cannot be calibrated from (empty if it can), one line per cause."""
    stages = crm.deals["stage"].value_counts()
    won = int(stages.get("won", 0))
    found = ", ".join(f"{s} {int(stages.get(s, 0)):,}" for s in ("won", "lost", "open"))
    if won == 0:
        return [f"deals: no deal is won ({found}), so the export shows no deal value, cycle "
                f"length or new client to calibrate from; a won deal has stage won (or the "
                f"vendor's won stage, docs/crm.md)"]
    if won < MIN_WON_DEALS:
        return [f"deals: only {won} won deal{'s' if won != 1 else ''} ({found}); a "
                f"calibration needs at least {MIN_WON_DEALS} to estimate deal values and "
                f"cycle lengths: export a longer period"]
    return []


def remarks(crm: Crm) -> list[str]:
    """What is odd but usable: a department whose deals all have one owner."""
    owners = crm.deals["owner_id"].unique()
    if len(owners) == 1:
        return [f"every deal is owned by {owners[0]}: a department of one manager, so "
                f"nothing in the export tells managers apart"]
    return []
