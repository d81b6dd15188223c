"""The organisational structures, each a composition of an organisation and a lead
source over the shared mechanisms (see :mod:`sim.model.structures.base`).

Each structure lives in one module with its settings and a ``PLUGIN``; ``PLUGINS``
below registers them, once each. A hybrid named in a scenario composes the
organisation of one plug-in with the lead source of another, without code.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Literal

from pydantic import Field, create_model, model_validator

from sim.config.settings import Section
from sim.model.structures.automated_marketing import Dispatch, MarketingLeads, adbudg
from sim.model.structures.base import Floor, LeadSource, Organisation, Role, Structure
from sim.model.structures.classic import Classic
from sim.model.structures.process_norm import ProcessNorm, norm_pay
from sim.model.structures.registry import Plugin
from sim.model.structures.staged import Staged
from sim.model.structures.ticket_pool import TicketPool

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.scenario import Scenario

#: Every structure module, registered once: a new structure adds its module's name here.
MODULES = ("classic", "staged", "ticket_pool", "process_norm", "automated_marketing", "segmented")
PLUGINS: tuple[Plugin, ...] = tuple(import_module(f"{__name__}.{m}").PLUGIN for m in MODULES)

#: The structure a mature department is warmed up under, and the default baseline.
BASELINE = PLUGINS[0].names[0]
STRUCTURES: tuple[str, ...] = tuple(n for p in PLUGINS for n in p.names)
DEFAULT_COMPARISON: tuple[str, ...] = tuple(n for p in PLUGINS if p.compared_by_default
                                            for n in p.names)
_BY_NAME = {n: p for p in PLUGINS for n in p.names}
ROUTINGS = tuple(n for p in PLUGINS if p.composable for n in p.names)
LEAD_SOURCES = ("sales",) + tuple(p.names[0] for p in PLUGINS if p.lead_source is not None)


class Hybrid(Section):
    """A structure composed of parts of the others: who serves the requests, and where
    the leads come from."""

    routing: Literal[ROUTINGS]  # type: ignore[valid-type]
    leads: Literal[LEAD_SOURCES] = "sales"  # type: ignore[valid-type]


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


#: The ``structures:`` section of a scenario: one field per plug-in, plus hybrids.
Structures = create_model(
    "Structures", __base__=_StructuresBase,
    __doc__="Settings of each structure, and hybrids composed from them.",
    **{p.section: (p.settings, Field(default_factory=p.settings)) for p in PLUGINS},
    hybrids=(dict[str, Hybrid], Field(default_factory=_default_hybrids)),
)


def check_structures(scenario: Scenario) -> list[str]:
    """Problems a plug-in finds across sections (for example headcounts)."""
    return [problem for p in PLUGINS if p.check is not None for problem in p.check(scenario)]


def phasable(name: str, scenario: Scenario) -> bool:
    """Whether a structure (or a hybrid, by its routing) keeps the headcount's seats,
    so that a roll-out can move it in desk by desk."""
    hybrid = scenario.structures.hybrids.get(name)
    plugin = _BY_NAME.get(hybrid.routing if hybrid is not None else name)
    return plugin is not None and plugin.phasable


def unphasable(scenario: Scenario, names: list[str]) -> list[str]:
    """The structures among ``names`` that the phased roll-out the scenario asks for
    cannot move in desk by desk (none where it asks for none)."""
    reorg, exp = scenario.reorganisation, scenario.experiment
    if reorg.phase_share >= 1.0 or exp.initial_state != "mature":
        return []
    return [n for n in dict.fromkeys(names) if n != BASELINE and not phasable(n, scenario)]


def make_structure(name: str, scenario: Scenario, pay_scale: float = 1.0) -> Structure:
    """Build a registered structure or a hybrid the scenario names; ``pay_scale``
    multiplies its fixed pay (the pay-parity option of an experiment)."""
    hybrids = scenario.structures.hybrids
    if name in hybrids:
        hybrid = hybrids[name]
        org = _BY_NAME[hybrid.routing].organisation(hybrid.routing, scenario)
        leads = (LeadSource() if hybrid.leads == "sales"
                 else _BY_NAME[hybrid.leads].lead_source(scenario))
        org.pay_scale = pay_scale
        return Structure(name, org, leads)
    plugin = _BY_NAME.get(name)
    if plugin is None:
        raise ValueError(f"structure: unknown name {name!r}; allowed: "
                         + ", ".join(scenario.structure_names()))
    leads = plugin.lead_source(scenario) if plugin.lead_source is not None else LeadSource()
    org = plugin.organisation(name, scenario)
    org.pay_scale = pay_scale
    return Structure(name, org, leads)


__all__ = ["BASELINE", "DEFAULT_COMPARISON", "PLUGINS", "STRUCTURES", "Classic", "Dispatch",
           "Floor", "Hybrid", "LeadSource", "MarketingLeads", "Organisation", "Plugin",
           "ProcessNorm", "Role", "Staged", "Structure", "Structures", "TicketPool", "adbudg",
           "check_structures", "make_structure", "norm_pay", "phasable", "unphasable"]
