"""What a comparison's ranking rests on: the assumptions (or groups of them) that move
each structure's contribution difference against the baseline most in a Morris
screening of the same scenario (a ``salesim sweep`` folder with its ``sensitivity/``).

Read from ``DIR/sensitivity/indices.csv`` (:mod:`sim.study.sensitivity`): rows with
``index == "mu_star"``, ``measure == "contribution"`` and ``versus`` the baseline. A
parameter's weight is its largest mu* over the structures compared (mu* is in money,
the mean absolute elementary effect on the difference, so structures compare on one
scale). Only parameters whose interval clears the noise floor are named, unless none
does; then the largest are named, each said to be within the noise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Where a scenario's screening is looked for when none is named: ``<this>/<file stem>``.
SCREENINGS = Path("results") / "screenings"


def default_screening(scenario_file: str | Path) -> Path:
    """The folder ``salesim compare`` reads a scenario's screening from by default."""
    return SCREENINGS / Path(scenario_file).stem


def screening_command(scenario_file: str | Path) -> str:
    """The command that makes the default screening of a scenario file."""
    return (f"salesim sweep {scenario_file} --design morris --out "
            f"{default_screening(scenario_file)}")


def rests_on(folder: str | Path, structures: list[str], baseline: str,
             top: int = 3) -> list[dict]:
    """The ``top`` parameters (or groups) with the largest mu* of a structure's
    contribution difference against ``baseline``: dicts of ``parameter``, ``group``,
    ``structure`` (where the effect is largest), ``mu_star``, ``ci_low``, ``ci_high``,
    ``noise_floor`` and ``above_noise``. Raises ``ValueError`` naming what is missing."""
    path = Path(folder) / "sensitivity" / "indices.csv"
    if not path.is_file():
        raise ValueError(f"{folder}: no sensitivity/indices.csv (run salesim sweep, or "
                         f"salesim sensitivity {folder})")
    f = pd.read_csv(path)
    f = f[(f["index"] == "mu_star") & (f["measure"] == "contribution")
          & (f["versus"] == baseline) & f["structure"].isin(structures)]
    if f.empty:
        raise ValueError(f"{folder}: no Morris mu* of a contribution difference against "
                         f"{baseline} for {', '.join(s for s in structures if s != baseline)}"
                         " (a morris sweep with the same baseline is needed)")
    f = f.assign(above_noise=f["above_noise"].astype(str).str.lower().isin(("true", "1")))
    best = f.sort_values("value", ascending=False).drop_duplicates("parameter")
    if best["above_noise"].any():  # name only what clears the noise, when anything does
        best = best[best["above_noise"]]
    best = best.sort_values("value", ascending=False).head(top)
    return [{"parameter": str(r.parameter),
             "group": str(getattr(r, "group", "")) if pd.notna(getattr(r, "group", None))
             else "",
             "structure": str(r.structure), "mu_star": float(r.value),
             "ci_low": float(r.ci_low), "ci_high": float(r.ci_high),
             "noise_floor": float(r.noise_floor), "above_noise": bool(r.above_noise)}
            for r in best.itertuples()]
