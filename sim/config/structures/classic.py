"""Settings of ``classic``: full-cycle managers own the clients they win."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.config.settings import Section
from sim.config.structures.registry import Priorities, StructureSpec


class ClassicSettings(Section):
    """Full-cycle managers own their clients."""

    inbound_routing: Literal["round_robin", "least_loaded", "random"] = "round_robin"
    monitoring: float = Field(0.1, ge=0.0, le=1.0)
    prescribed_active_share: float = Field(0.8, ge=0.0, le=1.0)
    priorities: Priorities = Field(default_factory=Priorities)


SPEC = StructureSpec(section="classic", settings=ClassicSettings, names=("classic",))
