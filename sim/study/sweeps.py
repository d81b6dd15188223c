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
    problem.json                     the SALib problem: names, bounds, distributions
    design.parquet                   one row per design point: ``point`` and its values
    runs/point=<k>/part.parquet      one row per replication x structure: the run
                                     totals (sim.study.measures.run_measures) and the point's
                                     parameter values
    monthly/point=<k>/part.parquet   one row per replication x structure x month
    manifest.json                    versions, wall time, failures (when a run ends)

:func:`open_sweep` reads it with DuckDB without loading it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario, ScenarioError, load_scenario
from sim.config.uncertainties import assignments, salib_problem
from sim.study.executors import open_executor, run_serially
from sim.study.experiment import run_replication, structure_list
from sim.study.measures import run_measures

DESIGNS = ("lhs", "sobol", "morris", "grid")
#: What ``points`` counts under each design.
POINTS_MEAN = {
    "lhs": "design points",
    "sobol": "base samples N (the design has N x (parameters + 2) points)",
    "morris": "trajectories (the design has trajectories x (parameters + 1) points)",
    "grid": "levels per parameter (the design has levels ^ parameters points)",
}
MORRIS_LEVELS = 4  # SALib's default grid of the Morris design
MAX_POINTS = 100_000  # a larger study is several sweeps
IN_FLIGHT = 256  # design points submitted at once: the parent's memory stays flat
SWEEP_PACKAGES = ("SALib", "duckdb", "ema-workbench")

Progress = Callable[[int, int], None]


class SweepError(ValueError):
    """A sweep that cannot run as asked; the message names the option, the value and
    what is allowed."""


def design_size(design: str, points: int, parameters: int) -> int:
    """Number of design points ``design`` makes from ``points`` over ``parameters``."""
    return {"lhs": points, "sobol": points * (parameters + 2),
            "morris": points * (parameters + 1), "grid": points ** parameters}[design]


def _check_design(design: str, points: int, parameters: int) -> None:
    if design not in DESIGNS:
        raise SweepError(f"design: got {design!r}; allowed: {', '.join(DESIGNS)}")
    if parameters == 0:
        raise SweepError("the scenario has no uncertainties: add an `uncertainties:` section "
                         "naming the parameters to vary")
    if points < 2:
        raise SweepError(f"points: got {points}; {design} needs at least 2 "
                         f"{POINTS_MEAN[design].split(' (')[0]}")
    if design == "sobol" and points & (points - 1):
        low = 1 << (points.bit_length() - 1)
        raise SweepError(f"points: got {points}; the Sobol' sequence needs a power of 2 "
                         f"base samples, such as {low} or {2 * low}")
    n = design_size(design, points, parameters)
    if n > MAX_POINTS:
        raise SweepError(f"points: {design} with {points} over {parameters} parameters "
                         f"makes {n:,} design points, more than {MAX_POINTS:,}; use fewer "
                         "points or parameters, or split the study")


def make_design(scenario: Scenario, design: str = "morris", points: int = 10,
                seed: int | None = None) -> pd.DataFrame:
    """The design as a frame: one row per design point (index ``point``), one column per
    uncertainty. SALib's samplers draw it (Morris trajectories on a 4-level grid,
    Saltelli's scheme on a scrambled Sobol' sequence without second order, Latin
    hypercube); ``grid`` takes the centres of ``points`` equal-probability cells per
    parameter, scaled through each distribution as SALib scales its samples."""
    seed = scenario.experiment.seed if seed is None else int(seed)
    problem = salib_problem(scenario.uncertainties)
    k = problem["num_vars"]
    _check_design(design, points, k)
    if design == "morris":
        from SALib.sample import morris

        x = morris.sample(problem, points, num_levels=MORRIS_LEVELS, seed=seed)
    elif design == "sobol":
        from SALib.sample import sobol

        x = sobol.sample(problem, points, calc_second_order=False, seed=seed)
    elif design == "lhs":
        from SALib.sample import latin

        x = latin.sample(problem, points, seed=seed)
    else:
        from SALib.util import scale_samples

        centres = (np.arange(points) + 0.5) / points
        unit = np.stack(np.meshgrid(*[centres] * k, indexing="ij"), axis=-1).reshape(-1, k)
        x = scale_samples(unit, problem)
    frame = pd.DataFrame(np.asarray(x, dtype=float), columns=problem["names"])
    frame.index.name = "point"
    return frame


def point_scenario(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario of one design point: the base with the point's values set."""
    return scenario.with_overrides(assignments(scenario, values))


def _check_points(scenario: Scenario, design: pd.DataFrame) -> None:
    """Every design point must be a valid scenario (ranges can clash across fields)."""
    for point, row in design.iterrows():
        values = row.to_dict()
        try:
            point_scenario(scenario, values)
        except ScenarioError as err:
            shown = ", ".join(f"{k}={v:g}" for k, v in values.items())
            raise SweepError(f"design point {point} ({shown}) is not a valid scenario: "
                             f"{'; '.join(err.problems)}; narrow the ranges in "
                             "uncertainties") from None


def study_key(scenario: Scenario, design: str, points: int, replications: int,
              structures: list[str], seed: int) -> dict:
    """What identifies a sweep's results; a resume must match it."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return {"scenario_sha256": hashlib.sha256(text.encode()).hexdigest(), "design": design,
            "points": int(points), "replications": int(replications),
            "structures": list(structures), "seed": int(seed),
            "salib": metadata.version("SALib")}


def part_path(folder: str | Path, table: str, point: int) -> Path:
    """Where a design point's file of ``table`` (``runs`` or ``monthly``) lives."""
    return Path(folder) / table / f"point={point:06d}" / "part.parquet"


def _write(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # hidden: no reader sees it
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


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
    for name, value in task.values.items():
        runs[name] = float(value)
    _write(monthly, part_path(task.folder, "monthly", task.point))
    _write(runs, part_path(task.folder, "runs", task.point))
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
             baseline: str) -> None:
    """Write the sweep's description into a new folder, or check that an existing one
    holds this very sweep (then its finished points are kept)."""
    marker = folder / "study.json"
    if marker.exists():
        known = json.loads(marker.read_text())
        known.pop("baseline", None)
        if known != key:
            changed = sorted(k for k in key if known.get(k) != key[k])
            raise SweepError(f"{folder} holds another sweep (different {', '.join(changed)}); "
                             "remove it or choose another folder")
        return
    if folder.exists() and any(folder.iterdir()):
        raise SweepError(f"{folder} exists and is not a sweep folder; choose another")
    folder.mkdir(parents=True, exist_ok=True)
    _write_text(folder / "scenario.yaml", scenario.to_yaml())
    problem = salib_problem(scenario.uncertainties)
    _write_text(folder / "problem.json", json.dumps(problem, indent=2))
    _write(design.reset_index(), folder / "design.parquet")
    _write_text(marker, json.dumps({**key, "baseline": baseline}, indent=2))


def sweep(scenario: Scenario, design: str = "morris", points: int = 10,
          replications: int = 3, structures: list[str] | None = None,
          seed: int | None = None, out: str | Path | None = None,
          executor: str | Executor | None = "processes", workers: int | None = None,
          scheduler: str | None = None, progress: Progress | None = None) -> Sweep:
    """Run a design over the scenario's uncertainties and write it to ``out``.

    ``design``: ``morris``, ``sobol``, ``lhs`` or ``grid``; ``points`` counts what the
    design counts (:data:`POINTS_MEAN`). Every point runs ``replications`` replications
    of every structure (default: the scenario's ``experiment.structures``) on common
    random numbers from ``seed`` (default: the scenario's), which also seeds the design.
    ``executor``, ``workers``, ``scheduler``: as for :func:`sim.compare`; the files are
    the same under each. If ``out`` already holds this sweep, only the missing points
    run (resume). Returns the folder opened with :func:`open_sweep`; ``meta`` holds
    failures (points reported with their values; the others are kept) and wall time."""
    if out is None:
        raise SweepError("out: name the folder the sweep is written to")
    names = structure_list(scenario, structures, SweepError)
    if int(replications) < 1:
        raise SweepError(f"replications: got {replications}; must be at least 1")
    seed = scenario.experiment.seed if seed is None else int(seed)
    frame = make_design(scenario, design, int(points), seed)
    _check_points(scenario, frame)
    folder = Path(out).resolve()
    baseline = (scenario.experiment.baseline if scenario.experiment.baseline in names
                else names[0])
    _prepare(folder, study_key(scenario, design, points, replications, names, seed),
             scenario, frame, baseline)
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
    _write_text(folder / "manifest.json", json.dumps(meta, indent=2, default=float))
    result = Sweep(folder)
    result.meta = meta
    return result


def _versions() -> dict[str, str]:
    from sim.study.output import package_versions

    return package_versions(tuple(SWEEP_PACKAGES))


class Sweep:
    """A sweep folder opened for queries: DuckDB views ``runs``, ``monthly`` and
    ``design`` over its Parquet files, read only when a query runs (points finished
    later are seen by the next query)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        marker = self.path / "study.json"
        if not marker.exists():
            raise SweepError(f"{self.path}: not a sweep folder (no study.json)")
        self.study: dict = json.loads(marker.read_text())
        self.problem: dict = json.loads((self.path / "problem.json").read_text())
        self.meta: dict = {}

    @property
    def parameters(self) -> list[str]:
        """The varied parameters (dotted paths), in design order."""
        return list(self.problem["names"])

    @cached_property
    def design(self) -> pd.DataFrame:
        """One row per design point (index ``point``), one column per parameter."""
        return pd.read_parquet(self.path / "design.parquet").set_index("point")

    @cached_property
    def scenario(self) -> Scenario:
        """The base scenario, with its uncertainties."""
        return load_scenario(self.path / "scenario.yaml")

    def scenario_at(self, point: int) -> Scenario:
        """The scenario a design point ran, to rerun it in full with :func:`sim.compare`."""
        return point_scenario(self.scenario, self.design.loc[point].to_dict())

    def done(self) -> list[int]:
        """Design points whose results are written."""
        return sorted(int(p.parent.name.split("=")[1])
                      for p in (self.path / "runs").glob("point=*/part.parquet"))

    def missing(self) -> list[int]:
        """Design points without results (not run yet, interrupted or failed)."""
        done = set(self.done())
        return [int(p) for p in self.design.index if p not in done]

    @cached_property
    def connection(self):
        """A DuckDB connection with the views ``runs``, ``monthly`` and ``design``."""
        import duckdb

        con = duckdb.connect()
        con.execute(f"create view design as select * from read_parquet('{self._root}/"
                    "design.parquet')")
        return con

    @property
    def _root(self) -> str:
        return str(self.path.resolve()).replace("'", "''")

    def sql(self, query: str):
        """A lazy DuckDB relation for ``query`` over the views ``runs``, ``monthly``
        and ``design``; ``.df()`` gives a pandas frame, ``.fetchall()`` tuples."""
        con = self.connection
        if not getattr(self, "_views", False) and ("runs" in query or "monthly" in query):
            if not self.done():
                raise SweepError(f"{self.path}: no design point has finished yet")
            for table in ("runs", "monthly"):
                con.execute(f"create view {table} as select * from read_parquet("
                            f"'{self._root}/{table}/point=*/part.parquet', hive_partitioning "
                            "= true, hive_types = {'point': INTEGER})")
            self._views = True
        return con.sql(query)

    @property
    def runs(self):
        """One row per design point x replication x structure: the run totals of
        :func:`sim.study.measures.run_measures` and the point's parameter values."""
        return self.sql("select * from runs")

    @property
    def monthly(self):
        """One row per design point x replication x structure x month."""
        return self.sql("select * from monthly")

    def close(self) -> None:
        if "connection" in self.__dict__:
            self.connection.close()
            del self.__dict__["connection"]
            self._views = False

    def __enter__(self) -> Sweep:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_sweep(path: str | Path) -> Sweep:
    """Open a sweep folder for queries without loading it.

    >>> sw = open_sweep("results/default-sweep")                  # doctest: +SKIP
    >>> sw.sql("select structure, avg(contribution) from runs group by 1").df()  # doctest: +SKIP
    """
    return Sweep(path)
