"""What the report reads of a finished comparison, as Protocols: the frames, tables and
settings that the charts, the HTML report and the findings use. A study's results
(:mod:`sim.study`) and a results folder read back from disk
(:class:`sim.report.results_folder.ResultsFolder`) both satisfy them, so the report
types against this and never imports the runner that made the numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sim.config.scenario import Scenario


class ResultsLike(Protocol):
    """A comparison as the charts and ``report.html`` read it: the scenario, the
    structures and the baseline, the ``monthly`` and ``managers`` frames, and the
    ``summary()``, ``differences()`` and ``transition()`` tables."""

    @property
    def scenario(self) -> Scenario: ...

    @property
    def structures(self) -> list[str]: ...

    @property
    def baseline(self) -> str: ...

    @property
    def seed(self) -> int: ...

    @property
    def replications(self) -> int: ...

    @property
    def monthly(self) -> pd.DataFrame: ...

    @property
    def managers(self) -> pd.DataFrame: ...

    def summary(self) -> pd.DataFrame: ...

    def differences(self) -> pd.DataFrame: ...

    def transition(self) -> pd.DataFrame: ...


class ResultsWithRuns(ResultsLike, Protocol):
    """A comparison with its per-run totals (``runs``: one row per structure and
    replication), as ``findings.md`` reads it."""

    @property
    def runs(self) -> pd.DataFrame: ...
