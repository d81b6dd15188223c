"""Replications, common random numbers, executors and confidence intervals.

Replication ``r`` of a study draws every mechanism from its own stream spawned from
``(seed, r)`` (see :mod:`sim.streams`), so results do not depend on the executor, the
number of workers or the order replications finish in.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .department import Department, Snapshot
from .recorder import LOSS_CAUSES, SOURCES
from .scenario import DAYS_PER_YEAR, MONTHS_PER_YEAR, Scenario
from .streams import Streams
from .structures import make_structure

Progress = Callable[[int, int], None]


def warm_up(scenario: Scenario, seed: int, replication: int) -> Snapshot:
    """A mature department: ``warmup_years`` under classic from hires spread over the
    first year, as plain data. It draws from its own ``warmup/`` streams, so it is the
    same whichever structures follow it; nothing of it is reported."""
    months = max(1, round(scenario.experiment.warmup_years * MONTHS_PER_YEAR))
    dept = Department(scenario, make_structure("classic", scenario),
                      Streams(seed, replication, prefix="warmup/"), months=months,
                      hire_spread_days=DAYS_PER_YEAR)
    dept.env.run(until=dept.days + 1e-9)
    return dept.snapshot()


def run_replication(scenario: Scenario, structure: str | list[str], seed: int,
                    replication: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate one replication of one or more structures on common random numbers.

    Every structure of the replication starts from the same warm-up (``mature``) or
    the same fresh market, and draws each mechanism from the same named stream.
    Frames carry ``replication`` and ``structure`` columns."""
    names = [structure] if isinstance(structure, str) else list(structure)
    snapshot = (warm_up(scenario, seed, replication)
                if scenario.experiment.initial_state == "mature" else None)
    monthly_parts, manager_parts = [], []
    for name in names:
        dept = Department(scenario, make_structure(name, scenario),
                          Streams(seed, replication), snapshot=snapshot)
        monthly, managers = dept.run()
        for df in (monthly, managers):
            df.insert(0, "structure", name)
            df.insert(0, "replication", replication)
        monthly_parts.append(monthly)
        manager_parts.append(managers)
    return (pd.concat(monthly_parts, ignore_index=True),
            pd.concat(manager_parts, ignore_index=True))


def _run_task(args: tuple[Scenario, list[str], int, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return run_replication(*args)


def mean_ci(values: Iterable[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and the half-width of its Student-t confidence interval (0 for one value)."""
    x = np.asarray(list(values), dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return float("nan"), float("nan"), 0
    mean = float(x.mean())
    if n < 2:
        return mean, float("nan"), n
    half = float(stats.t.ppf(0.5 + confidence / 2.0, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return mean, half, n


def run_measures(monthly: pd.DataFrame, managers: pd.DataFrame) -> pd.DataFrame:
    """One row per replication x structure: the totals a comparison is made on."""
    keys = ["replication", "structure"]
    g = monthly.groupby(keys, sort=False)  # structures stay in the order they were run
    months = g["month"].count()
    out = pd.DataFrame({
        "revenue": g["revenue"].sum(),
        "revenue_new": g["revenue_new"].sum(),
        "new_clients": g["new_clients"].sum(),
        **{f"new_clients_{s}": g[f"new_clients_{s}"].sum() for s in SOURCES},
        "contribution": g["contribution"].sum(),
        "payroll": g["payroll"].sum(),
        "lost_clients": g["lost_clients"].sum(),
        **{f"lost_clients_{c}": g[f"lost_clients_{c}"].sum() for c in LOSS_CAUSES},
        "active_clients_end": g["active_clients"].last(),
        "lead_wait_hours_mean": (monthly["lead_wait_hours_mean"].fillna(0) * monthly["lead_waits"]
                                 ).groupby([monthly[k] for k in keys]).sum()
        / g["lead_waits"].sum().replace(0, np.nan),
        "leads_lost_share": g["leads_lost"].sum() / g["leads_received"].sum().replace(0, np.nan),
        "active_share": (g["hours_care"].sum() + g["hours_prospecting"].sum())
        / (g["hours_care"].sum() + g["hours_prospecting"].sum() + g["hours_idle"].sum()
           ).replace(0, np.nan),
        "turnover_annual": g["quits"].sum() / (g["managers"].mean() * months / MONTHS_PER_YEAR),
    })
    if len(managers):
        per_person = managers.groupby(keys + ["manager_id"])["revenue"].sum()
        top = per_person.groupby(level=keys).max().reindex(out.index, fill_value=0.0)
        # Share of all the department's revenue that one person's own clients bring:
        # 0 where nobody owns clients (pool, dispatch).
        out["top_manager_revenue_share"] = top / out["revenue"].replace(0, np.nan)
    else:
        out["top_manager_revenue_share"] = np.nan
    return out.reindex(g.size().index).reset_index()


def paired_differences(runs: pd.DataFrame, baseline: str,
                       confidence: float = 0.95) -> pd.DataFrame:
    """Mean paired difference of each structure against ``baseline`` with its interval;
    pairing by replication removes the variation both share (common random numbers)."""
    measures = [c for c in runs.columns if c not in ("replication", "structure")]
    base = runs[runs.structure == baseline].set_index("replication")[measures]
    rows = []
    for structure, df in runs.groupby("structure", sort=False):
        if structure == baseline:
            continue
        diff = df.set_index("replication")[measures] - base
        for m in measures:
            mean, half, n = mean_ci(diff[m], confidence)
            ref = base[m].mean()
            rows.append({"structure": structure, "baseline": baseline, "measure": m,
                         "difference": mean, "ci_low": mean - half, "ci_high": mean + half,
                         "relative": mean / ref if ref else np.nan,
                         "excludes_zero": bool(half == half and abs(mean) > half),
                         "replications": n})
    return pd.DataFrame(rows, columns=["structure", "baseline", "measure", "difference",
                                       "ci_low", "ci_high", "relative", "excludes_zero",
                                       "replications"])


def summarise(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Mean and confidence interval over replications, one row per structure x measure."""
    rows = []
    measures = [c for c in runs.columns if c not in ("replication", "structure")]
    for structure, df in runs.groupby("structure", sort=False):
        for m in measures:
            mean, half, n = mean_ci(df[m], confidence)
            rows.append({"structure": structure, "measure": m, "mean": mean,
                         "ci_low": mean - half, "ci_high": mean + half, "half_width": half,
                         "replications": n})
    return pd.DataFrame(rows)


def moss_curve(managers: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Active share of free hours by month of tenure: mean over replications with a CI.

    Month of tenure ``k`` covers tenure in ``(k-1, k]`` months at the month's end; each
    replication contributes the hours-weighted share of all its managers in that month,
    so replications, not manager-months, are the independent observations."""
    if managers.empty:
        return pd.DataFrame(columns=["structure", "tenure_month", "active_share", "ci_low",
                                     "ci_high", "replications"])
    df = managers.assign(tenure_month=np.maximum(1, np.ceil(managers["tenure_months"] - 1e-9)
                                                .astype(int)),
                         hours_free=managers["hours_active"] + managers["hours_idle"])
    per_rep = df.groupby(["structure", "tenure_month", "replication"])[
        ["hours_active", "hours_free"]].sum()
    per_rep = (per_rep["hours_active"] / per_rep["hours_free"].replace(0, np.nan)).rename("share")
    rows = []
    for (structure, k), s in per_rep.groupby(level=[0, 1]):
        mean, half, n = mean_ci(s, confidence)
        rows.append({"structure": structure, "tenure_month": int(k), "active_share": mean,
                     "ci_low": mean - half, "ci_high": mean + half, "replications": n})
    return pd.DataFrame(rows)


@dataclass
class Results:
    """Tidy results of a study: ``monthly``, ``managers`` and per-run ``runs`` frames."""

    scenario: Scenario
    monthly: pd.DataFrame
    managers: pd.DataFrame
    seed: int
    replications: int
    structures: list[str]
    baseline: str = "classic"
    wall_seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    @property
    def runs(self) -> pd.DataFrame:
        return run_measures(self.monthly, self.managers)

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Means with confidence intervals over replications (long format)."""
        return summarise(self.runs, confidence)

    def moss_curve(self, confidence: float = 0.95) -> pd.DataFrame:
        return moss_curve(self.managers, confidence)

    def differences(self, baseline: str | None = None,
                    confidence: float = 0.95) -> pd.DataFrame:
        """Paired differences against the baseline, replication by replication."""
        return paired_differences(self.runs, baseline or self.baseline, confidence)

    def save(self, directory: str | Path, charts: bool = True,
             command: list[str] | None = None) -> Path:
        """Write the results folder atomically (see :mod:`sim.output`)."""
        from .output import write_results

        return write_results(self, Path(directory), charts=charts, command=command)


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def run(scenario: Scenario, structure: str | None = None, replications: int | None = None,
        seed: int | None = None, workers: int | None = None,
        executor: Executor | None = None, progress: Progress | None = None) -> Results:
    """Run replications of one structure; ``None`` takes the scenario's own settings.

    ``workers=1`` runs serially in this process; otherwise replications run in a pool
    of processes (all cores by default), or in ``executor`` when given. The numbers
    are the same either way.
    """
    return compare(scenario, [structure or scenario.experiment.structure], replications,
                   seed, workers=workers, executor=executor, progress=progress)


def compare(scenario: Scenario, structures: list[str] | None = None,
            replications: int | None = None, seed: int | None = None,
            baseline: str | None = None, workers: int | None = None,
            executor: Executor | None = None, progress: Progress | None = None) -> Results:
    """Run several structures on common random numbers: replication ``r`` of every
    structure sees the same market, the same warm-up and the same draws by mechanism."""
    names = list(structures or scenario.experiment.structures)
    known = scenario.structure_names()
    for name in names:
        if name not in known:
            raise ValueError(f"structures: unknown structure {name!r}; allowed: "
                             + ", ".join(known))
    baseline = baseline or (scenario.experiment.baseline
                            if scenario.experiment.baseline in names else names[0])
    if baseline not in names:
        raise ValueError(f"baseline: {baseline!r} is not among the structures compared "
                         f"({', '.join(names)})")
    n = scenario.experiment.replications if replications is None else int(replications)
    if n < 1:
        raise ValueError(f"replications: got {n}; must be at least 1")
    seed = scenario.experiment.seed if seed is None else int(seed)
    tasks = [(scenario, names, seed, r) for r in range(n)]
    start = time.perf_counter()
    outputs = _execute(tasks, workers, executor, progress)
    monthly = pd.concat([o[0] for o in outputs], ignore_index=True)
    managers = pd.concat([o[1] for o in outputs], ignore_index=True)
    return Results(scenario=scenario, monthly=monthly, managers=managers, seed=seed,
                   replications=n, structures=names, baseline=baseline,
                   wall_seconds=time.perf_counter() - start)


def _execute(tasks: list, workers: int | None, executor: Executor | None,
             progress: Progress | None) -> list:
    total = len(tasks)
    results: list = [None] * total
    workers = _default_workers() if workers is None else max(1, int(workers))
    if executor is None and (workers == 1 or total == 1):
        for i, task in enumerate(tasks):
            results[i] = _run_task(task)
            if progress:
                progress(i + 1, total)
        return results
    own = executor is None
    pool = executor or ProcessPoolExecutor(max_workers=min(workers, total),
                                           initializer=_ignore_sigint)
    try:
        futures = {pool.submit(_run_task, task): i for i, task in enumerate(tasks)}
        for done, fut in enumerate(as_completed(futures), start=1):
            results[futures[fut]] = fut.result()
            if progress:
                progress(done, total)
    except BaseException:
        if own:  # interrupted or failed: stop the workers now rather than finish the queue
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    if own:
        pool.shutdown(wait=True)
    return results


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops them and cleans up; on Linux
    they also die with the parent if it is killed outright (no orphans computing on)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except OSError:  # pragma: no cover - no libc by that name
            pass
