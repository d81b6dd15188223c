"""The organisational structures, each a small strategy over shared mechanisms."""

from __future__ import annotations

from ..scenario import Scenario
from .base import Structure
from .classic import Classic


def make_structure(name: str, scenario: Scenario) -> Structure:
    """Build the named structure from its scenario settings."""
    if name == "classic":
        return Classic(scenario.structures.classic, scenario.pay)
    raise ValueError(f"structure: unknown name {name!r}; allowed: classic")


__all__ = ["Structure", "Classic", "make_structure"]
