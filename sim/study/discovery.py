"""Scenario discovery over a sweep: which structure comes out ahead at each design
point, and the region of the parameters where it does.

At each point the structure with the highest mean contribution wins
(:func:`winners`, with the probability of being best across replications); the share
of the design each wins (:func:`wins_share`); and PRIM boxes (the EMA workbench's) of
the parameter region where a structure leads (:func:`boxes`) or beats the baseline
(:func:`ahead`), each said in a plain sentence. Used by :mod:`sim.study.sensitivity`.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd

from sim.config.uncertainties import short_name as label

MIN_WINS = 5  # fewer winning points than this make no box
QP_MAX = 0.05  # a box limit whose quasi-p-value is above this is dropped


def short_number(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def percent(share: float) -> str:
    return f"{100 * share:.0f} %"


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
            parts.append(f"{name} is between {short_number(lo)} and {short_number(hi)}")
        elif lo > lo0:
            parts.append(f"{name} is at least {short_number(lo)}")
        elif hi < hi0:
            parts.append(f"{name} is at most {short_number(hi)}")
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
                f"at {percent(min_density)} of the points or more (it does at {n} of "
                f"{len(y)} points).")})
            continue
        text, limits, cov, dens, inside = found
        rows.append({**row, "coverage": cov, "density": dens, "points_in_box": inside,
                     "limits": json.dumps(limits),
                     "sentence": f"{s} {phrase} when {text} (covers {percent(cov)} of "
                                 f"{held.format(n=n)} at {percent(dens)} of the {inside} "
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
