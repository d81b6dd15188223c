"""Settings of ``ticket_pool``: one queue served by the next free specialist."""

from __future__ import annotations

from pydantic import Field

from sim.config.settings import Section
from sim.config.structures.registry import Priorities, StructureSpec


class TicketPoolSettings(Section):
    """One queue for all reactive work, served by the next free specialist."""

    priorities: Priorities = Field(default_factory=Priorities)
    service_penalty: float = Field(0.10, ge=0.0, le=5.0)
    institutional_relationship: float = Field(0.2, ge=0.0, le=1.0)
    team_bonus_rate: float = Field(0.01, ge=0.0, le=1.0)
    setup_cost: float = Field(5_000.0, ge=0.0, description="Setting the ticketing system "
                              "up at a switch.")
    monitoring: float = Field(0.3, ge=0.0, le=1.0)
    prescribed_active_share: float = Field(0.8, ge=0.0, le=1.0)


SPEC = StructureSpec(section="ticket_pool", settings=TicketPoolSettings,
                     names=("ticket_pool",))
