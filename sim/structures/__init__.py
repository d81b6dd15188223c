"""The organisational structures, each a composition of an organisation and a lead
source over the shared mechanisms (see :mod:`sim.structures.base`)."""

from __future__ import annotations

from ..scenario import Scenario
from .automated_marketing import Dispatch, MarketingLeads, adbudg
from .base import LeadSource, Organisation, Role, Structure
from .classic import Classic
from .process_norm import ProcessNorm, norm_pay
from .staged import Staged
from .ticket_pool import TicketPool


def _organisation(name: str, scenario: Scenario) -> Organisation:
    st = scenario.structures
    if name == "classic":
        return Classic(st.classic)
    if name in ("staged-2", "staged-3"):
        return Staged(st.staged, int(name[-1]))
    if name == "ticket_pool":
        return TicketPool(st.ticket_pool)
    if name == "process_norm":
        return ProcessNorm(st.process_norm, st.ticket_pool)
    if name == "automated_marketing":
        return Dispatch(st.automated_marketing, scenario.pay)
    raise ValueError(name)


def make_structure(name: str, scenario: Scenario) -> Structure:
    """Build a built-in structure or a hybrid the scenario names."""
    st = scenario.structures
    if name in st.hybrids:
        hybrid = st.hybrids[name]
        org = _organisation(hybrid.routing, scenario)
        leads = (MarketingLeads(st.automated_marketing) if hybrid.leads == "automated_marketing"
                 else LeadSource())
        return Structure(name, org, leads)
    if name == "automated_marketing":
        marketing = MarketingLeads(st.automated_marketing)
        return Structure(name, _organisation(name, scenario), marketing)
    if name in scenario.structure_names():
        return Structure(name, _organisation(name, scenario), LeadSource())
    raise ValueError(f"structure: unknown name {name!r}; allowed: "
                     + ", ".join(scenario.structure_names()))


__all__ = ["Classic", "Dispatch", "LeadSource", "MarketingLeads", "Organisation",
           "ProcessNorm", "Role", "Staged", "Structure", "TicketPool", "adbudg",
           "make_structure", "norm_pay"]
