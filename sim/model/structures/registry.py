"""The one list of structures: each structure module describes itself with a
:class:`Plugin`, and ``sim.model.structures.PLUGINS`` names every module's plugin once. The
scenario's ``structures:`` section, the valid names, ``salesim validate``, the JSON
Schema and the command line all read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.config.settings import Section

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.scenario import Scenario
    from sim.model.structures.base import LeadSource, Organisation


@dataclass(frozen=True)
class Plugin:
    """What a structure module tells the rest of salesim about itself."""

    section: str  # its key under ``structures:`` in a scenario file
    settings: type[Section]  # the settings model of that section
    names: tuple[str, ...]  # the structure names it provides
    organisation: Callable[[str, Scenario], Organisation]  # who serves, owns, is paid how
    lead_source: Callable[[Scenario], LeadSource] | None = None  # leads it brings, if any
    composable: bool = True  # its organisation can serve requests in a hybrid
    compared_by_default: bool = True  # in the default list of ``experiment.structures``
    check: Callable[[Scenario], list[str]] | None = None  # problems across sections
    phasable: bool = True  # keeps the headcount's seats, so it can be rolled out in phases
