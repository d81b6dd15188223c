"""A structure's behaviour, joined to its settings: each structure module ends with a
:class:`Plugin` built from the :class:`~sim.config.structures.registry.StructureSpec`
of its settings module, and ``sim.model.structures.PLUGINS`` names every one once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.config.structures.registry import StructureSpec

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.scenario import Scenario
    from sim.model.structures.base import LeadSource, Organisation


@dataclass(frozen=True)
class Plugin:
    """What a structure module adds to its settings: who serves, owns and is paid how,
    and the leads it brings, if any."""

    spec: StructureSpec
    organisation: Callable[[str, Scenario], Organisation]
    lead_source: Callable[[Scenario], LeadSource] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return self.spec.names
