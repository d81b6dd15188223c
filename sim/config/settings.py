"""What every part of a scenario shares: the validated, immutable section model and
the units of simulated time. Structure plug-ins define their settings on this base
without importing the scenario (which is built from them)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

#: Simulated time: one unit is one working day; a month is 21 working days and a
#: year is 12 such months (252 days; MODEL.md rounds this to 250).
DAYS_PER_MONTH = 21
MONTHS_PER_YEAR = 12
DAYS_PER_YEAR = DAYS_PER_MONTH * MONTHS_PER_YEAR


class Section(BaseModel):
    """A scenario section: unknown keys are errors, values are validated, frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
