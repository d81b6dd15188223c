"""Sobol indices computed on the emulator (``salesim sensitivity DIR --emulator``).

A sweep of a few hundred points is too small for Sobol indices read from the
simulation itself (Saltelli's scheme needs N x (k + 2) runs with N in the thousands),
but the emulator's mean answers that many points in seconds. Saltelli's sampling on a
scrambled Sobol' sequence and SALib's estimators (Saltelli et al. 2010; Jansen 1999 for
the total order) give first and total order indices with bootstrap intervals. Those
intervals hold the Monte Carlo error only: the emulator's own error is stated beside
them as its held-out R², and an index of an output whose R² is low is flagged.

Written to ``DIR/sensitivity-emulator``: ``indices.csv``, ``heldout.csv`` and
``findings.md``, which also compares the ranking with the sweep's own one
(``DIR/sensitivity/indices.csv``) when that folder holds indices.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.uncertainties import short_name
from sim.study.emulator import Emulator
from sim.study.staging import swap_into_place, temporary_folder

BASE_SAMPLES = 4096  # N: the design has N x (k + 2) emulator points
TRUSTED_R2 = 0.9  # below this held-out R², an output's indices are flagged


def sobol_indices(em: Emulator, problem: dict, keys: list[str] | None = None,
                  n: int = BASE_SAMPLES, seed: int = 0, confidence: float = 0.95
                  ) -> pd.DataFrame:
    """S1 and ST with their intervals for each output ``keys`` (default: all), on the
    emulator's mean over the sweep's distributions (``problem``, SALib's definition)."""
    from SALib.analyze import sobol
    from SALib.sample import sobol as sample

    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    x = np.clip(x, em.low, em.high)  # a distribution's tail beyond the trained box
    r2 = {o["key"]: o["r2"] for o in em.outputs}
    rows = []
    for key in keys or em.keys:
        y = em.mean_function(key)(x)
        si = sobol.analyze(problem, y, calc_second_order=False, conf_level=confidence,
                           seed=seed)
        for i, p in enumerate(problem["names"]):
            for index in ("S1", "ST"):
                half = float(si[f"{index}_conf"][i])
                rows.append({"key": key, "parameter": p, "index": index,
                             "value": float(si[index][i]), "ci_low": float(si[index][i]) - half,
                             "ci_high": float(si[index][i]) + half, "heldout_r2": r2[key],
                             "trusted": bool(r2[key] >= TRUSTED_R2)})
    return pd.DataFrame(rows)


def ranking(indices: pd.DataFrame, measure: str = "contribution", index: str = "ST"
            ) -> pd.Series:
    """Parameters ordered by ``index`` averaged over the differences against the baseline
    of ``measure`` (each output scaled to its largest index)."""
    f = indices[(indices["index"] == index) & indices["key"].str.startswith(f"{measure}:")
                & indices["versus"].astype(bool)]
    scaled = f["value"] / f.groupby("key")["value"].transform("max").replace(0, 1)
    return scaled.groupby(f["parameter"]).mean().sort_values(ascending=False)


def sweep_ranking(folder: Path, measure: str = "contribution") -> tuple[str, pd.Series] | None:
    """The sweep's own ranking from ``folder/sensitivity/indices.csv``, if any."""
    path = folder / "sensitivity" / "indices.csv"
    if not path.exists():
        return None
    f = pd.read_csv(path, keep_default_na=False)
    if f.empty:
        return None
    index = next((i for i in ("mu_star", "ST", "S1") if i in set(f["index"])), None)
    if index is None:
        return None
    f = f[(f["index"] == index) & (f["measure"] == measure) & (f["versus"] != "")]
    f = f.assign(value=pd.to_numeric(f["value"], errors="coerce"))
    scaled = f["value"] / f.groupby("structure")["value"].transform("max").replace(0, 1)
    return index, scaled.groupby(f["parameter"]).mean().sort_values(ascending=False)


def markdown(em: Emulator, indices: pd.DataFrame, own: tuple[str, pd.Series] | None,
             top: int = 6) -> str:
    """findings.md: the ranking, each contribution difference's top parameters with the
    held-out error beside them, and how the ranking compares with the sweep's own."""
    meta = em.meta
    lines = ["# Sobol indices on the emulator", "",
             f"Emulator fitted on {meta.get('points', '?')} design points of a "
             f"{meta.get('design', '?')} sweep; indices from its mean at "
             f"{indices.attrs.get('evaluations', '?'):,} points (Saltelli's scheme). "
             "Intervals: 95 % bootstrap, Monte Carlo error only; the emulator's error is "
             f"its held-out R² (5-fold), beside each output. Outputs under R² "
             f"{TRUSTED_R2} are flagged: read their indices as rough.", ""]
    ours = ranking(indices)
    lines += ["## Ranking over the contribution differences (total order)", ""]
    lines += [f"{i + 1}. {short_name(p)}: {v:.2f}" for i, (p, v) in
              enumerate(ours.head(top).items())] + [""]
    for key, f in indices[indices["versus"].astype(bool)
                          & indices["key"].str.startswith("contribution:")].groupby(
            "key", sort=False):
        r2 = f["heldout_r2"].iloc[0]
        flag = "" if r2 >= TRUSTED_R2 else " (below the trusted R², rough)"
        lines += [f"## {key}: held-out R² {r2:.2f}{flag}", "",
                  "| parameter | S1 | 95 % interval | ST | 95 % interval |",
                  "|---|---|---|---|---|"]
        wide = f.pivot(index="parameter", columns="index", values=["value", "ci_low", "ci_high"])
        wide = wide.sort_values(("value", "ST"), ascending=False).head(top)
        for p, r in wide.iterrows():
            lines.append(f"| {short_name(p)} | {r[('value', 'S1')]:.3f} | "
                         f"{r[('ci_low', 'S1')]:.3f} to {r[('ci_high', 'S1')]:.3f} | "
                         f"{r[('value', 'ST')]:.3f} | {r[('ci_low', 'ST')]:.3f} to "
                         f"{r[('ci_high', 'ST')]:.3f} |")
        lines.append("")
    if own is not None:
        index, theirs = own
        common = [p for p in ours.index if p in theirs.index]
        rho = pd.Series(ours[common]).rank().corr(pd.Series(theirs[common]).rank())
        lines += [f"## Against the sweep's own ranking ({index})", "",
                  f"Spearman rank correlation over {len(common)} parameters: {rho:.2f}. "
                  f"Top {min(top, len(common))} by the emulator: "
                  f"{', '.join(short_name(p) for p in ours.index[:top])}; by the sweep: "
                  f"{', '.join(short_name(p) for p in theirs.index[:top])}.", ""]
        moved = [p for p in ours.index[:top] if p not in set(theirs.index[:top])]
        if moved:
            lines += [f"In the emulator's top {top} only: "
                      f"{', '.join(short_name(p) for p in moved)}. Total order counts "
                      "interactions that a first-order or screening index does not, and "
                      "the sweep's own indices carry its replication noise.", ""]
    return "\n".join(lines)


def write_sensitivity(em: Emulator, problem: dict, folder: str | Path, sweep_folder: Path,
                      n: int = BASE_SAMPLES, seed: int = 0) -> tuple[Path, pd.DataFrame]:
    """Compute and write the emulator's Sobol indices into ``folder`` (replaced
    atomically); returns the folder and the indices."""
    indices = sobol_indices(em, problem, n=n, seed=seed)
    names = {o["key"]: o for o in em.outputs}
    indices.insert(1, "structure", [names[k]["structure"] for k in indices["key"]])
    indices.insert(2, "versus", [names[k]["versus"] for k in indices["key"]])
    indices.insert(3, "measure", [names[k]["measure"] for k in indices["key"]])
    indices.attrs["evaluations"] = n * (problem["num_vars"] + 2)
    text = markdown(em, indices, sweep_ranking(sweep_folder))
    folder = Path(folder)
    tmp = temporary_folder(folder, suffix="")
    try:
        indices.to_csv(tmp / "indices.csv", index=False)
        em.heldout().to_csv(tmp / "heldout.csv", index=False)
        (tmp / "findings.md").write_text(text, encoding="utf-8")
        swap_into_place(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder, indices
