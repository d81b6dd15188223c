"""The result every validation check returns: one measured quantity against its target.

A :class:`Check` holds the measured mean with its confidence interval next to the
target (a theory value, a published range or a direction) and says whether they agree,
so a test can assert agreement within the interval and the printer
(:mod:`sim.validation.tables`) can print the tables kept in docs/validation.md. A
published figure is either one a parameter was **calibrated** to (the check then only
confirms the calibration still holds) or one nothing was tuned to (**validated**); each
check says which. :data:`ROOT` is the repository the checks read their scenarios from
(``scenarios/``), shared by the queue and the published-range families.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ROOT", "Check"]

#: The repository checkout (sim/validation/checks.py -> parents[2]): the checks read
#: their scenarios from ROOT/scenarios/.
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Check:
    """One measured quantity against its target.

    A theory value (``target_low == target_high``) must lie in the interval. A range
    must contain the whole interval, widened to ``allowed_low``/``allowed_high`` where
    given; ``target_high = inf`` states a direction (the interval above ``target_low``).
    ``basis`` is ``theory``, ``calibrated`` (a parameter was chosen to hit the target)
    or ``validated`` (nothing was tuned to it)."""

    name: str
    measured: float
    half_width: float
    target_low: float
    target_high: float
    source: str
    replications: int
    basis: str = "theory"
    allowed_low: float | None = None
    allowed_high: float | None = None

    @property
    def agrees(self) -> bool:
        if self.target_low == self.target_high:
            return bool(abs(self.measured - self.target_low) <= self.half_width)
        low = self.target_low if self.allowed_low is None else self.allowed_low
        high = self.target_high if self.allowed_high is None else self.allowed_high
        return bool(low <= self.measured - self.half_width
                    and self.measured + self.half_width <= high)

    @property
    def above_zero(self) -> bool:
        """The whole interval lies above zero (a direction)."""
        return bool(self.measured - self.half_width > 0)

    def row(self) -> dict:
        if self.target_low == self.target_high:
            target = f"{self.target_low:.4g}"
        elif math.isinf(self.target_high):
            target = f"above {self.target_low:.4g}"
        else:
            target = f"{self.target_low:.4g} to {self.target_high:.4g}"
        if self.allowed_low is not None or self.allowed_high is not None:
            target += (f" (test: {self.allowed_low:.4g} to {self.allowed_high:.4g})")
        return {"check": self.name,
                "measured": f"{self.measured:.4g} +- {self.half_width:.2g}",
                "target": target, "agrees": self.agrees, "replications": self.replications,
                "source": self.source, "basis": self.basis}
