"""What a structure tells configuration about itself: the key of its settings under
``structures:``, the names it provides, and how it may be combined, checked and rolled
out. The behaviour that goes with it (who serves, owns and is paid how) is the model's
plug-in (:mod:`sim.model.structures`); configuration never imports the model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from sim.config.sections import Market, Workforce
from sim.config.settings import Section

#: Problems a structure finds across sections: its own settings, the market, the seats.
Check = Callable[[Any, Market, Workforce], list[str]]


@dataclass(frozen=True)
class StructureSpec:
    """A structure's settings and the facts about it that configuration needs."""

    section: str  # its key under ``structures:`` in a scenario file
    settings: type[Section]  # the settings model of that section
    names: tuple[str, ...]  # the structure names it provides
    lead_source: bool = False  # it brings leads of its own (usable as a hybrid's leads)
    composable: bool = True  # its organisation can serve requests in a hybrid
    compared_by_default: bool = True  # in the default list of ``experiment.structures``
    check: Check | None = None  # problems across sections
    phasable: bool = True  # keeps the headcount's seats, so it can be rolled out in phases


class Priorities(Section):
    """Order in which a queue serves request kinds: lower first; equal means FIFO."""

    order: int = Field(0, ge=0, le=100)
    lead: int = Field(0, ge=0, le=100)
    meeting: int = Field(0, ge=0, le=100)
