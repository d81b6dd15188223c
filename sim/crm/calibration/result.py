"""What a calibration is asked to do (:class:`Settings`) and what it gives back
(:class:`Calibration`): the types the runner (:mod:`sim.crm.calibration.fit`) fills and the
writer (:mod:`sim.crm.calibration.output`) reads, so the writer never imports the runner."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sim.config.scenario import Scenario
from sim.crm.calibration.correct import Estimate
from sim.crm.calibration.moments import Window
from sim.crm.calibration.ranges import RangeChange


@dataclass
class Settings:
    """How hard the calibration works: replications per evaluation, correction rounds,
    optimiser trials and its stopping rule, the seed."""

    replications: int = 4
    correction_rounds: int = 3
    trials: int = 60
    patience: int = 20  # trials without a gain of min_gain in the distance before it stops
    startup: int = 10  # random trials before the sampler models the distance (TPE's)
    slices: int = 5  # points across each inferred parameter's range through the best
    min_gain: float = 1.0
    seed: int = 20261127
    workers: int | None = None
    executor: str = "processes"


@dataclass
class Calibration:
    """The calibrated scenario, its estimates, the statistics on both sides and the
    search's trials."""

    scenario: Scenario
    estimates: list[Estimate]
    observed: pd.DataFrame
    simulated: pd.DataFrame  # at the calibrated scenario: mean and se over replications
    replicated: pd.DataFrame  # every replication's statistics at the calibrated scenario
    trials: pd.DataFrame
    window: Window
    settings: Settings
    incomplete: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    stopped: str = ""
    seconds: float = 0.0
    ranges: list[RangeChange] = field(default_factory=list)  # the sweep ranges' fate

    def table(self) -> pd.DataFrame:
        """The calibrated numbers as a tidy frame: path, value, low, high, kind, method,
        and ``unidentified``: why the export cannot identify it (empty where it can)."""
        return pd.DataFrame([vars(e) for e in self.estimates],
                            columns=["path", "value", "low", "high", "kind", "method",
                                     "unidentified"])
