"""The sweep ranges (``uncertainties``) of a calibrated scenario.

Where the base scenario declares a calibrated number as an uncertainty, a sweep of the
calibrated scenario should vary it only as far as the export leaves it open: its range
becomes the number's 95 % interval, clipped to the base's range (the export narrows an
assumed range; it does not widen one). It goes beyond the base's range only where the
calibrated value itself lies outside it (the export contradicts the assumption), and
then says so. A number the export cannot identify, or one without an interval, keeps
the base's range. Every decision carries its reason, written beside the range in the
scenario and in calibration.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.config.scenario import Scenario, parse_scenario
from sim.crm.calibration.correct import Estimate
from sim.crm.calibration.figures import plain


@dataclass(frozen=True)
class RangeChange:
    """What became of one declared uncertainty of a calibrated number, and why."""

    path: str
    base: tuple[float, float]
    new: tuple[float, float]
    why: str

    @property
    def changed(self) -> bool:
        return self.new != self.base

    @property
    def widened(self) -> bool:
        """Whether the range reaches beyond the base's on either side."""
        return self.new[0] < self.base[0] or self.new[1] > self.base[1]


def _decide(e: Estimate, base: tuple[float, float]) -> tuple[tuple[float, float], str]:
    b_lo, b_hi = base
    span = f"{plain(b_lo)} to {plain(b_hi)}"
    if e.unidentified:
        return base, (f"the base's range {span} is kept: the export cannot identify it "
                      f"({e.unidentified})")
    if not (math.isfinite(e.low) and math.isfinite(e.high) and e.low < e.high):
        return base, f"the base's range {span} is kept: the calibration gives no interval"
    own = f"{plain(e.low)} to {plain(e.high)}"
    if not b_lo <= e.value <= b_hi:
        side = "below" if e.value < b_lo else "above"
        return (e.low, e.high), (
            f"the calibrated value {plain(e.value)} lies {side} the base's range {span}: "
            f"the export contradicts that assumption, so the sweep ranges over the 95 % "
            f"interval {own} of the fit (beyond the base's range)")
    lo, hi = max(e.low, b_lo), min(e.high, b_hi)
    if not lo < hi:
        return base, f"the base's range {span} is kept: the interval {own} leaves none of it"
    if (lo, hi) == (e.low, e.high):
        return (lo, hi), f"the 95 % interval of the fit ({e.kind}), within the base's {span}"
    return (lo, hi), (f"the 95 % interval {own} of the fit ({e.kind}), clipped to the "
                      f"base's range {span}: the export narrows an assumed range, it does "
                      "not widen it")


def calibrated_ranges(sc: Scenario, estimates: list[Estimate]
                      ) -> tuple[Scenario, list[RangeChange]]:
    """The scenario with each uncertainty the base declared for a calibrated number set
    as :func:`_decide` says (uniform over its range), and what became of each."""
    data = sc.model_dump(mode="python")
    declared = data.get("uncertainties") or {}
    changes = []
    for e in estimates:
        if e.path not in declared or e.kind == "base" or declared[e.path].get("relative"):
            continue  # a relative range already follows the calibrated value
        base = tuple(float(x) for x in declared[e.path]["range"])
        new, why = _decide(e, base)
        changes.append(RangeChange(e.path, base, new, why))
        if new != base:
            declared[e.path] = {"range": new, "source": f"calibrated ({e.kind}): {why}",
                                "group": declared[e.path].get("group")}
    if not any(c.changed for c in changes):
        return sc, changes
    return parse_scenario(data, source="the calibrated scenario's uncertainties"), changes
