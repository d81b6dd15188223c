"""Settings of ``segmented``: which segments are key accounts, and their seats."""

from __future__ import annotations

from pydantic import Field

from sim.config.sections import Market, Workforce
from sim.config.settings import Section
from sim.config.structures.registry import Priorities, StructureSpec


class SegmentedSettings(Section):
    """Which segments are key accounts, and how many seats serve them."""

    key_account_segments: list[str] = Field(default_factory=lambda: ["enterprise"],
                                            min_length=1)
    key_account_managers: int | None = Field(
        None, ge=1, description="Seats of key-account managers; left out, a third of the "
        "seats (at least one); the rest are pool specialists.")
    monitoring: float = Field(0.3, ge=0.0, le=1.0)
    prescribed_active_share: float = Field(0.8, ge=0.0, le=1.0)
    priorities: Priorities = Field(default_factory=Priorities)


def check_settings(s: SegmentedSettings, market: Market, workforce: Workforce) -> list[str]:
    """Key segments must exist in the market; the pool needs at least one seat."""
    known = list(market.segments)
    problems = [f"structures.segmented.key_account_segments: unknown segment {name!r}; "
                f"allowed: {', '.join(known)}"
                for name in s.key_account_segments if name not in known]
    n = workforce.managers
    if s.key_account_managers is not None and s.key_account_managers >= n:
        problems.append(f"structures.segmented.key_account_managers: "
                        f"{s.key_account_managers} leaves no pool specialist among "
                        f"workforce.managers ({n}); allowed: 1 to {n - 1}")
    return problems


SPEC = StructureSpec(section="segmented", settings=SegmentedSettings, names=("segmented",),
                     compared_by_default=False, check=check_settings)
