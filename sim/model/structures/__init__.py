"""The organisational structures, each a composition of an organisation and a lead
source over the shared mechanisms (see :mod:`sim.model.structures.base`).

Each structure's behaviour lives in one module here, ending with a ``PLUGIN``; its
settings live in the module of the same name under :mod:`sim.config.structures`.
``PLUGINS`` below registers the behaviours, once each, in the order of the settings'
``SPECS``. A hybrid named in a scenario composes the organisation of one plug-in with
the lead source of another, without code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.config.scenario import unphasable
from sim.config.structures import BASELINE, DEFAULT_COMPARISON, SPECS, STRUCTURES, phasable
from sim.model.structures import (
    automated_marketing,
    classic,
    process_norm,
    segmented,
    staged,
    ticket_pool,
)
from sim.model.structures.automated_marketing import adbudg
from sim.model.structures.base import LeadSource, Structure
from sim.model.structures.registry import Plugin

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.scenario import Scenario

PLUGINS: tuple[Plugin, ...] = tuple(m.PLUGIN for m in (
    classic, staged, ticket_pool, process_norm, automated_marketing, segmented))
assert tuple(p.spec for p in PLUGINS) == SPECS, "a plug-in for every settings module, in order"
_BY_NAME = {n: p for p in PLUGINS for n in p.names}


def under_structure(name: str, scenario: Scenario) -> Scenario:
    """The scenario as structure ``name`` runs it: with a hybrid's own ``pay:`` in place
    of the scenario's (the warm-up keeps the scenario's)."""
    hybrid = scenario.structures.hybrids.get(name)
    if hybrid is None or hybrid.pay is None:
        return scenario
    return scenario.model_copy(update={"pay": hybrid.pay})


def make_structure(name: str, scenario: Scenario, pay_scale: float = 1.0) -> Structure:
    """Build a registered structure or a hybrid the scenario names; ``pay_scale``
    multiplies its fixed pay (the pay-parity option of an experiment)."""
    scenario = under_structure(name, scenario)
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


# adbudg: the marketing response curve, which the validation checks against its theory.
__all__ = ["BASELINE", "DEFAULT_COMPARISON", "PLUGINS", "STRUCTURES", "Plugin", "Structure",
           "adbudg", "make_structure", "phasable", "under_structure", "unphasable"]
