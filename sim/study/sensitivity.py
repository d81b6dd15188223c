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

The parts live beside this module: the indices and the noise in
:mod:`sim.study.indices`, the winners and the boxes in :mod:`sim.study.discovery`.
Here is the :class:`Sensitivity` result, its markdown and its files, and
:func:`analyse`. Charts are the report's (:func:`sim.report.sweep_charts.write_charts`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.config.uncertainties import group_of
from sim.config.uncertainties import short_name as label
from sim.study.discovery import MIN_WINS, ahead, boxes, winners, wins_share
from sim.study.discovery import percent as _pct
from sim.study.discovery import short_number as _num
from sim.study.indices import (
    RBD_MIN_POINTS,
    compute_indices,
    noise_share,
    output_name,
    outputs,
    rank,
    unranked,
)
from sim.study.staging import swap_into_place, temporary_folder
from sim.study.sweep_dataset import Sweep, open_sweep
from sim.study.sweep_design import SweepError

MEASURES = ("revenue", "new_clients", "contribution")
#: The index each design ranks parameters by.
RANKED_BY = {"morris": "mu_star", "sobol": "ST", "lhs": "S1", "grid": "S1"}
NOISY = 0.5  # a noise share above this makes an output's indices unreliable


def _why_not(floor: float) -> str:
    return "no: its interval reaches 0" if floor != floor else "no: within noise"


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
    grouped: bool = False  # the indices score groups of parameters, named in `parameter`

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
        groups = (f" in {self.indices['group'].nunique()} groups, screened by group"
                  if self.grouped else "")
        lines = [f"# Sensitivity of a {self.method} sweep", "",
                 f"{self.points} design points over {len(self.parameters)} parameters"
                 f"{groups}, "
                 f"{self.replications} replication{'s' if self.replications != 1 else ''} of "
                 f"{', '.join(self.structures)} at each "
                 "point, on common random numbers. Indices are computed on the mean over "
                 f"replications; {'groups' if self.grouped else 'parameters'} are ranked "
                 f"by {self.ranked_by}.", ""]
        head = "| group |" if self.grouped else "| parameter | group |"
        for s in self.structures:
            if s == self.baseline or self.indices.empty:
                continue
            top = self.top(s)  # the ranked ones first, by rank; then the others
            top = top.assign(_r=top["rank"].astype(float).fillna(float("inf"))).sort_values(
                ["_r", "value"], ascending=[True, False])
            lines += [f"## Contribution, {s} minus {self.baseline}: top "
                      f"{'groups' if self.grouped else 'parameters'}", "",
                      f"{head} {self.ranked_by} | 95 % interval | noise floor | ranked |",
                      "|---" * (head.count("|") + 3) + "|"]
            for r in top.itertuples():
                name = label(r.parameter) + ("" if self.grouped else f" | {r.group}")
                lines.append(f"| {name} | {_num(r.value)} | {_num(r.ci_low)} "
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

    def save(self, folder: str | Path, extra: Callable[[Path], object] | None = None
             ) -> Path:
        """Write the tables and ``findings.md`` into ``folder``, replacing what is there;
        the folder is written beside it and renamed into place. ``extra``, if given, is
        called with the temporary folder before the rename, to write more files into it
        (the CLI draws the charts there with :func:`sim.report.sweep_charts.write_charts`)."""
        folder = Path(folder)
        tmp = temporary_folder(folder, suffix="")
        try:
            for name in ("indices", "noise", "best", "winners", "wins", "boxes", "ahead"):
                getattr(self, name).to_csv(tmp / f"{name}.csv", index=False)
            (tmp / "findings.md").write_text(self.markdown(), encoding="utf-8")
            if extra is not None:
                extra(tmp)
            swap_into_place(tmp, folder)
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
    missing = sw.missing()  # reads design.parquet: a damaged one is named here
    if missing:
        raise SweepError(f"{sw.path}: {len(missing)} of {len(sw.design)} design points have "
                         "no results (interrupted or failed); finish the sweep first "
                         "(salesim sweep ... --resume)")
    sw.check_parts("runs")
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
    problem = {k: sw.problem[k] for k in ("num_vars", "names", "bounds", "dists",
                                          "groups", "parameter_groups") if k in sw.problem}
    return analyse_frames(sw.study["design"], problem, sw.design, runs, structures, baseline,
                          measures, on, confidence, min_density,
                          int(sw.study["seed"]) if seed is None else seed)


def analyse_frames(method: str, problem: dict, design: pd.DataFrame, runs: pd.DataFrame,
                   structures: list[str], baseline: str,
                   measures: tuple[str, ...] = MEASURES, on: str = "contribution",
                   confidence: float = 0.95, min_density: float = 0.8,
                   seed: int = 0) -> Sensitivity:
    """:func:`analyse` on frames: ``design`` (index ``point``, a column per parameter in
    the order of ``problem['names']``; its ``groups``, when given, make the indices score
    groups) and ``runs`` (``point``, ``replication``,
    ``structure`` and the measures)."""
    parameters = list(problem["names"])
    grouped = bool(problem.get("groups"))
    member = dict(zip(parameters, problem.get("parameter_groups")
                      or [group_of(p, None) for p in parameters], strict=True))
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
    frame = pd.DataFrame(rows)
    if len(frame):
        frame["group"] = frame["parameter"] if grouped else frame["parameter"].map(member)
    indices = rank(frame, RANKED_BY[method])
    for (s, versus, m), f in indices[indices["index"] == RANKED_BY[method]].groupby(
            ["structure", "versus", "measure"], sort=False):
        for group in unranked(f):
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
    # The point's parameters as columns in one concat: 135 inserted one by one would
    # fragment the frame (a pandas PerformanceWarning per output).
    win = pd.concat([win.reset_index(drop=True),
                     design[parameters].reindex(win["point"]).reset_index(drop=True)], axis=1)
    return Sensitivity(method=method, baseline=baseline, structures=structures,
                       parameters=parameters, replications=replications,
                       points=len(design), design=design, indices=indices,
                       noise=pd.DataFrame(noise_rows), best=best, winners=win,
                       wins=wins_share(win, structures),
                       boxes=boxes(design, win, structures, min_density),
                       ahead=ahead(design, best, structures, baseline, min_density),
                       warnings=notes, grouped=grouped)


def _measure_columns(sw: Sweep) -> list[str]:
    """The measures a sweep's runs hold."""
    return [c for c in sw.sql("select * from runs limit 0").columns
            if c not in ("point", "replication", "structure")]
