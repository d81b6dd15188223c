"""The default scenario as shipped inside the package, found wherever a command runs.

``scenarios/default.yaml`` is the one source of truth; ``sim/config/default.yaml`` is its
copy as package data, so that ``salesim calibrate`` without ``--base`` works from any
folder and from an installed package (a test keeps the two files equal).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["default_scenario_path"]


def default_scenario_path() -> Path:
    """The path of the default scenario shipped with the package."""
    return Path(str(files("sim.config").joinpath("default.yaml")))
