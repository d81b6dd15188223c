"""Replications, common random numbers, executors and confidence intervals.

Replication ``r`` of a study draws every mechanism from its own stream spawned from
``(seed, r)`` (see :mod:`sim.model.streams`), so results do not depend on the executor, the
number of workers or the order replications finish in.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.scenario import DAYS_PER_MONTH, MONTHS_PER_YEAR, Scenario
from sim.model.department import Department, Snapshot
from sim.model.streams import Streams
from sim.model.structures import BASELINE, make_structure, unphasable
from sim.study.executors import default_workers, execute, open_executor
from sim.study.measures import (
    cumulative_difference,
    mean_ci,
    moss_curve,
    paired_differences,
    payback_and_dip,
    run_measures,
    summarise,
)

Progress = Callable[[int, int], None]

#: Pay parity: relative distance to the target pay per head at which the secant stops,
#: and the most pilot years it may run per structure.
PARITY_TOLERANCE = 1e-3
PARITY_PILOTS = 6


def warm_up(scenario: Scenario, seed: int, replication: int) -> Snapshot:
    """A mature department: ``warmup_years`` under the baseline structure (classic)
    from hires spread over the first year, as plain data. It draws from its own
    ``warmup/`` streams, so it is the same whichever structures follow it; nothing of
    it is reported."""
    months = max(1, round(scenario.experiment.warmup_years * MONTHS_PER_YEAR))
    dept = Department(scenario, make_structure(BASELINE, scenario),
                      Streams(seed, replication, prefix="warmup/"), months=months,
                      hire_spread_days=scenario.experiment.warmup_hire_spread_days)
    dept.env.run(until=dept.days + 1e-9)
    return dept.snapshot()


def run_replication(scenario: Scenario, structure: str | list[str], seed: int,
                    replication: int, pay_scales: dict[str, float] | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate one replication of one or more structures on common random numbers.

    Every structure of the replication starts from the same warm-up (``mature``) or
    the same fresh market, and draws each mechanism from the same named stream. After a
    warm-up, ``monthly`` starts with its last twelve months, numbered -11..0 (the same
    for every structure), so the switch can be drawn.
    ``pay_scales`` multiplies each structure's fixed pay (see :func:`pay_parity_scales`).
    Frames carry ``replication`` and ``structure`` columns."""
    scales = pay_scales or {}
    names = [structure] if isinstance(structure, str) else list(structure)
    snapshot = (warm_up(scenario, seed, replication)
                if scenario.experiment.initial_state == "mature" else None)
    monthly_parts, manager_parts = [], []
    for name in names:
        dept = Department(scenario, make_structure(name, scenario, scales.get(name, 1.0)),
                          Streams(seed, replication), snapshot=snapshot)
        monthly, managers = dept.run()
        if snapshot is not None and snapshot.history is not None:
            monthly = pd.concat([snapshot.history, monthly], ignore_index=True)
        for df in (monthly, managers):
            df.insert(0, "structure", name)
            df.insert(0, "replication", replication)
        monthly_parts.append(monthly)
        manager_parts.append(managers)
    return (pd.concat(monthly_parts, ignore_index=True),
            pd.concat(manager_parts, ignore_index=True))


def structure_list(scenario: Scenario, structures: list[str] | None,
                   error: type[ValueError] = ValueError) -> list[str]:
    """The structures a study runs (the scenario's list by default), each checked
    against those the scenario knows; ``error`` names the caller's kind of problem."""
    names = list(structures or scenario.experiment.structures)
    known = scenario.structure_names()
    for name in names:
        if name not in known:
            raise error(f"structures: unknown structure {name!r}; allowed: "
                        + ", ".join(known))
    unphased = unphasable(scenario, names)
    if unphased:
        raise error(f"reorganisation.phase_share: {scenario.reorganisation.phase_share:g} "
                    f"asks for a phased roll-out, which {unphased[0]} cannot have (it "
                    "changes the seats of workforce.managers); set phase_share to 1 or "
                    f"leave {unphased[0]} out")
    return names


def _run_task(args: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    return run_replication(*args)


def _pay_per_head(monthly: pd.DataFrame) -> float:
    heads = monthly["manager_days"].sum() / DAYS_PER_MONTH
    return float(monthly["payroll"].sum() / heads) if heads > 0 else 0.0


def pay_parity_scales(scenario: Scenario, structures: list[str], baseline: str, seed: int,
                      tolerance: float = PARITY_TOLERANCE) -> dict[str, float]:
    """Scales of each structure's fixed pay that bring its mean pay per head over its
    first year to the baseline's: over the warm-up's last year (``mature``), or the
    baseline's own first year (``fresh``).

    Solved on replication 0 by pilot years and the secant method (pay per head is
    about linear in the scale; effort and the labour market bend it a little) until
    within ``tolerance`` of the target, at most ``PARITY_PILOTS`` pilots a structure;
    the scales are then used for every replication, so they are part of the study,
    not of the noise."""
    # A year's pilot; a roll-out's second phase may lie beyond it (so no validation).
    year = scenario.model_copy(update={"experiment": scenario.experiment.model_copy(
        update={"horizon_years": 1.0})})
    snapshot = (warm_up(scenario, seed, 0)
                if scenario.experiment.initial_state == "mature" else None)

    def pilot(name: str, scale: float) -> float:
        dept = Department(year, make_structure(name, year, scale), Streams(seed, 0),
                          snapshot=snapshot)
        return _pay_per_head(dept.run()[0])

    target = snapshot.pay_per_head if snapshot is not None else pilot(baseline, 1.0)
    scales = {}
    for name in structures:
        if name == baseline:
            scales[name] = 1.0
            continue
        (s0, p0), s1 = (1.0, pilot(name, 1.0)), 2.0
        p1 = pilot(name, s1)
        if p1 == p0:  # nothing fixed to scale
            scales[name] = 1.0
            continue
        for _ in range(PARITY_PILOTS - 2):
            if abs(p1 - target) <= tolerance * target or p1 == p0 or (s1 == 0.0 and p1 > target):
                break  # close enough, flat, or above the target with no fixed pay left
            s0, p0, s1 = s1, p1, max(0.0, s1 + (target - p1) * (s1 - s0) / (p1 - p0))
            p1 = pilot(name, s1)
        scales[name] = s1
    return scales


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

    def save(self, directory: str | Path, charts: bool = True,
             command: list[str] | None = None) -> Path:
        """Write the results folder atomically (see :mod:`sim.study.output`)."""
        from sim.study.output import write_results

        return write_results(self, Path(directory), charts=charts, command=command)


def run(scenario: Scenario, structure: str | None = None, replications: int | None = None,
        seed: int | None = None, **options) -> Results:
    """Run replications of one structure; ``None`` takes the scenario's own settings.
    The options are those of :func:`compare` (executor, workers, staging, precision)."""
    return compare(scenario, [structure or scenario.experiment.structure], replications,
                   seed, **options)


#: The measures the precision rule watches, for every structure.
PRECISION_MEASURES = ("revenue", "new_clients", "contribution")


class PrecisionRule:
    """Replications needed for a relative precision: the 95 % interval half-width of
    each watched measure within ``precision`` of its mean, holding for ``look_ahead``
    more replications (the replication algorithm of Hoad, Robinson and Davies 2010)."""

    def __init__(self, precision: float, look_ahead: int = 5, minimum: int = 3,
                 confidence: float = 0.95):
        if not 0 < precision < 1:
            raise ValueError(f"precision: got {precision}; must be between 0 and 1")
        self.precision = precision
        self.look_ahead = look_ahead
        self.minimum = minimum
        self.confidence = confidence

    def holds(self, columns: list[np.ndarray], n: int) -> bool:
        """Whether the first ``n`` values of every column meet the precision."""
        for values in columns:
            mean, half, _ = mean_ci(values[:n], self.confidence)
            if math.isnan(half) or half > self.precision * abs(mean):
                return False
        return True

    def needed(self, columns: list[np.ndarray]) -> int | None:
        """The smallest n whose precision holds for n .. n + look_ahead, or None."""
        available = min(len(c) for c in columns)
        for n in range(self.minimum, available - self.look_ahead + 1):
            if all(self.holds(columns, m) for m in range(n, n + self.look_ahead + 1)):
                return n
        return None


class Staging:
    """Finished replications kept beside the output folder (``DIR.partial``) as soon as
    each one ends, so an interrupted study can resume where it stopped."""

    def __init__(self, folder: Path, study: dict):
        self.folder = Path(folder)
        self.study = study
        marker = self.folder / "study.json"
        if marker.exists():
            known = json.loads(marker.read_text())
            if known != study:
                changed = sorted(k for k in study if known.get(k) != study[k])
                raise StagingMismatch(
                    f"{self.folder} holds replications of another study (different "
                    f"{', '.join(changed)}); remove it or use another --out")
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            _atomic_write(marker, json.dumps(study, indent=2))

    def _paths(self, r: int) -> tuple[Path, Path]:
        return (self.folder / f"replication-{r:05d}-monthly.parquet",
                self.folder / f"replication-{r:05d}-managers.parquet")

    def done(self) -> list[int]:
        return sorted(int(p.name.split("-")[1]) for p in self.folder.glob("*-managers.parquet"))

    def save(self, r: int, frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
        for path, frame in zip(self._paths(r), frames, strict=True):
            tmp = path.with_suffix(".tmp")
            frame.to_parquet(tmp, index=False)
            os.replace(tmp, path)  # the managers file last: its presence marks done

    def load(self, r: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        monthly, managers = (pd.read_parquet(p) for p in self._paths(r))
        return monthly, managers

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class StagingMismatch(ValueError):
    """The staging folder belongs to a different study."""


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def study_key(scenario: Scenario, structures: list[str], seed: int) -> dict:
    """What identifies a study's replications: the scenario, the structures, the seed."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return {"scenario_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "structures": list(structures), "seed": int(seed)}


def compare(scenario: Scenario, structures: list[str] | None = None,
            replications: int | None = None, seed: int | None = None,
            baseline: str | None = None, workers: int | None = None,
            executor: str | Executor | None = None, scheduler: str | None = None,
            progress: Progress | None = None, staging: str | Path | None = None,
            precision: float | None = None, max_replications: int = 1000) -> Results:
    """Run several structures on common random numbers: replication ``r`` of every
    structure sees the same market, the same warm-up and the same draws by mechanism.

    ``executor``: ``"serial"``, ``"processes"`` (default; ``workers`` cores, all by
    default), ``"dask"`` (the cluster at ``scheduler``, or a local one) or any
    ``concurrent.futures.Executor``; the numbers are the same under each.
    ``staging``: a folder where each finished replication is kept at once; replications
    already there are not run again (resume). ``precision``: keep adding replications
    until the 95 % half-width of revenue, new clients and contribution is within that
    fraction of the mean for every structure (at most ``max_replications``).
    A failed replication is reported in ``Results.failures`` with its seed."""
    names = structure_list(scenario, structures)
    baseline = baseline or (scenario.experiment.baseline
                            if scenario.experiment.baseline in names else names[0])
    if baseline not in names:
        raise ValueError(f"baseline: {baseline!r} is not among the structures compared "
                         f"({', '.join(names)})")
    n = scenario.experiment.replications if replications is None else int(replications)
    if n < 1:
        raise ValueError(f"replications: got {n}; must be at least 1")
    seed = scenario.experiment.seed if seed is None else int(seed)
    stage = Staging(Path(staging), study_key(scenario, names, seed)) if staging else None
    scales = (pay_parity_scales(scenario, names, baseline, seed)
              if scenario.experiment.pay_parity else None)
    rule = PrecisionRule(precision) if precision is not None else None
    start = time.perf_counter()
    outputs: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}
    failures: list[dict] = []
    if stage is not None:
        for r in stage.done():
            if rule is not None or r < n:
                outputs[r] = stage.load(r)
    target = n if rule is None else max(rule.minimum + rule.look_ahead, 1)
    needed: int | None = None

    def on_done(r: int, frames) -> None:
        outputs[r] = frames
        if stage is not None:
            stage.save(r, frames)
        if progress:
            progress(len(outputs), target)

    def on_error(r: int, exc: BaseException) -> None:
        failures.append({"replication": r, "seed": seed, "spawn_key": [r, "crc32(name)"],
                         "error": f"{type(exc).__name__}: {exc}"})

    with open_executor(executor, workers, scheduler) as pool:
        batch = max(1, workers or default_workers())
        while True:
            failed = {f["replication"] for f in failures}
            todo = [r for r in range(target) if r not in outputs and r not in failed]
            if todo:
                execute(_run_task, {r: (scenario, names, seed, r, scales) for r in todo},
                        pool, on_done, on_error)
            if rule is None:
                break
            needed = rule.needed(_precision_columns(outputs, names))
            if needed is not None or target >= max_replications or failures:
                break
            target = min(max_replications, target + batch)
    if not outputs:
        raise RuntimeError("every replication failed: " + "; ".join(
            f"replication {f['replication']}: {f['error']}" for f in failures))
    done = sorted(outputs)
    monthly = pd.concat([outputs[r][0] for r in done], ignore_index=True)
    managers = pd.concat([outputs[r][1] for r in done], ignore_index=True)
    return Results(scenario=scenario, monthly=monthly, managers=managers, seed=seed,
                   replications=len(done), structures=names, baseline=baseline,
                   wall_seconds=time.perf_counter() - start,
                   meta={"failures": failures, "replications_run": done,
                         "precision": precision, "replications_needed": needed,
                         "pay_scales": scales})


def _precision_columns(outputs: dict, names: list[str]) -> list[np.ndarray]:
    """Each watched measure of each structure, by replication, in replication order
    (only the unbroken run of replications from 0 counts)."""
    done = []
    for r in range(len(outputs)):
        if r not in outputs:
            break
        done.append(r)
    if not done:
        return [np.array([])]
    monthly = pd.concat([outputs[r][0] for r in done], ignore_index=True)
    monthly = monthly[monthly["month"] > 0]  # the horizon, not the warm-up's last year
    runs = monthly.groupby(["structure", "replication"])[
        ["revenue_new", "revenue_repeat", "new_clients_outbound", "new_clients_inbound",
         "new_clients_referral", "new_clients_marketing", "contribution"]].sum()
    runs["revenue"] = runs["revenue_new"] + runs["revenue_repeat"]
    runs["new_clients"] = runs[[c for c in runs.columns if c.startswith("new_clients_")]].sum(
        axis=1)
    return [runs.loc[name, m].sort_index().to_numpy() for name in names
            for m in PRECISION_MEASURES]
