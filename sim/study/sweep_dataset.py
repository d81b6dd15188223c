"""A finished (or running) sweep folder opened for queries: DuckDB views over its
Parquet files, read only when a query runs, so a sweep of any size is never loaded
whole. ``sim.open_sweep`` and ``sim.Sweep``; the folder's layout is described in
:mod:`sim.study.sweeps`, which writes it.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import pandas as pd

from sim.config.scenario import Scenario, load_scenario
from sim.study.sweep_design import SweepError, point_scenario


class Sweep:
    """A sweep folder opened for queries: DuckDB views ``runs``, ``monthly`` and
    ``design`` over its Parquet files, read only when a query runs (points finished
    later are seen by the next query)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        marker = self.path / "study.json"
        if not marker.exists():
            raise SweepError(f"{self.path}: not a sweep folder (no study.json)")
        self.study: dict = read_sweep_json(marker, STUDY_KEYS)
        self.problem: dict = read_sweep_json(self.path / "problem.json", PROBLEM_KEYS)
        self.meta: dict = {}

    @property
    def parameters(self) -> list[str]:
        """The varied parameters (dotted paths), in design order."""
        return list(self.problem["names"])

    @cached_property
    def design(self) -> pd.DataFrame:
        """One row per design point (index ``point``), one column per parameter."""
        path = self.path / "design.parquet"
        try:
            design = pd.read_parquet(path)
        except (OSError, ValueError) as err:
            raise damaged(path, err) from None
        missing = [c for c in ["point", *self.parameters] if c not in design.columns]
        if missing:
            raise damaged(path, f"no column {missing[0]!r}")
        return design.set_index("point")

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

    def check_parts(self, table: str = "runs") -> None:
        """Every finished point's file of ``table`` is readable Parquet, or a
        SweepError naming the first one that is not."""
        import pyarrow.parquet as pq

        for path in sorted((self.path / table).glob("point=*/part.parquet")):
            try:
                pq.read_metadata(path)
            except (OSError, ValueError) as err:
                raise damaged(path, err) from None

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


#: What study.json and problem.json must hold.
STUDY_KEYS = ("design", "points", "replications", "structures", "seed")
PROBLEM_KEYS = ("num_vars", "names", "bounds", "dists")


def damaged(path: Path, why: object) -> SweepError:
    """The error for a sweep folder's file that cannot be read as written."""
    return SweepError(f"{path}: damaged or not written by salesim sweep ({why}); run the "
                      "sweep again into a new folder, or --resume it if it was interrupted")


def read_sweep_json(path: Path, keys: tuple[str, ...]) -> dict:
    """A sweep folder's JSON file holding ``keys``, or a SweepError naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise damaged(path, "missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise damaged(path, err) from None
    if not isinstance(data, dict):
        raise damaged(path, f"expected an object, got {type(data).__name__}")
    absent = [k for k in keys if k not in data]
    if absent:
        raise damaged(path, f"no {absent[0]!r}")
    return data


def open_sweep(path: str | Path) -> Sweep:
    """Open a sweep folder for queries without loading it.

    >>> sw = open_sweep("results/default-sweep")                  # doctest: +SKIP
    >>> sw.sql("select structure, avg(contribution) from runs group by 1").df()  # doctest: +SKIP
    """
    return Sweep(path)
