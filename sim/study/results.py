"""The results of a study: the tidy frames of every replication and the statistics read
from them (summary, paired differences, moss and prospecting curves, the transition).

This is the type the report layer reads (:mod:`sim.report` types against
``sim.study.results.Results``). It holds numbers only: writing a results folder is
:func:`sim.report.folder.write_results` (``sim.write_results``), so the study never
calls up into the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario
from sim.model.structures import BASELINE
from sim.study.measures import (
    cumulative_difference,
    moss_curve,
    paired_differences,
    payback_and_dip,
    run_measures,
    summarise,
)


@dataclass
class Results:
    """Tidy results of a study: ``monthly``, ``managers`` and per-run ``runs`` frames."""

    scenario: Scenario
    monthly: pd.DataFrame
    managers: pd.DataFrame
    seed: int
    replications: int
    structures: list[str]
    baseline: str = BASELINE
    wall_seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    @cached_property
    def runs(self) -> pd.DataFrame:
        """Per-run totals; computed once (summary, differences, findings and charts
        all read them)."""
        return run_measures(self.monthly, self.managers)

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Means with confidence intervals over replications (long format)."""
        return summarise(self.runs, confidence)

    def moss_curve(self, confidence: float = 0.95) -> pd.DataFrame:
        return moss_curve(self.managers, confidence)

    def prospecting_curve(self, confidence: float = 0.95) -> pd.DataFrame:
        """Prospecting share of worked hours by month of tenure, next to the moss curve:
        it shows the base crowding out hunting as well as drift (:mod:`sim.study.measures`)."""
        from sim.study.measures import prospecting_curve

        return prospecting_curve(self.managers, confidence)

    def differences(self, baseline: str | None = None,
                    confidence: float = 0.95) -> pd.DataFrame:
        """Paired differences against the baseline, replication by replication, and
        each structure's payback month and dip of the cumulative contribution
        difference (measures ``payback_month``, ``dip``, ``dip_month``)."""
        baseline = baseline or self.baseline
        paired = paired_differences(self.runs, baseline, confidence)
        timing = payback_and_dip(self.transition(baseline, confidence))
        extra = []
        for r in timing.itertuples():
            n = self.replications
            for measure, value, lo, hi in (
                    ("payback_month", r.payback_month, r.payback_early, r.payback_late),
                    ("dip", r.dip, r.dip_ci_low, r.dip_ci_high),
                    ("dip_month", r.dip_month, r.dip_month, r.dip_month)):
                extra.append({"structure": r.structure, "baseline": baseline,
                              "measure": measure, "difference": value, "ci_low": lo,
                              "ci_high": hi, "relative": np.nan,
                              "excludes_zero": bool(measure == "dip" and hi < 0),
                              "replications": n})
        if not extra:
            return paired
        return pd.concat([paired, pd.DataFrame(extra, columns=paired.columns)],
                         ignore_index=True)

    def transition(self, baseline: str | None = None, confidence: float = 0.95
                   ) -> pd.DataFrame:
        """Cumulative paired contribution difference against the baseline by month."""
        return cumulative_difference(self.monthly, baseline or self.baseline,
                                     "contribution", confidence)
