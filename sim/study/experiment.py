"""Studies: several structures compared on common random numbers, replications
scheduled on an executor, resumed from staging and extended until a precision holds.

Replication ``r`` of a study draws every mechanism from its own stream spawned from
``(seed, r)`` (see :mod:`sim.model.streams`), so results do not depend on the executor, the
number of workers or the order replications finish in. The parts live beside this
module: one replication (:mod:`sim.study.replication`), pay parity
(:mod:`sim.study.parity`), the precision rule (:mod:`sim.study.precision`), staging
(:mod:`sim.study.staging`) and the :class:`~sim.study.results.Results` it returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario
from sim.model.structures import unphasable
from sim.study.executors import default_workers, execute, open_executor
from sim.study.parity import pay_parity_scales
from sim.study.precision import PrecisionRule, precision_columns
from sim.study.replication import run_replication
from sim.study.results import Results
from sim.study.selection import Selection, SelectionRule, screen
from sim.study.staging import Staging, study_key

Progress = Callable[[int, int], None]


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


def run(scenario: Scenario, structure: str | None = None, replications: int | None = None,
        seed: int | None = None, **options) -> Results:
    """Run replications of one structure; ``None`` takes the scenario's own settings.
    The options are those of :func:`compare` (executor, workers, staging, precision)."""
    return compare(scenario, [structure or scenario.experiment.structure], replications,
                   seed, **options)


def compare(scenario: Scenario, structures: list[str] | None = None,
            replications: int | None = None, seed: int | None = None,
            baseline: str | None = None, workers: int | None = None,
            executor: str | Executor | None = None, scheduler: str | None = None,
            progress: Progress | None = None, staging: str | Path | None = None,
            precision: float | None = None, max_replications: int = 1000,
            select: SelectionRule | None = None) -> Results:
    """Run several structures on common random numbers: replication ``r`` of every
    structure sees the same market, the same warm-up and the same draws by mechanism.

    ``executor``: ``"serial"``, ``"processes"`` (default; ``workers`` cores, all by
    default), ``"dask"`` (the cluster at ``scheduler``, or a local one) or any
    ``concurrent.futures.Executor``; the numbers are the same under each.
    ``staging``: a folder where each finished replication is kept at once; replications
    already there are not run again (resume). ``precision``: keep adding replications
    until the 95 % half-width of revenue, new clients and contribution is within that
    fraction of the mean for every structure (at most ``max_replications``).
    ``select``: instead of a fixed count, replicate until the procedure of Kim and
    Nelson (2001) selects the structure with the highest contribution
    (:mod:`sim.study.selection`); a structure that falls clearly behind is no longer
    replicated, so structures end with different replication counts
    (``Results.meta["selection"]``).
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
    key = study_key(scenario, names, seed)
    if select is not None:  # its replications hold only the structures still in contention
        key["selection"] = {"delta": select.delta, "share": select.share,
                            "confidence": select.confidence,
                            "first_stage": select.first_stage}
    stage = Staging(Path(staging), key) if staging else None
    scales = (pay_parity_scales(scenario, names, baseline, seed)
              if scenario.experiment.pay_parity else None)
    if select is not None and precision is not None:
        raise ValueError("select and precision: choose one way to decide the replications")
    rule = PrecisionRule(precision) if precision is not None else None
    start = time.perf_counter()
    outputs: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}
    failures: list[dict] = []
    if select is not None:
        return _compare_selecting(scenario, names, baseline, seed, select, stage, scales,
                                  workers, executor, scheduler, progress,
                                  max_replications, start)
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
            needed = rule.needed(precision_columns(outputs, names))
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


def _compare_selecting(scenario: Scenario, names: list[str], baseline: str, seed: int,
                       select: SelectionRule, stage: Staging | None,
                       scales: dict[str, float] | None, workers: int | None,
                       executor: str | Executor | None, scheduler: str | None,
                       progress: Progress | None, limit: int, start: float) -> Results:
    """:func:`compare` under the selection procedure: replications of the structures
    still in contention, a batch of one per worker at a time, until one is selected.
    The procedure is replayed on everything run so far, and each structure keeps the
    replications it used, so the numbers do not depend on the batching."""
    outputs: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}
    failures: list[dict] = []
    if stage is not None:
        for r in stage.done():
            outputs[r] = stage.load(r)
    made: dict[str, int] = {}

    def have(r: int) -> set[str]:
        return set(outputs[r][0]["structure"].unique()) if r in outputs else set()

    def on_done(r: int, frames) -> None:
        for name in frames[0]["structure"].unique():
            made[name] = made.get(name, 0) + 1
        if r in outputs:
            frames = tuple(pd.concat([a, b], ignore_index=True)
                           for a, b in zip(outputs[r], frames, strict=True))
        outputs[r] = frames
        if stage is not None:
            stage.save(r, frames)

    def on_error(r: int, exc: BaseException) -> None:
        failures.append({"replication": r, "seed": seed, "spawn_key": [r, "crc32(name)"],
                         "error": f"{type(exc).__name__}: {exc}"})

    batch = max(1, workers or default_workers())
    with open_executor(executor, workers, scheduler) as pool:
        rule = select
        while True:
            samples = _contributions(outputs, names)
            if rule.share and all(len(samples[s]) >= rule.first_stage for s in names):
                rule = select.absolute(float(np.mean(samples[baseline][:rule.first_stage])))
            state = screen(rule, samples, limit)
            if progress:
                progress(sum(state.replications(names).values()), len(names) * state.stage)
            if state.selected is not None or failures:
                break
            first = min(min(len(_contributions(outputs, [s])[s]) for s in state.survivors),
                        state.stage - 1)
            last = max(state.stage, first + batch)
            tasks = {}
            for r in range(first, last):
                missing = [s for s in state.survivors if s not in have(r)]
                if missing:
                    tasks[r] = (scenario, missing, seed, r, scales)
            execute(_run_task, tasks, pool, on_done, on_error)
    if failures:
        raise RuntimeError("a replication failed under selection: " + "; ".join(
            f"replication {f['replication']}: {f['error']}" for f in failures))
    return _selected_results(scenario, names, baseline, seed, select, rule, state,
                             outputs, made, start, scales)


def _contributions(outputs: dict, names: list[str]) -> dict[str, list[float]]:
    """Each structure's contribution over the horizon by replication, from replication
    0 up to its first missing one."""
    out: dict[str, list[float]] = {s: [] for s in names}
    for s in names:
        r = 0
        while r in outputs:
            monthly = outputs[r][0]
            rows = monthly[(monthly["structure"] == s) & (monthly["month"] > 0)]
            if rows.empty:
                break
            out[s].append(float(rows["contribution"].sum()))
            r += 1
    return out


def _selected_results(scenario: Scenario, names: list[str], baseline: str, seed: int,
                      select: SelectionRule, rule: SelectionRule, state: Selection,
                      outputs: dict,
                      made: dict[str, int], start: float,
                      scales: dict[str, float] | None) -> Results:
    used = state.replications(names)
    parts = [tuple(f[f["structure"].isin([s for s in names if r < used[s]])]
                   for f in outputs[r]) for r in sorted(outputs)]
    monthly = pd.concat([p[0] for p in parts], ignore_index=True)
    managers = pd.concat([p[1] for p in parts], ignore_index=True)
    fixed = scenario.experiment.replications * len(names)
    meta = {"failures": [], "replications_run": list(range(max(used.values()))),
            "precision": None, "replications_needed": None, "pay_scales": scales,
            "selection": {
                "selected": state.selected, "delta": rule.delta,
                "delta_share": select.delta if select.share else None,
                "confidence": select.confidence, "first_stage": select.first_stage,
                "replications": used, "behind": state.behind, "capped": state.capped,
                "runs_used": sum(used.values()),
                "runs_made": sum(made.values()) or sum(used.values()),
                "fixed_runs": fixed,
                "saving": 1.0 - sum(used.values()) / fixed if fixed else None}}
    return Results(scenario=scenario, monthly=monthly, managers=managers, seed=seed,
                   replications=max(used.values()), structures=names, baseline=baseline,
                   wall_seconds=time.perf_counter() - start, meta=meta)
