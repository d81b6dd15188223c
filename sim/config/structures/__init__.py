"""The ``structures:`` section of a scenario, composed from each structure's settings.

Each structure declares its settings and a :class:`StructureSpec` in one module here;
``SPECS`` below lists them once. Its behaviour is the model's plug-in of the same name
(:mod:`sim.model.structures`). A hybrid named in a scenario composes the organisation
of one structure with the lead source of another, without code, and may pay its people
by a plan of its own (``pay:``), so a pay change alone can be the switch.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, create_model, model_validator

from sim.config.sections import Market, Pay, Workforce
from sim.config.settings import Section
from sim.config.structures import (
    automated_marketing,
    classic,
    process_norm,
    segmented,
    staged,
    ticket_pool,
)
from sim.config.structures.registry import StructureSpec

#: Every structure, registered once: a new structure adds its settings module here.
SPECS: tuple[StructureSpec, ...] = tuple(m.SPEC for m in (
    classic, staged, ticket_pool, process_norm, automated_marketing, segmented))

#: The structure a mature department is warmed up under, and the default baseline.
BASELINE = SPECS[0].names[0]
STRUCTURES: tuple[str, ...] = tuple(n for s in SPECS for n in s.names)
DEFAULT_COMPARISON: tuple[str, ...] = tuple(n for s in SPECS if s.compared_by_default
                                            for n in s.names)
SPEC_BY_NAME = {n: s for s in SPECS for n in s.names}
ROUTINGS = tuple(n for s in SPECS if s.composable for n in s.names)
LEAD_SOURCES = ("sales",) + tuple(s.names[0] for s in SPECS if s.lead_source)


class Hybrid(Section):
    """A structure composed of parts of the others: who serves the requests, where the
    leads come from, and (optionally) the pay plan that replaces the scenario's ``pay``
    under it: ``routing: classic`` with ``pay: {commission_rate: 0.0246}`` is an 18 %
    commission cut at the switch (Sandvik et al. 2021)."""

    routing: Literal[ROUTINGS]  # type: ignore[valid-type]
    leads: Literal[LEAD_SOURCES] = "sales"  # type: ignore[valid-type]
    pay: Pay | None = None

    def changes_pay_only(self, baseline: str) -> bool:
        """Whether this hybrid is ``baseline`` itself under another pay plan."""
        return self.pay is not None and self.routing == baseline and self.leads == "sales"


class _StructuresBase(Section):
    @model_validator(mode="after")
    def _hybrid_names(self):
        for name in self.hybrids:
            if name in STRUCTURES:
                raise ValueError(f"hybrids.{name}: the name of a built-in structure; choose "
                                 "another name")
        return self


def _default_hybrids() -> dict[str, Hybrid]:
    return {"pool_fed_by_marketing": Hybrid(routing="ticket_pool",
                                            leads="automated_marketing")}


#: The ``structures:`` section of a scenario: one field per structure, plus hybrids.
Structures = create_model(
    "Structures", __base__=_StructuresBase,
    __doc__="Settings of each structure, and hybrids composed from them.",
    **{s.section: (s.settings, Field(default_factory=s.settings)) for s in SPECS},
    hybrids=(dict[str, Hybrid], Field(default_factory=_default_hybrids)),
)


def check_structures(structures: Section, market: Market, workforce: Workforce) -> list[str]:
    """Problems a structure finds across sections (for example headcounts)."""
    return [problem for s in SPECS if s.check is not None
            for problem in s.check(getattr(structures, s.section), market, workforce)]


def phasable(name: str, hybrids: dict[str, Hybrid]) -> bool:
    """Whether a structure (or a hybrid, by its routing) keeps the headcount's seats,
    so that a roll-out can move it in desk by desk."""
    hybrid = hybrids.get(name)
    spec = SPEC_BY_NAME.get(hybrid.routing if hybrid is not None else name)
    return spec is not None and spec.phasable
