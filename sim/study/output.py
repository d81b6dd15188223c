"""The study's own files of a results folder: ``summary.csv``, ``differences.csv`` (a
comparison), ``monthly.parquet``, ``managers.parquet``, ``scenario.yaml`` and
``manifest.json`` (what ran, with which seeds and package versions).

These are numbers and provenance only. The results folder as a whole (these files plus
``findings.md``, ``charts/`` and ``report.html``, written to a temporary folder and
renamed into place) is written by :func:`sim.report.folder.write_results`, the report
layer's writer, so the study never imports the report.
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from sim.model.streams import Streams

if TYPE_CHECKING:  # pragma: no cover
    from sim.study.results import Results

# Every package whose release can move a number of a run (draws, sums, intervals,
# indices, boxes, calibrated values, YAML floats) and those that shape its files;
# tests/test_golden.py checks that every package sim imports is named here.
PACKAGES = ("salesim", "simpy", "numpy", "pandas", "scipy", "SALib", "duckdb",
            "ema-workbench", "optuna", "pyarrow", "pydantic", "pyyaml", "matplotlib",
            "jinja2", "typer", "rich", "babel", "charset-normalizer", "openpyxl",
            "scikit-learn", "shiny")


def package_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Versions of Python and of the packages a run depends on (and ``extra`` ones)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES + extra:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def manifest(results: Results, command: list[str] | None) -> dict:
    return {
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command if command is not None else sys.argv,
        "scenario": results.scenario.name,
        "structures": results.structures,
        "baseline": results.baseline,
        "initial_state": results.scenario.experiment.initial_state,
        "seed": results.seed,
        "replications": results.replications,
        "replication_seeds": [
            {"replication": r, **Streams(results.seed, r).describe()}
            for r in results.meta.get("replications_run", range(results.replications))
        ],
        "wall_seconds": round(results.wall_seconds, 3),
        "failures": results.meta.get("failures", []),
        "pay_scales": results.meta.get("pay_scales"),
        "precision": results.meta.get("precision"),
        "replications_needed": results.meta.get("replications_needed"),
        "selection": results.meta.get("selection"),
        "packages": package_versions(),
        "platform": platform.platform(),
    }


def write_study_files(results: Results, folder: Path, command: list[str] | None = None
                      ) -> None:
    """Write the study's files into ``folder`` (which exists): the summary, the paired
    differences when structures are compared, the frames, the scenario and the manifest."""
    folder = Path(folder)
    results.summary().to_csv(folder / "summary.csv", index=False)
    if len(results.structures) > 1:
        results.differences().to_csv(folder / "differences.csv", index=False)
    results.monthly.to_parquet(folder / "monthly.parquet", index=False)
    results.managers.to_parquet(folder / "managers.parquet", index=False)
    (folder / "scenario.yaml").write_text(results.scenario.to_yaml(), encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps(manifest(results, command), indent=2),
                                          encoding="utf-8")
