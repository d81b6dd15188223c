"""A results folder of ``salesim compare`` read back from its files, with the interface
of a finished study that the charts and the report use, and the error that says why a
folder cannot be read. The report is always written from the folder, so ``salesim
compare`` and ``salesim report DIR`` give the same file; the folder is written by
:mod:`sim.study.output`.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import pandas as pd

from sim.config.scenario import Scenario, load_scenario
from sim.study.measures import cumulative_difference


class ReportError(ValueError):
    """A folder the report cannot be written from; the message says why."""


class ResultsFolder:
    """A results folder of ``salesim compare`` read back, with the interface of a
    finished study that the charts and the report use
    (:class:`sim.report.results_like.ResultsLike`): ``scenario``, ``structures``,
    ``baseline``, ``monthly``, ``managers``, ``summary()``, ``differences()`` and
    ``transition()``."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise ReportError(f"{self.folder}: no such results folder")
        if (self.folder / "study.json").exists() and not (self.folder / "summary.csv").exists():
            raise ReportError(f"{self.folder} holds a sweep, not a comparison: its sensitivity "
                              f"analysis is in {self.folder / 'sensitivity' / 'findings.md'}; "
                              "report.html is written from a folder of salesim compare")
        needed = ("summary.csv", "differences.csv", "monthly.parquet", "managers.parquet",
                  "scenario.yaml", "manifest.json")
        missing = [name for name in needed if not (self.folder / name).exists()]
        if missing:
            hint = (" (a folder of salesim run has one structure: compare two or more)"
                    if missing == ["differences.csv"] else "")
            raise ReportError(f"{self.folder}: not a results folder of salesim compare; "
                              f"missing {', '.join(missing)}{hint}")
        self.manifest = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        self.scenario: Scenario = load_scenario(self.folder / "scenario.yaml")
        self.structures: list[str] = list(self.manifest["structures"])
        self.baseline: str = self.manifest["baseline"]
        self.seed: int = int(self.manifest["seed"])
        self.replications: int = int(self.manifest["replications"])

    @cached_property
    def monthly(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "monthly.parquet")

    @cached_property
    def managers(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "managers.parquet")

    @cached_property
    def _summary(self) -> pd.DataFrame:
        return pd.read_csv(self.folder / "summary.csv")

    @cached_property
    def _differences(self) -> pd.DataFrame:
        return pd.read_csv(self.folder / "differences.csv")

    def summary(self) -> pd.DataFrame:
        return self._summary

    def differences(self) -> pd.DataFrame:
        return self._differences

    def transition(self) -> pd.DataFrame:
        return cumulative_difference(self.monthly, self.baseline)
