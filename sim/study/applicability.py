"""Which measures mean something under which structure, from the roles a structure's
seats play (:class:`sim.model.structures.base.Role`), so that a table, a chart or a
sentence shows "n/a" rather than a 0.0 % that reads as a result.

- The active share of free time and the moss curve need someone who chooses how to
  spend free time: a seat that prospects or cares for clients. Where every seat only
  answers what arrives (dispatchers routing bought leads), there is no such choice.
- The key-person share (the top person's share of revenue) and the revenue at risk
  with a key person need someone who owns clients. In a pool nobody does.

Every other measure applies to every structure.
"""

from __future__ import annotations

from sim.config.scenario import Scenario
from sim.model.structures import make_structure
from sim.model.structures.base import Role

#: Measures that need a seat choosing how to spend its free time.
NEEDS_CHOICE = ("active_share", "moss_curve")
#: Measures that need a seat owning clients.
NEEDS_OWNER = ("top_manager_revenue_share", "key_person_revenue_at_risk")


def _roles(scenario: Scenario, structure: str) -> tuple[list[Role], bool]:
    """The roles of the structure's seats, and whether its lead source lets them hunt."""
    built = make_structure(structure, scenario)
    return built.org.roles(built.org.seats(scenario.workforce.managers)), built.leads.outbound


def measure_applies(scenario: Scenario, structure: str, measure: str) -> bool:
    """Whether ``measure`` (a column of ``summary.csv``, or ``moss_curve``) means
    something for ``structure`` (a registered structure or a hybrid the scenario
    names) under ``scenario``."""
    if measure not in CONDITIONAL:
        return True
    return measure not in not_applicable(scenario, [structure])[structure]


#: Measures that need a choice of how to spend time (the prospecting share of working
#: time as much as the active share), and every measure that applies only to some
#: structures.
CHOICE_MEASURES = NEEDS_CHOICE + ("prospecting_share",)
CONDITIONAL = CHOICE_MEASURES + NEEDS_OWNER


def not_applicable(scenario: Scenario, structures: list[str]) -> dict[str, set[str]]:
    """For each of ``structures``, the measures that do not apply to it under
    ``scenario`` (an empty set where all do): what the report and the charts write
    "n/a" for."""
    out = {}
    for structure in structures:
        roles, hunting = _roles(scenario, structure)
        chooses = any((r.prospects and hunting) or r.care is not None for r in roles)
        owns = any(r.owns for r in roles)
        out[structure] = ({m for m in CHOICE_MEASURES if not chooses}
                          | {m for m in NEEDS_OWNER if not owns})
    return out
