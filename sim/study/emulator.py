"""An emulator of the simulation: a Gaussian process per output, fitted on a sweep, that
answers a point of the uncertainties in milliseconds with an interval.

Outputs are those the sweep's sensitivity analysis reads (:func:`sim.study.indices.outputs`):
each structure's revenue, new clients and contribution, and each structure's paired
difference against the baseline (replication by replication, on common random numbers),
averaged over the replications of a design point. Inputs are scaled to [0, 1] over the
box the design covered. Each output gets scikit-learn's ``GaussianProcessRegressor``
with a constant times an anisotropic Matern 5/2 kernel plus a white-noise term for the
replication noise left in a point's mean (Rasmussen and Williams 2006, ch. 4 and 5),
``normalize_y`` on.

How sure it is comes from held-out points: a K-fold cross-validation (5 folds) gives per
output the R² on points the fit never saw, the root mean squared error in the output's
own unit and the share of held-out points inside their 90 % interval. The interval is
the predictive one, noise term included: it is meant to hold what the sweep would have
recorded at the point.

Saved as a folder (``SWEEP_DIR/emulator``): ``emulator.json`` (parameters, box, each
output's fitted kernel hyperparameters and held-out error) and ``training.parquet``
(the scaled inputs and the outputs). Loading refits each process with its saved
hyperparameters and no optimiser, which is exact and takes well under a second: no
pickle is read.
"""

from __future__ import annotations

import json
import math
import shutil
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.study.indices import outputs as sweep_outputs
from sim.study.staging import swap_into_place, temporary_folder
from sim.study.sweep_dataset import Sweep, open_sweep
from sim.study.sweep_design import SweepError

MEASURES = ("revenue", "new_clients", "contribution")
FOLDS = 5
LEVEL = 0.90  # the emulator's intervals: 90 %
Z = 1.6448536269514722  # the standard normal's 95th percentile
FORMAT = 1  # emulator.json's layout


class OutsideBox(ValueError):
    """A point outside the box the emulator was trained on; names each parameter."""


def output_key(structure: str, versus: str, measure: str) -> str:
    """An output's name: ``contribution:staged-2`` or ``contribution:staged-2-classic``."""
    return f"{measure}:{structure}" + (f"-{versus}" if versus else "")


def quiet_fit(gp, x: np.ndarray, y: np.ndarray):
    """``gp.fit`` without sklearn's ConvergenceWarning: a length scale at its upper bound
    is the expected answer for a parameter the output does not depend on."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return gp.fit(x, y)


def _kernel(k: int):
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    return (ConstantKernel(1.0, (1e-3, 1e3))
            * Matern(length_scale=np.full(k, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5)
            + WhiteKernel(0.1, (1e-6, 1.0)))


def _process(k: int, theta: np.ndarray | None = None, seed: int = 0):
    """A Gaussian process on ``k`` scaled inputs: fitted from scratch (``theta`` None;
    no restart, the folds start from its answer) or with fixed hyperparameters
    ``theta`` (log scale, as sklearn keeps them)."""
    from sklearn.gaussian_process import GaussianProcessRegressor

    kernel = _kernel(k)
    if theta is not None:
        return GaussianProcessRegressor(kernel.clone_with_theta(np.asarray(theta)),
                                        optimizer=None, normalize_y=True)
    return GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=0,
                                    random_state=seed)


def _warm(k: int, theta: np.ndarray):
    """A process whose optimiser starts from ``theta`` (the cross-validation's folds)."""
    from sklearn.gaussian_process import GaussianProcessRegressor

    return GaussianProcessRegressor(_kernel(k).clone_with_theta(np.asarray(theta)),
                                    normalize_y=True, n_restarts_optimizer=0)


def heldout_scores(y: np.ndarray, mean: np.ndarray, sd: np.ndarray) -> dict[str, float]:
    """R², RMSE and the share inside the 90 % interval of held-out values ``y``."""
    resid = y - mean
    total = float(((y - y.mean()) ** 2).sum())
    return {"r2": 1.0 - float((resid ** 2).sum()) / total if total > 0 else float("nan"),
            "rmse": float(np.sqrt((resid ** 2).mean())),
            "coverage": float((np.abs(resid) <= Z * sd).mean()),
            "sd_output": float(y.std(ddof=1)) if len(y) > 1 else float("nan")}


def cross_validate(x: np.ndarray, y: np.ndarray, theta: np.ndarray | None = None,
                   folds: int = FOLDS, seed: int = 0) -> dict[str, float]:
    """Held-out error of a process on scaled inputs ``x``: each fold predicted by a fit on
    the others (its optimiser started from ``theta`` when given)."""
    from sklearn.model_selection import KFold

    mean, sd = np.empty(len(y)), np.empty(len(y))
    for train, test in KFold(min(folds, len(y)), shuffle=True, random_state=seed).split(x):
        gp = (_warm(x.shape[1], theta) if theta is not None
              else _process(x.shape[1], seed=seed))
        quiet_fit(gp, x[train], y[train])
        mean[test], sd[test] = gp.predict(x[test], return_std=True)
    return heldout_scores(y, mean, sd)


@dataclass
class Emulator:
    """Gaussian processes of a sweep's outputs over its parameters (:func:`fit`)."""

    parameters: list[str]
    low: np.ndarray  # the box trained on: the design's smallest and largest values
    high: np.ndarray
    outputs: list[dict]  # key, structure, versus, measure, theta, r2, rmse, coverage
    x: np.ndarray  # scaled training inputs
    y: np.ndarray  # training outputs, one column per output
    meta: dict = field(default_factory=dict)
    _fitted: dict = field(default_factory=dict, repr=False)

    @property
    def keys(self) -> list[str]:
        return [o["key"] for o in self.outputs]

    def heldout(self) -> pd.DataFrame:
        """The held-out error per output (R², RMSE in its unit, 90 % coverage)."""
        cols = ["key", "structure", "versus", "measure", "r2", "rmse", "coverage",
                "sd_output", "noise_share"]
        return pd.DataFrame([{c: o.get(c) for c in cols} for o in self.outputs])

    def outside(self, point: dict[str, float]) -> list[str]:
        """Each parameter of ``point`` outside the training box, in words (empty: inside)."""
        out = []
        for i, p in enumerate(self.parameters):
            v = float(point[p])
            if not self.low[i] - 1e-9 <= v <= self.high[i] + 1e-9:
                out.append(f"{p}: {v:g} is outside the range the emulator was trained on "
                           f"[{self.low[i]:g}, {self.high[i]:g}]")
        return out

    def scale(self, points: pd.DataFrame | np.ndarray) -> np.ndarray:
        x = (points[self.parameters].to_numpy(float) if isinstance(points, pd.DataFrame)
             else np.atleast_2d(np.asarray(points, float)))
        return (x - self.low) / (self.high - self.low)

    def process(self, key: str):
        """The fitted process of one output (refitted from the saved hyperparameters)."""
        if key not in self._fitted:
            j = self.keys.index(key)
            gp = _process(self.x.shape[1], np.asarray(self.outputs[j]["theta"]))
            self._fitted[key] = quiet_fit(gp, self.x, self.y[:, j])
        return self._fitted[key]

    def predict(self, points: pd.DataFrame | dict[str, float], keys: list[str] | None = None,
                strict: bool = True) -> pd.DataFrame:
        """Mean, sd and 90 % interval of each output at each point (rows: point x
        output). ``strict``: a point outside the training box raises :class:`OutsideBox`;
        else it is answered and flagged in the column ``outside``."""
        frame = pd.DataFrame([points]) if isinstance(points, dict) else points
        missing = [p for p in self.parameters if p not in frame.columns]
        if missing:
            raise ValueError(f"point: no value for {missing[0]!r}")
        flags = [self.outside(r) for r in frame[self.parameters].to_dict("records")]
        if strict and any(flags):
            raise OutsideBox("; ".join(next(f for f in flags if f)))
        x = self.scale(frame)
        rows = []
        for key in keys or self.keys:
            mean, sd = self.process(key).predict(x, return_std=True)
            for i in range(len(x)):
                rows.append({"point": i, "key": key, "mean": float(mean[i]),
                             "sd": float(sd[i]), "low": float(mean[i] - Z * sd[i]),
                             "high": float(mean[i] + Z * sd[i]), "outside": bool(flags[i])})
        return pd.DataFrame(rows)

    def mean_function(self, key: str):
        """``f(x)`` for an array of unscaled points: the output's mean (for Sobol)."""
        gp = self.process(key)
        return lambda x: gp.predict(self.scale(x))

    def save(self, folder: str | Path) -> Path:
        """Write ``emulator.json``, ``training.parquet`` and ``heldout.csv`` into
        ``folder``, replacing it; written beside it and renamed into place."""
        folder = Path(folder)
        tmp = temporary_folder(folder, suffix="")
        try:
            frame = pd.DataFrame(self.x, columns=self.parameters)
            for j, key in enumerate(self.keys):
                frame[key] = self.y[:, j]
            frame.to_parquet(tmp / "training.parquet", index=False)
            self.heldout().to_csv(tmp / "heldout.csv", index=False)
            doc = {"format": FORMAT, "parameters": self.parameters,
                   "low": self.low.tolist(), "high": self.high.tolist(),
                   "level": LEVEL, "outputs": self.outputs, "meta": self.meta}
            (tmp / "emulator.json").write_text(json.dumps(doc, indent=1, default=float),
                                               encoding="utf-8")
            swap_into_place(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return folder


def load_emulator(folder: str | Path) -> Emulator:
    """An emulator saved by :meth:`Emulator.save`, or a SweepError naming the file."""
    folder = Path(folder)
    path = folder / "emulator.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        frame = pd.read_parquet(folder / "training.parquet")
        keys = [o["key"] for o in doc["outputs"]]
        x = frame[doc["parameters"]].to_numpy(float)
        y = frame[keys].to_numpy(float)
    except FileNotFoundError as err:
        raise SweepError(f"{folder}: no emulator here ({Path(err.filename).name} missing); "
                         "fit one with `salesim emulate SWEEP_DIR`") from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SweepError(f"{folder}: damaged emulator ({err}); fit it again with "
                         "`salesim emulate SWEEP_DIR`") from None
    if doc.get("format") != FORMAT:
        raise SweepError(f"{path}: format {doc.get('format')!r}, this salesim reads "
                         f"{FORMAT}; fit it again with `salesim emulate SWEEP_DIR`")
    return Emulator(list(doc["parameters"]), np.asarray(doc["low"], float),
                    np.asarray(doc["high"], float), list(doc["outputs"]), x, y,
                    dict(doc.get("meta", {})))


def training_frames(sw: Sweep, measures: tuple[str, ...] = MEASURES,
                    baseline: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The design of a finished sweep and its outputs, each a points x replications
    array keyed (structure, versus, measure)."""
    missing = sw.missing()
    if missing:
        raise SweepError(f"{sw.path}: {len(missing)} of {len(sw.design)} design points have "
                         "no results; finish the sweep first (salesim sweep ... --resume)")
    structures = list(sw.study["structures"])
    baseline = baseline or sw.study.get("baseline") or structures[0]
    cols = ", ".join(f'"{m}"' for m in measures)
    runs = sw.sql(f"select point, replication, structure, {cols} from runs").df()
    return sw.design, sweep_outputs(runs, structures, baseline, measures, sw.design.index)


def fit_arrays(parameters: list[str], design: np.ndarray, ys: dict[str, np.ndarray],
               names: dict[str, tuple[str, str, str]] | None = None, seed: int = 0,
               progress=None) -> Emulator:
    """An emulator of outputs ``ys`` (key -> values at the design's rows) over the
    unscaled ``design`` (rows x parameters), with each output's held-out error."""
    design = np.asarray(design, float)
    if len(design) < 2 * FOLDS:
        raise SweepError(f"points: the sweep has {len(design)} design points; an emulator "
                         f"needs at least {2 * FOLDS} (a few hundred for a close fit)")
    low, high = design.min(axis=0), design.max(axis=0)
    flat = [parameters[i] for i in np.flatnonzero(high <= low)]
    if flat:
        raise SweepError(f"design: {flat[0]} takes one value only; nothing to learn")
    x = (design - low) / (high - low)
    out, cols = [], []
    for n, (key, y) in enumerate(ys.items()):
        y = np.asarray(y, float)
        gp = quiet_fit(_process(x.shape[1], seed=seed), x, y)
        theta = gp.kernel_.theta
        scores = cross_validate(x, y, seed=seed)  # each fold fitted afresh: honest
        s, v, m = (names or {}).get(key, (key, "", ""))
        # the white-noise term on the normalised output: the share of its variance the
        # fit leaves to noise (near 0: it interpolates the points, their noise included)
        out.append({"key": key, "structure": s, "versus": v, "measure": m,
                    "theta": theta.tolist(), **scores,
                    "noise_share": float(min(1.0, np.exp(theta[-1])))})
        cols.append(y)
        if progress is not None:
            progress(n + 1, len(ys))
    return Emulator(list(parameters), low, high, out, x, np.column_stack(cols))


def fit(source: Sweep | str | Path, measures: tuple[str, ...] = MEASURES,
        baseline: str | None = None, seed: int = 0, progress=None) -> Emulator:
    """Fit the emulator of a finished sweep: one process per output (each structure's
    measures and their differences against the baseline), on the mean over the
    replications of each design point."""
    sw = source if isinstance(source, Sweep) else open_sweep(source)
    start = time.perf_counter()
    design, arrays = training_frames(sw, measures, baseline)
    ys = {output_key(*k): a.mean(axis=1) for k, a in arrays.items()}
    names = {output_key(*k): k for k in arrays}
    em = fit_arrays(sw.parameters, design[sw.parameters].to_numpy(float), ys, names, seed,
                    progress)
    reps = next(iter(arrays.values())).shape[1]
    em.meta = {"sweep": str(sw.path), "design": sw.study["design"], "points": len(design),
               "replications": int(reps), "structures": list(sw.study["structures"]),
               "baseline": baseline or sw.study.get("baseline") or sw.study["structures"][0],
               "seed": int(sw.study["seed"]), "folds": FOLDS,
               "fit_seconds": round(time.perf_counter() - start, 1)}
    return em


def weakest(em: Emulator, measure: str = "contribution") -> float:
    """The lowest held-out R² among the differences against the baseline of ``measure``."""
    r2 = [o["r2"] for o in em.outputs if o["versus"] and o["measure"] == measure]
    return min(r2) if r2 else math.nan
