"""Sweeps: a design over the scenario's uncertainties, every design point run with the
same replications of the same structures, the results streamed to disk.

Common random numbers: every design point runs replications ``0 .. R-1`` from the same
root seed, so replication ``r`` meets the same draws, mechanism by mechanism, at every
point and under every structure; points and structures are compared pairwise.

One task is one design point with all its replications and structures. The worker that
runs it writes the point's Parquet files itself and hands back only a count, so nothing
of the results accumulates in the parent. A point is done once its ``runs`` file
exists: an interrupted sweep resumes by design-point key and gives the same files.

A sweep folder::

    study.json                       what identifies the sweep (a resume checks it)
    scenario.yaml                    the base scenario, with its uncertainties
    problem.json                     the SALib problem: names, bounds, distributions,
                                     groups (a grouped design), parameter_groups
    design.parquet                   one row per design point: ``point`` and its values
    runs/point=<k>/part.parquet      one row per replication x structure: the run
                                     totals (sim.study.measures.run_measures) and the point's
                                     parameter values
    monthly/point=<k>/part.parquet   one row per replication x structure x month
    manifest.json                    versions, wall time, failures (when a run ends)

:func:`sim.study.sweep_dataset.open_sweep` reads it with DuckDB without loading it;
the design comes from :mod:`sim.study.sweep_design`.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.config.scenario import Scenario
from sim.config.uncertainties import group_of, salib_problem
from sim.study.executors import open_executor, run_serially
from sim.study.experiment import structure_list
from sim.study.measures import run_measures
from sim.study.output import package_versions
from sim.study.replication import run_replication
from sim.study.staging import atomic_parquet, atomic_text, sweep_key
from sim.study.sweep_dataset import Sweep, read_sweep_json
from sim.study.sweep_design import SweepError, check_points, make_design, point_scenario

IN_FLIGHT = 256  # design points submitted at once: the parent's memory stays flat
SWEEP_PACKAGES = ("SALib", "duckdb", "ema-workbench")

Progress = Callable[[int, int], None]


def part_path(folder: str | Path, table: str, point: int) -> Path:
    """Where a design point's file of ``table`` (``runs`` or ``monthly``) lives."""
    return Path(folder) / table / f"point={point:06d}" / "part.parquet"


@dataclass(frozen=True)
class PointTask:
    """One design point: everything a worker needs to run and write it."""

    folder: str
    point: int
    scenario: Scenario
    values: dict[str, float]
    structures: tuple[str, ...]
    seed: int
    replications: int


def run_point(task: PointTask) -> dict[str, float]:
    """Run every replication of every structure at one design point and write the
    point's files (``monthly`` first, then ``runs``, whose presence marks it done).
    Returns only the point and its wall time."""
    start = time.perf_counter()
    scenario = point_scenario(task.scenario, task.values)
    frames = [run_replication(scenario, list(task.structures), task.seed, r)
              for r in range(task.replications)]
    monthly = pd.concat([f[0] for f in frames], ignore_index=True)
    runs = run_measures(monthly, pd.concat([f[1] for f in frames], ignore_index=True))
    # the point's values as columns, joined at once (one insert per column fragments
    # the frame, and a screening of every assumption has over a hundred)
    values = pd.DataFrame({n: float(v) for n, v in task.values.items()}, index=runs.index)
    runs = pd.concat([runs, values], axis=1)
    atomic_parquet(monthly, part_path(task.folder, "monthly", task.point))
    atomic_parquet(runs, part_path(task.folder, "runs", task.point))
    return {"point": task.point, "seconds": time.perf_counter() - start}


def _execute(fn: Callable[[Any], Any], tasks: Iterator[tuple[int, Any]],
             pool: Executor | None, on_done: Callable[[int, Any], None],
             on_error: Callable[[int, BaseException], None], window: int = IN_FLIGHT) -> None:
    """Like :func:`sim.study.executors.execute`, with at most ``window`` tasks submitted at
    a time, drawn from an iterator: the parent holds a bounded number of tasks."""
    if pool is None:
        run_serially(fn, tasks, on_done, on_error)
        return
    pending: dict[Any, int] = {}

    def fill() -> None:
        while len(pending) < window:
            item = next(tasks, None)
            if item is None:
                return
            pending[pool.submit(fn, item[1])] = item[0]

    fill()
    while pending:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for fut in finished:
            key = pending.pop(fut)
            exc = fut.exception()
            if exc is not None:
                on_error(key, exc)
            else:
                on_done(key, fut.result())
        fill()


def _prepare(folder: Path, key: dict, scenario: Scenario, design: pd.DataFrame,
             baseline: str, by_group: bool = False) -> None:
    """Write the sweep's description into a new folder, or check that an existing one
    holds this very sweep (then its finished points are kept)."""
    marker = folder / "study.json"
    if marker.exists():
        known = read_sweep_json(marker, ())
        known.pop("baseline", None)
        if known != key:
            changed = sorted(k for k in key if known.get(k) != key[k])
            raise SweepError(f"{folder} holds another sweep (different {', '.join(changed)}); "
                             "remove it or choose another folder")
        return
    if folder.exists() and any(folder.iterdir()):
        raise SweepError(f"{folder} exists and is not a sweep folder; choose another")
    folder.mkdir(parents=True, exist_ok=True)
    atomic_text(folder / "scenario.yaml", scenario.to_yaml())
    problem = salib_problem(scenario.uncertainties, by_group=by_group)
    problem["parameter_groups"] = [group_of(p, u) for p, u in scenario.uncertainties.items()]
    atomic_text(folder / "problem.json", json.dumps(problem, indent=2))
    atomic_parquet(design.reset_index(), folder / "design.parquet")
    atomic_text(marker, json.dumps({**key, "baseline": baseline}, indent=2))


def sweep(scenario: Scenario, design: str = "morris", points: int = 10,
          replications: int = 3, structures: list[str] | None = None,
          seed: int | None = None, out: str | Path | None = None,
          executor: str | Executor | None = "processes", workers: int | None = None,
          scheduler: str | None = None, progress: Progress | None = None,
          by_group: bool = False) -> Sweep:
    """Run a design over the scenario's uncertainties and write it to ``out``.

    ``design``: ``morris``, ``sobol``, ``lhs`` or ``grid``; ``points`` counts what the
    design counts (:data:`POINTS_MEAN`). Every point runs ``replications`` replications
    of every structure (default: the scenario's ``experiment.structures``) on common
    random numbers from ``seed`` (default: the scenario's), which also seeds the design.
    ``executor``, ``workers``, ``scheduler``: as for :func:`sim.compare`; the files are
    the same under each. If ``out`` already holds this sweep, only the missing points
    run (resume). ``by_group`` (morris, sobol): move and score each group of
    uncertainties together (:func:`sim.config.uncertainties.group_of`). Returns the
    folder opened with :func:`open_sweep`; ``meta`` holds failures (points reported
    with their values; the others are kept) and wall time."""
    if out is None:
        raise SweepError("out: name the folder the sweep is written to")
    names = structure_list(scenario, structures, SweepError)
    if int(replications) < 1:
        raise SweepError(f"replications: got {replications}; must be at least 1")
    seed = scenario.experiment.seed if seed is None else int(seed)
    frame = make_design(scenario, design, int(points), seed, by_group)
    check_points(scenario, frame)
    folder = Path(out).resolve()
    baseline = (scenario.experiment.baseline if scenario.experiment.baseline in names
                else names[0])
    key = sweep_key(scenario, design, points, replications, names, seed)
    if by_group:
        key["by_group"] = True  # absent otherwise: earlier sweeps keep their key
    _prepare(folder, key, scenario, frame, baseline, by_group)
    todo = [int(p) for p in frame.index if not part_path(folder, "runs", p).exists()]
    total, done = len(frame), len(frame) - len(todo)
    failures: list[dict] = []
    tasks = ((p, PointTask(str(folder), p, scenario, frame.loc[p].to_dict(), tuple(names),
                           seed, int(replications))) for p in todo)

    def on_done(point: int, _result: Any) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    def on_error(point: int, exc: BaseException) -> None:
        failures.append({"point": point, "values": frame.loc[point].to_dict(),
                         "error": f"{type(exc).__name__}: {exc}"})

    start = time.perf_counter()
    with open_executor(executor, workers, scheduler) as pool:
        _execute(run_point, tasks, pool, on_done, on_error)
    meta = {"created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": sys.argv, "wall_seconds": round(time.perf_counter() - start, 3),
            "points": total, "points_run": len(todo) - len(failures), "failures": failures,
            "executor": executor if isinstance(executor, str) else type(executor).__name__,
            "workers": workers, "packages": _versions()}
    atomic_text(folder / "manifest.json", json.dumps(meta, indent=2, default=float))
    result = Sweep(folder)
    result.meta = meta
    return result


def _versions() -> dict[str, str]:
    return package_versions(tuple(SWEEP_PACKAGES))
