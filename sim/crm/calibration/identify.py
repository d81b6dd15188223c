"""Whether the export identifies a calibrated number, and if not, why.

An interval says how far the export leaves a number open only where the evidence
bounds it on both sides. It does not where (a) the profile is flat (every value tried
across the searched range fits as well; a statistic that barely follows its
parameter), (b) the interval runs into a bound (of the searched range, or of what the
parameter may be), or (c) it ends at the estimate (no tried value on one side came
within the set's threshold, so the set there says how far the trials looked, not what
the export allows). Each function returns the reason in words, or an empty string.
"""

from __future__ import annotations

import math

import pandas as pd

from sim.crm.calibration.figures import plain

#: How close to an end of the searched range counts as reaching it, as a share of the
#: range (the slices through the best skip points this close to it).
NEAR = 0.02


def inferred(path: str, best: float, low: float, high: float, bounds: tuple[float, float],
             trials: pd.DataFrame, in_set: pd.Series, threshold: float) -> str:
    """Why the export cannot identify an inferred parameter from the trials of its fit
    (``in_set``: the trials within ``threshold`` of the best distance), or ''."""
    lo, hi = bounds
    tol = NEAR * (hi - lo)
    if not (math.isfinite(low) and math.isfinite(high)):
        low = high = best
    at_lo, at_hi = low <= lo + tol, high >= hi - tol
    if at_lo and at_hi:
        return (f"flat profile: values tried from {plain(lo)} to {plain(hi)}, the whole "
                f"searched range, fit within {threshold:.2f} of the best distance")
    if at_lo or at_hi:
        end = plain(lo if at_lo else hi)
        return (f"its 95 % set runs into the {'lower' if at_lo else 'upper'} end of the "
                f"searched range ({end}): the export does not bound it on that side")
    sides = [name for name, edge in (("below", low), ("above", high)) if edge == best]
    if not sides:
        return ""
    said = []
    for side in sides:
        out = trials.loc[~in_set, [path, "value"]]
        out = out[out[path] < best] if side == "below" else out[out[path] > best]
        if out.empty:
            said.append(f"no value {side} it was tried")
            continue
        near = out.loc[(out[path] - best).abs().idxmin()]
        said.append(f"the nearest value tried {side} it, {plain(near[path])}, is "
                    f"{plain(near['value'] - trials['value'].min(), 3)} worse than the best, "
                    f"so the set ends somewhere between {plain(near[path])} and the estimate")
    return (f"its 95 % set ends at the estimate {' and '.join(sides)} ({'; '.join(said)}): "
            "the trials are too sparse there to say where")


def corrected(e_low: float, e_high: float, upper: float, hazard: bool, elasticity: float,
              floor: float, capped: bool) -> str:
    """Why the export cannot identify a corrected parameter, or ''."""
    if elasticity <= floor:
        return (f"flat profile: its statistic barely follows it (elasticity at the floor "
                f"{floor:g}), so the observed statistic does not pin it")
    if capped:
        return "its 95 % interval is as wide as none (the relative error is at its cap)"
    top = 0.99 if hazard else upper
    if math.isfinite(top) and e_high >= top:
        return (f"its 95 % interval runs into {plain(top)}, the most the parameter may be: "
                "the export does not bound it from above")
    return ""


def measured(low: float, floor: float, observations: float) -> str:
    """Why the export cannot identify a measured number, or ''."""
    if observations <= 1:
        return "the export shows it once: one observation gives no interval"
    if not math.isfinite(low):
        return "its observations show no spread, so they give no interval"
    if low <= floor:
        return (f"its 95 % interval runs into {plain(floor)}, the least it may be: the export "
                f"cannot tell it from {plain(floor)}")
    return ""
