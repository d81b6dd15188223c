"""The results folder, written to a temporary folder beside it and renamed into place,
so a failed or interrupted run leaves nothing half-written at the destination."""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from sim.model.streams import Streams

if TYPE_CHECKING:  # pragma: no cover
    from sim.study.experiment import Results

# Every package whose release can move a number of a run (draws, sums, intervals,
# indices, boxes, calibrated values, YAML floats) and those that shape its files;
# tests/test_golden.py checks that every package sim imports is named here.
PACKAGES = ("salesim", "simpy", "numpy", "pandas", "scipy", "SALib", "duckdb",
            "ema-workbench", "optuna", "pyarrow", "pydantic", "pyyaml", "matplotlib",
            "jinja2", "typer", "rich")


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
        "packages": package_versions(),
        "platform": platform.platform(),
    }


def write_results(results: Results, out: Path, charts: bool = True,
                  command: list[str] | None = None) -> Path:
    """Write every output file into ``out``; ``out`` must not exist yet."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"output folder {out} already exists; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        results.summary().to_csv(tmp / "summary.csv", index=False)
        compared = len(results.structures) > 1
        if compared:
            from sim.report.findings import findings_markdown

            results.differences().to_csv(tmp / "differences.csv", index=False)
            (tmp / "findings.md").write_text(findings_markdown(results), encoding="utf-8")
        results.monthly.to_parquet(tmp / "monthly.parquet", index=False)
        results.managers.to_parquet(tmp / "managers.parquet", index=False)
        (tmp / "scenario.yaml").write_text(results.scenario.to_yaml(), encoding="utf-8")
        (tmp / "manifest.json").write_text(json.dumps(manifest(results, command), indent=2),
                                           encoding="utf-8")
        if charts:
            from sim.report.charts import comparison_charts, numbers_for, standard_charts

            if compared:
                # The PNG set and report.html are drawn from the folder's own files, as
                # `salesim report DIR` draws them: the two give the same report.
                from sim.report.html import write_report
                from sim.report.results_folder import ResultsFolder

                written, svg = ResultsFolder(tmp), {}
                comparison_charts(written, tmp / "charts", svg=svg)
                write_report(written, svg=svg)
            else:
                standard_charts(results.monthly, results.managers, tmp / "charts",
                                numbers_for(results.scenario),
                                results.scenario.experiment.initial_state == "fresh")
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
