"""The emulator's held-out error against the number of design points, and a Gaussian
process against gradient boosting (quantile loss for the 5 %, 50 % and 95 % points) on
the same folds. Run on a finished lhs sweep:

    nice .venv/bin/python benchmarks/emulator.py results/default-lhs240 \
        --points 60,120,240 --measure contribution

Prints, for each size and each paired difference of ``--measure`` against the baseline,
the 5-fold held-out R², RMSE and the share of held-out points inside the 90 % interval.
Points are the sweep's first N (an lhs design's prefix is not itself a Latin hypercube,
but it is spread over the box).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from sim.study.emulator import (
    cross_validate,
    heldout_scores,
    output_key,
    training_frames,
)
from sim.study.sweep_dataset import open_sweep


def boosting_heldout(x: np.ndarray, y: np.ndarray, seed: int = 0) -> dict[str, float]:
    """5-fold held-out error of gradient boosting, its 90 % interval from the 5 % and 95 %
    quantile fits (sd read back as half the width over 1.645, for the same coverage
    rule)."""
    from sklearn.ensemble import GradientBoostingRegressor
    from sklearn.model_selection import KFold

    mean, sd = np.empty(len(y)), np.empty(len(y))
    for train, test in KFold(5, shuffle=True, random_state=seed).split(x):
        fits = {a: GradientBoostingRegressor(loss="quantile", alpha=a, n_estimators=200,
                                             max_depth=2, learning_rate=0.05,
                                             subsample=0.8, random_state=seed
                                             ).fit(x[train], y[train])
                for a in (0.05, 0.95)}
        mid = GradientBoostingRegressor(n_estimators=200, max_depth=2, learning_rate=0.05,
                                        subsample=0.8, random_state=seed).fit(x[train],
                                                                              y[train])
        mean[test] = mid.predict(x[test])
        sd[test] = np.maximum(fits[0.95].predict(x[test]) - fits[0.05].predict(x[test]),
                              0) / (2 * 1.6448536269514722)
    return heldout_scores(y, mean, sd)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweep")
    ap.add_argument("--points", default="60,120,240")
    ap.add_argument("--measure", default="contribution")
    ap.add_argument("--no-boosting", action="store_true")
    args = ap.parse_args()
    sw = open_sweep(args.sweep)
    design, arrays = training_frames(sw)
    x_all = design[sw.parameters].to_numpy(float)
    keys = [k for k in arrays if k[1] and k[2] == args.measure]
    print(f"{'points':>6} {'output':<44} {'model':<8} {'R²':>6} {'RMSE':>12} "
          f"{'cover90':>7} {'seconds':>7}")
    for n in [int(v) for v in args.points.split(",")]:
        n = min(n, len(x_all))
        x = x_all[:n]
        x = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
        for k in keys:
            y = arrays[k][:n].mean(axis=1)
            models = [("gp", cross_validate)]
            if not args.no_boosting:
                models.append(("boosting", boosting_heldout))
            for name, run in models:
                start = time.perf_counter()
                s = run(x, y)
                print(f"{n:>6} {output_key(*k):<44} {name:<8} {s['r2']:>6.3f} "
                      f"{s['rmse']:>12,.0f} {s['coverage']:>7.0%} "
                      f"{time.perf_counter() - start:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
