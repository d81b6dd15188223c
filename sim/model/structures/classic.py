"""``classic``: full-cycle managers own the clients they win; pay is salary plus
commission on their own clients' revenue; monitoring is low."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.config.structures.classic import SPEC, ClassicSettings
from sim.model.structures.base import Organisation
from sim.model.structures.registry import Plugin
from sim.model.workday import RequestQueue

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.structures.base import Floor
    from sim.model.workday import Request


def rotate(dept: Floor, candidates: list[int], state: dict, key: str = "next") -> int:
    """Round robin over the given desks, in desk order, remembering where it stopped."""
    start = state.get(key, 0)
    ordered = sorted(candidates)
    for i in ordered:
        if i >= start:
            state[key] = i + 1
            return i
    state[key] = ordered[0] + 1
    return ordered[0]


def pick_desk(dept: Floor, candidates: list[int], rule: str, state: dict) -> int:
    """A present desk among ``candidates`` by the routing rule; a vacant one (which
    holds the request for its successor) when nobody is present. A structure too small
    to have the role at all routes to any desk."""
    candidates = candidates or [d.index for d in dept.desks]
    present = [i for i in candidates if dept.desks[i].person is not None]
    if not present:
        return rotate(dept, candidates, state)
    if rule == "random":
        return present[int(dept.streams["routing"].integers(len(present)))]
    if rule == "least_loaded":
        return min(present, key=lambda i: (len(dept.desks[i].queue.items), i))
    return rotate(dept, present, state)


class Classic(Organisation):
    name = "classic"

    def __init__(self, settings: ClassicSettings):
        self.settings = settings
        self.monitoring = settings.monitoring
        self.priorities = settings.priorities.model_dump()
        self.prescribed_active_share = settings.prescribed_active_share
        self._rr: dict = {}

    def route_lead(self, dept: Floor, req: Request) -> RequestQueue:
        desks = [d.index for d in dept.desks]
        return dept.desks[pick_desk(dept, desks, self.settings.inbound_routing,
                                    self._rr)].queue


PLUGIN = Plugin(SPEC, organisation=lambda name, sc: Classic(sc.structures.classic))
