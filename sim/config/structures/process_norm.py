"""Settings of ``process_norm``: the task norm, its pay, the script and the process build-up."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.config.settings import Section
from sim.config.structures.registry import Priorities, StructureSpec


class ProcessNormSettings(Section):
    """A CRM cadence fixes dated tasks; pay is a rate for the norm plus a piece bonus."""

    assignment: Literal["owner", "pool"] = "owner"
    norm_tasks_per_day: float = Field(10.0, gt=0.0, le=1_000.0)
    norm_rate_monthly: float = Field(3_500.0, ge=0.0)
    piece_bonus: float = Field(15.0, ge=0.0)
    touch_hours: float = Field(0.25, gt=0.0, le=24.0)
    counts: Literal["proactive", "all"] = Field(
        "proactive", description="Which tasks count toward the norm: the planned proactive "
        "ones (care contacts and prospect touches), or also every request handled (then "
        "the norm's pay grows with the order volume, not with effort).")
    script_floor: float = Field(0.6, ge=0.0, le=1.0)
    monitoring: float = Field(0.8, ge=0.0, le=1.0)
    prescribed_active_share: float = Field(0.85, ge=0.0, le=1.0)
    priorities: Priorities = Field(default_factory=Priorities)
    maturity_start: float = Field(
        0.3, ge=0.0, le=1.0, description="Process maturity at a switch: how much of the "
        "script and the task calendar works on day one.")
    buildup_days: float = Field(
        126.0, ge=0.0, description="Days until the process is mature after a switch "
        "(scripts debugged, the calendar filled).")
    win_uplift: float = Field(
        0.10, ge=0.0, le=1.0, description="Rise of the win rate a mature process brings.")
    setup_cost: float = Field(20_000.0, ge=0.0)
    norm_padding: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of a day's shortfall against the norm that a "
        "person fills with quick low-value touches, which count but sell nothing "
        "(Bain et al. 2002; sim/model/padding.py).")
    quick_touch_share: float = Field(
        0.25, gt=0.0, lt=1.0, description="Time a quick touch takes, as a share of a full "
        "task's.")
    buildup_cost_monthly: float = Field(4_000.0, ge=0.0)


SPEC = StructureSpec(section="process_norm", settings=ProcessNormSettings,
                     names=("process_norm",))
