"""Settings of ``staged-2`` and ``staged-3``: role headcounts, hand-off and pay of hunters."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.config.sections import Market, Workforce
from sim.config.settings import Section
from sim.config.structures.registry import Priorities, StructureSpec


class TwoStep(Section):
    """Headcounts of the two-step structure; left out, a third of the seats hunt."""

    hunters: int | None = Field(None, ge=0)
    account_managers: int | None = Field(None, ge=0)

    def counts(self, seats: int) -> dict[str, int]:
        if self.hunters is None and self.account_managers is None:
            hunters = max(1, round(seats / 3)) if seats > 1 else 0
            return {"hunter": hunters, "account_manager": seats - hunters}
        return {"hunter": self.hunters or 0, "account_manager": self.account_managers or 0}


class ThreeStep(Section):
    """Headcounts of the three-step structure; left out, about 27 % lead developers,
    20 % closers, the rest account managers."""

    lead_developers: int | None = Field(None, ge=0)
    closers: int | None = Field(None, ge=0)
    account_managers: int | None = Field(None, ge=0)

    def counts(self, seats: int) -> dict[str, int]:
        if self.lead_developers is None and self.closers is None and (
                self.account_managers is None):
            dev = max(1, round(seats * 0.27)) if seats > 2 else 0
            closers = max(1, round(seats * 0.2)) if seats > 2 else 0
            return {"lead_developer": dev, "closer": closers,
                    "account_manager": seats - dev - closers}
        return {"lead_developer": self.lead_developers or 0, "closer": self.closers or 0,
                "account_manager": self.account_managers or 0}


class StagedSettings(Section):
    """Hunting is a role: hunters (or lead developers and closers) win, account
    managers keep."""

    two_step: TwoStep = Field(default_factory=TwoStep)
    three_step: ThreeStep = Field(default_factory=ThreeStep)
    handoff_loss: float = Field(0.05, ge=0.0, le=1.0)
    meeting_hours: float = Field(1.0, gt=0.0, le=24.0)
    hunter_salary_monthly: float = Field(2_500.0, ge=0.0)
    hunter_bonus_per_client: float = Field(300.0, ge=0.0)
    lead_developer_bonus_per_meeting: float = Field(40.0, ge=0.0)
    hunter_quit_multiplier: float = Field(1.5, ge=0.0, le=20.0)
    promotion: bool = True
    promotion_by: Literal["skill", "tenure"] = Field(
        "skill", description="Who is promoted into an account manager's seat: the most "
        "skilled hunter (or closer), or the longest serving.")
    monitoring: float = Field(0.3, ge=0.0, le=1.0)
    prescribed_active_share: float = Field(0.8, ge=0.0, le=1.0)
    priorities: Priorities = Field(default_factory=Priorities)


def check_headcounts(staged: StagedSettings, market: Market, workforce: Workforce
                     ) -> list[str]:
    """Role headcounts given for a staged structure must cover every role and add up to
    ``workforce.managers``."""
    n = workforce.managers
    problems = []
    for label, heads in (("two_step", staged.two_step), ("three_step", staged.three_step)):
        given = heads.model_dump()
        total = sum(heads.counts(n).values())
        if total != n or any(v is None for v in given.values()) and any(
                v is not None for v in given.values()):
            counts = ", ".join(f"{k}={v}" for k, v in given.items())
            problems.append(f"structures.staged.{label}: role headcounts ({counts}) add up "
                            f"to {total}; give every role, adding up to workforce.managers "
                            f"({n}), or none")
    return problems


SPEC = StructureSpec(section="staged", settings=StagedSettings, names=("staged-2", "staged-3"),
                     composable=False, check=check_headcounts)
