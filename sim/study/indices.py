"""Sensitivity indices of a sweep's outputs, from SALib, with the replication noise
measured from the replications themselves.

Each output is a points x replications array (:func:`outputs`). Indices are computed on
the mean over replications at each design point: Morris mu* and sigma for a ``morris``
design, Sobol first and total order for ``sobol``, RBD-FAST first order for ``lhs`` (64
points or more), each with SALib's bootstrap interval; a grouped design (morris, sobol)
scores groups of parameters instead. The deviation of each replication from its point's
mean gives the share of the variance across the design that
noise explains (:func:`noise_share`) and a noise floor for mu* and ST: what a parameter
with no effect would score from noise alone. :func:`rank` ranks parameters and marks
those whose interval clears the floor. Used by :mod:`sim.study.sensitivity`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.config.uncertainties import short_name as label
from sim.study.sweep_design import MORRIS_LEVELS

#: RBD-FAST resolves SALib's default 10 harmonics, and its bootstrap draws half the
#: points: with fewer than 64 points the intervals collapse to zero (SALib 1.6).
RBD_MIN_POINTS = 64


def indices_shortfall(design: str, points: int) -> str | None:
    """Why a design of ``points`` gives no sensitivity indices though its kind could,
    or None: asked before a sweep runs, so a design too small is not found out after."""
    if design == "lhs" and points < RBD_MIN_POINTS:
        return (f"lhs with {points} design points gives no sensitivity indices (RBD-FAST "
                f"needs at least {RBD_MIN_POINTS})")
    return None


def output_name(structure: str, versus: str, measure: str) -> str:
    return f"{measure}, {structure} minus {versus}" if versus else f"{measure} of {structure}"


def outputs(runs: pd.DataFrame, structures: list[str], baseline: str,
            measures: tuple[str, ...], points: pd.Index) -> dict[tuple[str, str, str],
                                                               np.ndarray]:
    """Each output as a points x replications array, keyed (structure, versus,
    measure); ``versus`` is the baseline for paired differences, else empty."""
    out = {}
    for m in measures:
        table = runs.set_index(["point", "replication", "structure"])[m].unstack("structure")
        for s in structures:
            out[(s, "", m)] = table[s].unstack("replication").reindex(points).to_numpy(float)
        for s in structures:
            if s != baseline:
                diff = (table[s] - table[baseline]).unstack("replication")
                out[(s, baseline, m)] = diff.reindex(points).to_numpy(float)
    return out


def noise_share(y: np.ndarray) -> float:
    """Share of the variance of the point means across the design that replication
    noise explains (NaN with one replication)."""
    reps = y.shape[1]
    total = y.mean(axis=1).var(ddof=1)
    if reps < 2 or not total > 0:
        return float("nan") if reps < 2 else 0.0
    dev = y - y.mean(axis=1, keepdims=True)
    noise = dev.var(axis=0, ddof=1).mean() / (reps - 1)
    return float(min(1.0, noise / total))


def factor_names(problem: dict) -> list[str]:
    """What the indices score: the groups of a grouped problem (in order of first
    appearance, as SALib orders them), else the parameters."""
    groups = problem.get("groups")
    return list(dict.fromkeys(groups)) if groups else list(problem["names"])


def _morris(problem: dict, x: np.ndarray, y: np.ndarray, conf: float,
            seed: int) -> list[dict]:
    from SALib.analyze import morris

    def mu_star(values: np.ndarray, resamples: int):
        return morris.analyze(problem, x, values, num_resamples=resamples, conf_level=conf,
                              num_levels=MORRIS_LEVELS, seed=seed)

    si = mu_star(y.mean(axis=1), 1000)
    names = factor_names(problem)
    reps = y.shape[1]
    dev = y - y.mean(axis=1, keepdims=True)
    # E|effect| scales with the noise's spread: the mean is sqrt(R - 1) times quieter.
    floor = (np.mean([mu_star(dev[:, r], 10)["mu_star"] for r in range(reps)], axis=0)
             / math.sqrt(reps - 1) if reps > 1 else np.full(len(names), np.nan))
    rows = []
    for j, name in enumerate(names):
        m, half = float(si["mu_star"][j]), float(si["mu_star_conf"][j])
        rows += [{"parameter": name, "index": "mu_star", "value": m,
                  "ci_low": max(0.0, m - half),  # a mean of absolute effects: never below 0
                  "ci_high": m + half, "noise_floor": float(floor[j])},
                 {"parameter": name, "index": "mu", "value": float(si["mu"][j])},
                 {"parameter": name, "index": "sigma", "value": float(si["sigma"][j])}]
    return rows


def _sobol(problem: dict, y: np.ndarray, conf: float, seed: int) -> list[dict]:
    from SALib.analyze import sobol
    from SALib.analyze.sobol import separate_output_values, total_order

    names = factor_names(problem)
    k = len(names)
    mean = y.mean(axis=1)
    si = sobol.analyze(problem, mean, calc_second_order=False, num_resamples=1000,
                       conf_level=conf, seed=seed)
    n = len(mean) // (k + 2)
    a, b, _, _ = separate_output_values(mean, k, n, False)
    var = np.var(np.r_[a, b])
    reps = y.shape[1]
    floor = np.full(k, np.nan)
    if reps > 1:
        parts = []
        for r in range(reps):
            za, zb, zab, _ = separate_output_values(y[:, r] - mean, k, n, False)
            zvar = np.var(np.r_[za, zb])
            parts.append([total_order(za, zab[:, j], zb) * zvar if zvar > 0 else 0.0
                          for j in range(k)])
        floor = np.mean(parts, axis=0) / (reps - 1) / var
    rows = []
    for j, name in enumerate(names):
        for index in ("S1", "ST"):
            v, half = float(si[index][j]), float(si[f"{index}_conf"][j])
            rows.append({"parameter": name, "index": index, "value": v,
                         "ci_low": min(max(0.0, v - half), 1.0),  # a share of variance
                         "ci_high": max(min(1.0, v + half), 0.0),
                         "noise_floor": float(floor[j]) if index == "ST" else np.nan})
    return rows


def _rbd_fast(problem: dict, x: np.ndarray, y: np.ndarray, conf: float,
              seed: int) -> list[dict]:
    from SALib.analyze import rbd_fast

    if len(x) < RBD_MIN_POINTS:
        return []
    si = rbd_fast.analyze(problem, x, y.mean(axis=1), num_resamples=100, conf_level=conf,
                          seed=seed)
    return [{"parameter": name, "index": "S1", "value": float(si["S1"][j]),
             "ci_low": float(np.clip(si["S1"][j] - si["S1_conf"][j], 0.0, 1.0)),
             "ci_high": float(np.clip(si["S1"][j] + si["S1_conf"][j], 0.0, 1.0)),
             "noise_floor": np.nan}
            for j, name in enumerate(problem["names"])]


def compute_indices(method: str, problem: dict, x: np.ndarray, y: np.ndarray, conf: float,
                    seed: int) -> list[dict]:
    """Index rows of one output (points x replications) for the design ``method``; a
    grouped problem (SALib's ``groups``, morris and sobol) scores each group, named in
    ``parameter``."""
    if method in ("morris", "sobol") and not np.ptp(y.mean(axis=1)) > 0:
        # A flat output (a structure the parameters do not touch): nothing to attribute.
        names = ("mu_star", "mu", "sigma") if method == "morris" else ("S1", "ST")
        return [{"parameter": p, "index": i, "value": 0.0, "ci_low": 0.0, "ci_high": 0.0,
                 "noise_floor": 0.0} for p in factor_names(problem) for i in names]
    if method == "lhs" and not np.ptp(y.mean(axis=1)) > 0:
        return [{"parameter": p, "index": "S1", "value": 0.0, "ci_low": 0.0, "ci_high": 0.0,
                 "noise_floor": np.nan} for p in problem["names"]]
    if method == "morris":
        return _morris(problem, x, y, conf, seed)
    if method == "sobol":
        return _sobol(problem, y, conf, seed)
    if method == "lhs":
        return _rbd_fast(problem, x, y, conf, seed)
    return []  # a grid maps who wins where; its points are too few per level for indices


INDEX_COLUMNS = ["structure", "versus", "measure", "parameter", "group", "index", "value",
                 "ci_low", "ci_high", "noise_floor"]


def rank(frame: pd.DataFrame, index: str) -> pd.DataFrame:
    """Mark the parameters whose interval of ``index`` clears both zero and the noise
    floor (``above_noise``) and rank those alone within each output; the others have
    no rank (empty in indices.csv), so a rank always means a ranked parameter."""
    frame = frame.reindex(columns=INDEX_COLUMNS)
    ranked = frame[frame["index"] == index].copy()
    ranked["above_noise"] = ranked["ci_low"] > ranked["noise_floor"].fillna(0.0).clip(lower=0)
    ranked["rank"] = ranked["value"].where(ranked["above_noise"]).groupby(
        [ranked["structure"], ranked["versus"], ranked["measure"]]).rank(
        ascending=False, method="first").astype("Int64")
    return frame.merge(ranked[["structure", "versus", "measure", "parameter", "index",
                               "above_noise", "rank"]], how="left",
                       on=["structure", "versus", "measure", "parameter", "index"])


def unranked(frame: pd.DataFrame, top: int = 5) -> list[str]:
    """Neighbours among the top parameters whose intervals overlap."""
    order = frame.sort_values("value", ascending=False).head(top)
    order = order[order["above_noise"].astype(bool)]
    groups, current = [], []
    rows = list(order.itertuples())
    for a, b in zip(rows, rows[1:], strict=False):
        if a.ci_low <= b.ci_high:
            current = current or [label(a.parameter)]
            current.append(label(b.parameter))
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return [", ".join(g) for g in groups]
