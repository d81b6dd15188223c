"""``salesim emulate SWEEP_DIR``: fit the emulator of a finished sweep into
``SWEEP_DIR/emulator`` and print its held-out error per output; and the
``--emulator`` form of ``salesim sensitivity`` (Sobol indices on it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import err_console, out_console
from sim.cli.options import QuietOpt, refuse
from sim.cli.progress import reporting

SweepArg = Annotated[Path, typer.Argument(help="A finished sweep folder.")]


def heldout_lines(em, differences_of: str | None = None) -> list[str]:
    """The held-out error of each output, one line each (differences first); only the
    differences against the baseline of one measure with ``differences_of``."""
    f = em.heldout()
    if differences_of is not None:
        f = f[(f["versus"] != "") & (f["measure"] == differences_of)]
    f = f.assign(_d=f["versus"] == "").sort_values(["_d", "measure", "structure"])
    return [f"  {r.key:<44} R² {r.r2:6.3f}  RMSE {r.rmse:>12,.0f}  "
            f"90 % coverage {r.coverage:4.0%}" for r in f.itertuples()]


def emulate(
    folder: SweepArg,
    baseline: Annotated[str | None, typer.Option(
        help="Structure the differences are taken against (default: the sweep's).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Fit an emulator (a Gaussian process per output) of a finished sweep into
    DIR/emulator and print its held-out error."""
    from sim.study.emulator import fit
    from sim.study.sweep_design import SweepError

    if not folder.is_dir():
        raise refuse(f"{folder}: no such sweep folder")
    try:
        with reporting("outputs fitted", 0, quiet, err_console) as update:
            em = fit(folder, baseline=baseline, progress=update)
    except SweepError as err:
        raise refuse(str(err)) from None
    path = em.save(folder / "emulator")
    if not quiet:
        out_console.print(f"held-out error ({em.meta['folds']}-fold, "
                          f"{em.meta['points']} points):", highlight=False)
        for line in heldout_lines(em):
            out_console.print(line, highlight=False, markup=False, soft_wrap=True)
        out_console.print(f"emulator written to {path}", highlight=False)


def load_or_fit(folder: Path, quiet: bool = False):
    """The sweep's saved emulator, fitted first (and saved) when there is none."""
    from sim.study.emulator import fit, load_emulator
    from sim.study.sweep_design import SweepError

    try:
        if (folder / "emulator" / "emulator.json").exists():
            return load_emulator(folder / "emulator")
        if not quiet:
            err_console.print(f"{folder}: no emulator yet; fitting one (salesim emulate)",
                              highlight=False)
        em = fit(folder)
        em.save(folder / "emulator")
        return em
    except SweepError as err:
        raise refuse(str(err)) from None


def sensitivity_on_emulator(folder: Path, samples: int, quiet: bool) -> None:
    """Sobol indices on the sweep's emulator into DIR/sensitivity-emulator."""
    from sim.study.emulator_sobol import ranking, write_sensitivity
    from sim.study.sweep_dataset import open_sweep
    from sim.study.sweep_design import SweepError

    em = load_or_fit(folder, quiet)
    try:
        problem = open_sweep(folder).problem
    except SweepError as err:
        raise refuse(str(err)) from None
    path, indices = write_sensitivity(em, problem, folder / "sensitivity-emulator", folder,
                                      n=samples)
    if quiet:
        return
    out_console.print("parameters by total-order Sobol index over the contribution "
                      "differences (on the emulator's mean):", highlight=False)
    for p, v in ranking(indices).head(8).items():
        out_console.print(f"  {p:<58} {v:5.2f}", highlight=False, markup=False)
    out_console.print("the emulator's held-out error beside them:", highlight=False)
    for line in heldout_lines(em, "contribution"):
        out_console.print(line, highlight=False, markup=False, soft_wrap=True)
    out_console.print(f"sensitivity written to {path}", highlight=False)
