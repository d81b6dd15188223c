"""Global sensitivity and scenario discovery over a sweep: which parameters move the
results, and which structure comes out ahead where.

Indices come from SALib, computed on the mean over replications at each design point,
for revenue, new clients and contribution of every structure and for the paired
difference of every structure against the baseline (replication by replication, on
common random numbers): Morris mu* and sigma for a ``morris`` design, Sobol first and
total order for ``sobol``, RBD-FAST first order for ``lhs`` (64 points or more); each
with SALib's bootstrap interval. A ``grid`` maps who wins where and gives no indices.

Replication noise is measured from the replications themselves. The deviation of each
replication from its point's mean, taken across the design with the same seed, has the
covariance of the noise in the point means times ``R - 1`` (common random numbers
included). From it come the share of the variance across the design that noise
explains, and a noise floor for mu* and ST: what a parameter with no effect would score
from noise alone. A parameter whose interval does not clear its floor is not ranked.

Which structure wins where: at each point the structure with the highest mean
contribution, the probability of being best across replications, the share of the
design each structure wins, and PRIM boxes (the EMA workbench's) of the parameter
region where a structure wins, in plain sentences.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.uncertainties import short_name as label
from sim.study.sweeps import MORRIS_LEVELS, Sweep, SweepError, open_sweep

MEASURES = ("revenue", "new_clients", "contribution")
#: The index each design ranks parameters by.
RANKED_BY = {"morris": "mu_star", "sobol": "ST", "lhs": "S1", "grid": "S1"}
#: RBD-FAST resolves SALib's default 10 harmonics, and its bootstrap draws half the
#: points: with fewer than 64 points the intervals collapse to zero (SALib 1.6).
RBD_MIN_POINTS = 64
NOISY = 0.5  # a noise share above this makes an output's indices unreliable
MIN_WINS = 5  # fewer winning points than this make no box
QP_MAX = 0.05  # a box limit whose quasi-p-value is above this is dropped


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def _why_not(floor: float) -> str:
    return "no: its interval reaches 0" if floor != floor else "no: within noise"


def _pct(share: float) -> str:
    return f"{100 * share:.0f} %"


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


def _morris(problem: dict, x: np.ndarray, y: np.ndarray, conf: float,
            seed: int) -> list[dict]:
    from SALib.analyze import morris

    def mu_star(values: np.ndarray, resamples: int):
        return morris.analyze(problem, x, values, num_resamples=resamples, conf_level=conf,
                              num_levels=MORRIS_LEVELS, seed=seed)

    si = mu_star(y.mean(axis=1), 1000)
    reps = y.shape[1]
    dev = y - y.mean(axis=1, keepdims=True)
    # E|effect| scales with the noise's spread: the mean is sqrt(R - 1) times quieter.
    floor = (np.mean([mu_star(dev[:, r], 10)["mu_star"] for r in range(reps)], axis=0)
             / math.sqrt(reps - 1) if reps > 1 else np.full(len(x[0]), np.nan))
    rows = []
    for j, name in enumerate(problem["names"]):
        m, half = float(si["mu_star"][j]), float(si["mu_star_conf"][j])
        rows += [{"parameter": name, "index": "mu_star", "value": m, "ci_low": m - half,
                  "ci_high": m + half, "noise_floor": float(floor[j])},
                 {"parameter": name, "index": "mu", "value": float(si["mu"][j])},
                 {"parameter": name, "index": "sigma", "value": float(si["sigma"][j])}]
    return rows


def _sobol(problem: dict, y: np.ndarray, conf: float, seed: int) -> list[dict]:
    from SALib.analyze import sobol
    from SALib.analyze.sobol import separate_output_values, total_order

    k = problem["num_vars"]
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
    for j, name in enumerate(problem["names"]):
        for index in ("S1", "ST"):
            v, half = float(si[index][j]), float(si[f"{index}_conf"][j])
            rows.append({"parameter": name, "index": index, "value": v, "ci_low": v - half,
                         "ci_high": v + half,
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
             "ci_low": float(si["S1"][j] - si["S1_conf"][j]),
             "ci_high": float(si["S1"][j] + si["S1_conf"][j]), "noise_floor": np.nan}
            for j, name in enumerate(problem["names"])]


def compute_indices(method: str, problem: dict, x: np.ndarray, y: np.ndarray, conf: float,
                    seed: int) -> list[dict]:
    """Index rows of one output (points x replications) for the design ``method``."""
    if method in ("morris", "sobol") and not np.ptp(y.mean(axis=1)) > 0:
        # A flat output (a structure the parameters do not touch): nothing to attribute.
        names = ("mu_star", "mu", "sigma") if method == "morris" else ("S1", "ST")
        return [{"parameter": p, "index": i, "value": 0.0, "ci_low": 0.0, "ci_high": 0.0,
                 "noise_floor": 0.0} for p in problem["names"] for i in names]
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


INDEX_COLUMNS = ["structure", "versus", "measure", "parameter", "index", "value", "ci_low",
                 "ci_high", "noise_floor"]


def _rank(frame: pd.DataFrame, index: str) -> pd.DataFrame:
    """Rank parameters by ``index`` within each output; mark those above noise."""
    frame = frame.reindex(columns=INDEX_COLUMNS)
    ranked = frame[frame["index"] == index].copy()
    ranked["above_noise"] = ranked["ci_low"] > ranked["noise_floor"].fillna(0.0)
    ranked["rank"] = ranked.groupby(["structure", "versus", "measure"])["value"].rank(
        ascending=False, method="first").astype("Int64")
    return frame.merge(ranked[["structure", "versus", "measure", "parameter", "index",
                               "above_noise", "rank"]], how="left",
                       on=["structure", "versus", "measure", "parameter", "index"])


def _unranked(frame: pd.DataFrame, top: int = 5) -> list[str]:
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


def winners(runs: pd.DataFrame, structures: list[str], on: str = "contribution"
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per design point and structure, the mean of ``on`` and the probability of being
    best (the share of replications in which it is highest; ties shared); and per
    point, the winner by the mean, its probability of being best, the runner-up and
    the margin."""
    table = runs.set_index(["point", "replication", "structure"])[on].unstack(
        "structure")[structures]
    vals = table.to_numpy(float)
    top = vals == vals.max(axis=1, keepdims=True)
    share = pd.DataFrame(top / top.sum(axis=1, keepdims=True), index=table.index,
                         columns=structures)
    prob = share.groupby(level="point").mean()
    mean = table.groupby(level="point").mean()
    prob.columns.name = mean.columns.name = "structure"
    best = pd.DataFrame({"mean": mean.stack(), "probability_best": prob.stack()}
                        ).reset_index()
    order = np.argsort(-mean.to_numpy(), axis=1, kind="stable")
    names = np.array(structures)
    win = names[order[:, 0]]
    rows = pd.DataFrame({"point": mean.index, "winner": win,
                         "probability_best": prob.to_numpy()[np.arange(len(win)), order[:, 0]]})
    if len(structures) > 1:
        second = order[:, 1]
        rows["runner_up"] = names[second]
        rows["margin"] = (mean.to_numpy()[np.arange(len(win)), order[:, 0]]
                          - mean.to_numpy()[np.arange(len(win)), second])
    return best, rows


def wins_share(win: pd.DataFrame, structures: list[str]) -> pd.DataFrame:
    """Share of the design points each structure wins, and how sure those wins are."""
    n = len(win)
    rows = []
    for s in structures:
        mine = win[win["winner"] == s]
        rows.append({"structure": s, "points_won": len(mine), "share": len(mine) / n,
                     "mean_probability_best": float(mine["probability_best"].mean())
                     if len(mine) else np.nan})
    return pd.DataFrame(rows)


def _limits_text(lims: pd.DataFrame, init: pd.DataFrame) -> tuple[str, dict]:
    parts, limits = [], {}
    for c in lims.columns:
        lo, hi, lo0, hi0 = lims.loc[0, c], lims.loc[1, c], init.loc[0, c], init.loc[1, c]
        name = label(c)
        if lo > lo0 and hi < hi0:
            parts.append(f"{name} is between {_num(lo)} and {_num(hi)}")
        elif lo > lo0:
            parts.append(f"{name} is at least {_num(lo)}")
        elif hi < hi0:
            parts.append(f"{name} is at most {_num(hi)}")
        else:
            continue
        limits[c] = [float(lo), float(hi)]
    return " and ".join(parts), limits


BOX_COLUMNS = ["structure", "wins", "coverage", "density", "points_in_box", "limits",
               "sentence"]


def _region(x: pd.DataFrame, y: np.ndarray, min_density: float, max_dims: int
            ) -> tuple[str, dict, float, float, int] | None:
    """PRIM (EMA workbench, peeling and pasting 5 % at a time) on the indicator ``y``.

    Each box on the peeling trajectory loses the restrictions its quasi-p-values do not
    support (above ``QP_MAX``, Bryant and Lempert 2010: a limit that a binomial test
    cannot tell from chance, such as a parameter the outcome never reads); of the boxes
    left that restrict 1 to ``max_dims`` parameters and where ``y`` holds at
    ``min_density`` of their points or more, the one covering most of the points where
    it holds. Returns it in words, its limits, coverage, density and number of points;
    None where no box qualifies."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optional parts of the workbench announce themselves
        from ema_workbench.analysis import prim

        finder = prim.Prim(x, y, threshold=0.5, peel_alpha=0.05, paste_alpha=0.05)
        box = finder.find_box()
    init = finder.box_init
    values = x.to_numpy(float)
    total = int(y.sum())
    candidates = []
    for i in range(len(box.peeling_trajectory)):
        lims = init.copy()
        for name, (p_low, p_high) in box.qp[i].items():
            if 0 <= p_low <= QP_MAX:
                lims.loc[0, name] = box.box_lims[i].loc[0, name]
            if 0 <= p_high <= QP_MAX:
                lims.loc[1, name] = box.box_lims[i].loc[1, name]
        dims = int(((lims.loc[0] > init.loc[0]) | (lims.loc[1] < init.loc[1])).sum())
        inside = ((values >= lims.loc[0].to_numpy(float))
                  & (values <= lims.loc[1].to_numpy(float))).all(axis=1)
        n = int(inside.sum())
        if not 1 <= dims <= max_dims or n == 0:
            continue
        hits = int(y[inside].sum())
        density, coverage = hits / n, hits / total
        if density >= min_density:
            candidates.append((-coverage, -density, dims, i, lims, n))
    if not candidates:
        return None
    neg_cov, neg_dens, _, _, lims, n = min(candidates, key=lambda c: c[:4])
    text, limits = _limits_text(lims, init)
    return text, limits, -neg_cov, -neg_dens, n


def _box_rows(design: pd.DataFrame, indicators: dict[str, np.ndarray], phrase: str,
              held: str, min_density: float, max_dims: int, say_few: bool
              ) -> pd.DataFrame:
    """A box row per subject of ``indicators`` (where the indicator holds at
    ``MIN_WINS`` points or more; with ``say_few``, a row saying so where it holds at
    fewer), worded with ``phrase`` ("leads") and ``held``, the box's coverage clause
    with ``{n}`` the points where it holds ("its {n} wins; it leads")."""
    x = design.reset_index(drop=True).astype(float)
    rows = []
    for s, y in indicators.items():
        n = int(y.sum())
        row = {"structure": s, "wins": n, "coverage": np.nan, "density": np.nan,
               "points_in_box": 0, "limits": "{}"}
        if n == len(y):
            rows.append({**row, "coverage": 1.0, "density": 1.0, "points_in_box": n,
                         "sentence": f"{s} {phrase} at every design point."})
            continue
        if n < MIN_WINS:
            if say_few:
                rows.append({**row, "sentence": f"{s} {phrase} at {n} of the {len(y)} "
                             "design points: too few to describe a region."})
            continue
        found = _region(x, y.astype(int), min_density, max_dims)
        if found is None:
            rows.append({**row, "sentence": (
                f"No region of at most {max_dims} parameters was found where {s} {phrase} "
                f"at {_pct(min_density)} of the points or more (it does at {n} of "
                f"{len(y)} points).")})
            continue
        text, limits, cov, dens, inside = found
        rows.append({**row, "coverage": cov, "density": dens, "points_in_box": inside,
                     "limits": json.dumps(limits),
                     "sentence": f"{s} {phrase} when {text} (covers {_pct(cov)} of "
                                 f"{held.format(n=n)} at {_pct(dens)} of the {inside} "
                                 "points in the box)."})
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


def boxes(design: pd.DataFrame, win: pd.DataFrame, structures: list[str],
          min_density: float = 0.8, max_dims: int = 3) -> pd.DataFrame:
    """For each structure that wins somewhere, the region (a PRIM box) where it leads,
    with the sentence that says it (:func:`_region`)."""
    winner = win.set_index("point")["winner"].reindex(design.index).to_numpy()
    # The shares of the design already say who leads nowhere.
    return _box_rows(design, {s: winner == s for s in structures}, "leads",
                     "its {n} wins; it leads", min_density, max_dims, say_few=False)


def ahead(design: pd.DataFrame, best: pd.DataFrame, structures: list[str], baseline: str,
          min_density: float = 0.8, max_dims: int = 3) -> pd.DataFrame:
    """For each structure, the share of the design where its mean beats the baseline's
    and the region (a PRIM box) where it does: the question a consultant asks when one
    structure leads everywhere ("where does a ticket pool at least beat what we have?")."""
    mean = best.pivot(index="point", columns="structure", values="mean").reindex(
        design.index)
    others = [s for s in structures if s != baseline]
    frame = _box_rows(design, {s: (mean[s] > mean[baseline]).to_numpy() for s in others},
                      f"beats {baseline}", "the {n} points where it does; it does",
                      min_density, max_dims, say_few=True)
    return frame.rename(columns={"wins": "points_ahead"}).assign(
        share=frame["wins"] / len(design))


@dataclass
class Sensitivity:
    """Indices, noise, winners and boxes of one sweep (:func:`analyse`)."""

    method: str
    baseline: str
    structures: list[str]
    parameters: list[str]
    replications: int
    points: int
    design: pd.DataFrame
    indices: pd.DataFrame
    noise: pd.DataFrame
    best: pd.DataFrame
    winners: pd.DataFrame
    wins: pd.DataFrame
    boxes: pd.DataFrame
    ahead: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def ranked_by(self) -> str:
        return RANKED_BY[self.method]

    def top(self, structure: str, measure: str = "contribution", versus: str | None = None,
            n: int = 5) -> pd.DataFrame:
        """The ``n`` parameters with the highest ranking index for one output (versus
        the baseline by default; ``versus=""`` for the structure's own level)."""
        versus = self.baseline if versus is None else versus
        f = self.indices
        f = f[(f.structure == structure) & (f.versus == versus) & (f.measure == measure)
              & (f["index"] == self.ranked_by)]
        return f.sort_values("value", ascending=False).head(n).reset_index(drop=True)

    def influential(self, measure: str = "contribution", n: int = 2) -> list[str]:
        """The parameters that move the differences against the baseline most: the
        ranking index, scaled to the largest within each output, averaged over them."""
        f = self.indices
        f = f[(f["index"] == self.ranked_by) & (f.measure == measure)
              & (f.versus == (self.baseline if len(self.structures) > 1 else ""))]
        scaled = f["value"] / f.groupby("structure")["value"].transform("max").replace(0, 1)
        return list(scaled.groupby(f["parameter"]).mean().sort_values(ascending=False)
                    .index[:n])

    def sentences(self) -> list[str]:
        """Plain-language statements: shares won and the regions where each wins."""
        won = self.wins.sort_values("share", ascending=False)
        parts = [f"{r.structure} {_pct(r.share)} ({r.points_won})" for r in won.itertuples()
                 if r.points_won]
        out = [f"Share of the {self.points} design points where each structure has the "
               f"highest mean contribution: {', '.join(parts)}."]
        return out + list(self.boxes["sentence"])

    def markdown(self) -> str:
        lines = [f"# Sensitivity of a {self.method} sweep", "",
                 f"{self.points} design points over {len(self.parameters)} parameters, "
                 f"{self.replications} replication{'s' if self.replications != 1 else ''} of "
                 f"{', '.join(self.structures)} at each "
                 "point, on common random numbers. Indices are computed on the mean over "
                 f"replications; parameters are ranked by {self.ranked_by}.", ""]
        for s in self.structures:
            if s == self.baseline or self.indices.empty:
                continue
            top = self.top(s)
            lines += [f"## Contribution, {s} minus {self.baseline}: top parameters", "",
                      f"| parameter | {self.ranked_by} | 95 % interval | noise floor | ranked |",
                      "|---|---|---|---|---|"]
            for r in top.itertuples():
                lines.append(f"| {label(r.parameter)} | {_num(r.value)} | {_num(r.ci_low)} "
                             f"to {_num(r.ci_high)} | {_num(r.noise_floor)} | "
                             f"{'yes' if r.above_noise else _why_not(r.noise_floor)} |")
            lines.append("")
        lines += ["## Which structure leads where", ""]
        lines += [f"- {s}" for s in self.sentences()] + [""]
        if len(self.ahead):
            lines += [f"## Where each structure beats {self.baseline}", ""]
            for r in self.ahead.itertuples():
                share = (f"{r.structure} beats {self.baseline} at {_pct(r.share)} of the "
                         f"design points ({r.points_ahead}). ")
                said = r.points_ahead == self.points or r.points_ahead < MIN_WINS
                lines.append(f"- {'' if said else share}{r.sentence}")
            lines.append("")
        if self.warnings:
            lines += ["## Warnings", ""] + [f"- {w}" for w in self.warnings] + [""]
        return "\n".join(lines)

    def save(self, folder: str | Path, charts: bool = True) -> Path:
        """Write tables, ``findings.md`` and charts into ``folder``, replacing what is
        there; the folder is written beside it and renamed into place."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            for name in ("indices", "noise", "best", "winners", "wins", "boxes", "ahead"):
                getattr(self, name).to_csv(tmp / f"{name}.csv", index=False)
            (tmp / "findings.md").write_text(self.markdown(), encoding="utf-8")
            if charts:
                from sim.report.sweep_charts import sweep_charts

                sweep_charts(self, tmp / "charts")
            old = folder.with_name(f".{folder.name}.old")
            if folder.exists():
                os.rename(folder, old)
            os.rename(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return folder


def analyse(source: Sweep | str | Path, measures: tuple[str, ...] = MEASURES,
            baseline: str | None = None, on: str = "contribution",
            confidence: float = 0.95, min_density: float = 0.8,
            seed: int | None = None) -> Sensitivity:
    """Sensitivity indices, replication noise, winners and PRIM boxes of a finished
    sweep. ``baseline``: the structure differences are taken against (default: the
    sweep's); ``on``: the measure that decides which structure wins."""
    sw = source if isinstance(source, Sweep) else open_sweep(source)
    missing = sw.missing()
    if missing:
        raise SweepError(f"{sw.path}: {len(missing)} of {len(sw.design)} design points have "
                         "no results (interrupted or failed); finish the sweep first "
                         "(salesim sweep ... --resume)")
    structures = list(sw.study["structures"])
    baseline = baseline or sw.study.get("baseline") or structures[0]
    if baseline not in structures:
        raise SweepError(f"baseline: {baseline!r} is not among the structures of the sweep "
                         f"({', '.join(structures)})")
    for m in (*measures, on):
        if m not in _measure_columns(sw):
            raise SweepError(f"measure: no column {m!r} in the sweep's runs")
    cols = ", ".join(dict.fromkeys(f'"{m}"' for m in (*measures, on)))
    runs = sw.sql(f"select point, replication, structure, {cols} from runs").df()
    problem = {k: sw.problem[k] for k in ("num_vars", "names", "bounds", "dists")}
    return analyse_frames(sw.study["design"], problem, sw.design, runs, structures, baseline,
                          measures, on, confidence, min_density,
                          int(sw.study["seed"]) if seed is None else seed)


def analyse_frames(method: str, problem: dict, design: pd.DataFrame, runs: pd.DataFrame,
                   structures: list[str], baseline: str,
                   measures: tuple[str, ...] = MEASURES, on: str = "contribution",
                   confidence: float = 0.95, min_density: float = 0.8,
                   seed: int = 0) -> Sensitivity:
    """:func:`analyse` on frames: ``design`` (index ``point``, a column per parameter in
    the order of ``problem['names']``) and ``runs`` (``point``, ``replication``,
    ``structure`` and the measures)."""
    parameters = list(problem["names"])
    x = design[parameters].to_numpy(float)
    replications = int(runs["replication"].nunique())
    rows, noise_rows, notes = [], [], []
    for (s, versus, m), y in outputs(runs, structures, baseline, measures,
                                     design.index).items():
        key = {"structure": s, "versus": versus, "measure": m}
        rows += [{**key, **r} for r in compute_indices(method, problem, x, y, confidence,
                                                         seed)]
        share = noise_share(y)
        noise_rows.append({**key, "noise_share": share, "points": len(y),
                           "replications": y.shape[1]})
        if share > NOISY:
            notes.append(f"{output_name(s, versus, m)}: replication noise makes up {_pct(share)} "
                         "of the variance across the design; add replications before "
                         "reading its indices")
    indices = _rank(pd.DataFrame(rows), RANKED_BY[method])
    for (s, versus, m), f in indices[indices["index"] == RANKED_BY[method]].groupby(
            ["structure", "versus", "measure"], sort=False):
        for group in _unranked(f):
            notes.append(f"{output_name(s, versus, m)}: the order of {group} is not "
                         f"established (their {_pct(confidence)} intervals overlap)")
    if method == "grid":
        notes.insert(0, "a grid design maps where each structure leads; it gives no "
                        "sensitivity indices (use morris, sobol or lhs for those)")
    elif method == "lhs" and len(design) < RBD_MIN_POINTS:
        notes.insert(0, f"RBD-FAST needs at least {RBD_MIN_POINTS} design points; this lhs "
                        f"design has {len(design)}, so it gives no indices")
    if replications < 2:
        notes.insert(0, "one replication per point: replication noise cannot be measured, "
                        "so its share and the noise floors are missing")
    best, win = winners(runs, structures, on)
    for c in parameters:
        win[c] = design[c].reindex(win["point"]).to_numpy()
    return Sensitivity(method=method, baseline=baseline, structures=structures,
                       parameters=parameters, replications=replications,
                       points=len(design), design=design, indices=indices,
                       noise=pd.DataFrame(noise_rows), best=best, winners=win,
                       wins=wins_share(win, structures),
                       boxes=boxes(design, win, structures, min_density),
                       ahead=ahead(design, best, structures, baseline, min_density),
                       warnings=notes)


def _measure_columns(sw: Sweep) -> list[str]:
    """The measures a sweep's runs hold."""
    return [c for c in sw.sql("select * from runs limit 0").columns
            if c not in ("point", "replication", "structure")]
