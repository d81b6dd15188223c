"""``salesim sweep`` and ``salesim sensitivity``: a design over the scenario's
uncertainties run into a folder, and its sensitivity analysis (indices, who wins where)
written beside it, with its charts drawn by :func:`sim.report.sweep_charts.write_charts`.

The sweep runs into ``OUT.partial`` and is renamed to ``OUT`` once its analysis is
written, so ``OUT`` never holds a half-finished sweep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import EXIT_INTERNAL, err_console, out_console
from sim.cli.options import (
    ExecutorOpt,
    OutOpt,
    QuietOpt,
    ResumeOpt,
    ScenarioArg,
    SchedulerOpt,
    SeedOpt,
    WorkersOpt,
    check_executor,
    check_structures,
    folders,
    interrupted,
    load_or_exit,
    refuse,
    split_structures,
)
from sim.cli.progress import reporting

DesignOpt = Annotated[str, typer.Option(help="lhs, sobol, morris or grid.")]
PointsOpt = Annotated[int, typer.Option(
    min=1, help="morris: trajectories; sobol: base samples N (a power of 2); lhs: design "
                "points; grid: levels per parameter.")]


def sweep(
    scenario: ScenarioArg,
    design: DesignOpt = "morris",
    points: PointsOpt = 10,
    replications: Annotated[int, typer.Option(
        min=1, help="Replications at every design point (the same seeds at each).")] = 3,
    structures: Annotated[str | None, typer.Option(
        help="Comma-separated structures (default: those the scenario lists).")] = None,
    seed: SeedOpt = None,
    out: OutOpt = None,
    resume: ResumeOpt = None,
    executor: ExecutorOpt = "processes",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    quiet: QuietOpt = False,
    map_only: Annotated[bool, typer.Option(
        "--map-only", help="Run an lhs design too small for sensitivity indices anyway, "
                           "for the map of who wins where alone.")] = False,
    by_group: Annotated[bool, typer.Option(
        "--by-group", help="morris or sobol: move each group of uncertainties (its "
                           "`group`, else its structure or section) together and rank the "
                           "groups; R trajectories over G groups make R x (G + 1) "
                           "points.")] = False,
) -> None:
    """Run a design over the scenario's uncertainties; write the results dataset and its
    sensitivity analysis (indices, who wins where)."""
    import os

    from sim.config.uncertainties import salib_problem
    from sim.report.console import sensitivity_summary
    from sim.report.sweep_charts import write_charts
    from sim.study.indices import RBD_MIN_POINTS, indices_shortfall
    from sim.study.sensitivity import analyse
    from sim.study.sweep_design import DESIGNS, GROUPABLE, SweepError, design_size, factors
    from sim.study.sweeps import sweep as run_sweep

    sc = load_or_exit(scenario)
    names = split_structures(structures) if structures is not None else sc.experiment.structures
    check_structures(sc, names)
    check_executor(executor)
    if by_group and design not in GROUPABLE:
        raise refuse(f"--by-group: a {design} design cannot group parameters; use --design "
                     f"{' or --design '.join(GROUPABLE)}")
    shortfall = indices_shortfall(design, points)
    if shortfall and not map_only:
        raise refuse(f"--points: {shortfall}; use --points {RBD_MIN_POINTS} or more, or add "
                     "--map-only to run it for the map of who wins where alone")
    out, staging = folders(scenario, out, resume, label="-sweep")
    k = factors(salib_problem(sc.uncertainties, by_group)) if sc.uncertainties else 0
    total = design_size(design, points, k) if design in DESIGNS else 0
    try:
        with reporting("design points", total, quiet, err_console) as update:
            result = run_sweep(
                sc, design, points, replications, names, seed, out=staging, executor=executor,
                workers=workers, scheduler=scheduler,
                progress=update, by_group=by_group)
    except SweepError as err:
        text = str(err)
        if text.split(":", 1)[0] in ("design", "points", "replications"):
            text = f"--{text}"
        elif text.startswith("by_group:"):
            text = f"--by-group{text.removeprefix('by_group')}"
        elif "holds another sweep" in text or "damaged" in text:
            text = f"--resume: {text}"
        else:
            text = f"{scenario}: {text}"
        raise refuse(text) from None
    except KeyboardInterrupt:
        raise interrupted(staging, out, "runs/point=*/part.parquet", "design points") from None
    failures = result.meta["failures"]
    if failures:
        for f in failures:
            err_console.print(f"design point {f['point']} failed: {f['error']}",
                              highlight=False, markup=False)
        err_console.print(f"{len(failures)} design point(s) failed; the others wait in "
                          f"{staging} (--resume {out} runs the failed ones again). This is a "
                          "bug in salesim; please report it.", highlight=False, markup=False)
        raise typer.Exit(EXIT_INTERNAL)
    analysis = analyse(result)
    analysis.save(staging / "sensitivity", extra=lambda tmp: write_charts(analysis, tmp))
    result.close()
    os.rename(staging, out)
    if not quiet:
        sensitivity_summary(analysis, out, out_console)
        out_console.print(f"results written to {out}", highlight=False)


def sensitivity(
    folder: Annotated[Path, typer.Argument(help="A finished sweep folder.")],
    baseline: Annotated[str | None, typer.Option(
        help="Structure the others are compared with (default: the sweep's).")] = None,
    min_density: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Share of the points in a region where the structure must "
        "lead (or beat the baseline) for the region to be reported.")] = 0.8,
    quiet: QuietOpt = False,
    emulator: Annotated[bool, typer.Option(
        "--emulator", help="Sobol indices (first and total order) on the sweep's emulator "
                           "instead, into DIR/sensitivity-emulator, with its held-out "
                           "error (salesim emulate fits it; fitted here if missing).")] = False,
    samples: Annotated[int, typer.Option(
        min=64, help="With --emulator: base samples N (N x (parameters + 2) emulator "
                     "points).")] = 4096,
) -> None:
    """Compute the sensitivity analysis of a sweep again, into DIR/sensitivity (or, with
    --emulator, Sobol indices on its emulator into DIR/sensitivity-emulator)."""
    from sim.report.console import sensitivity_summary
    from sim.report.sweep_charts import write_charts
    from sim.study.sensitivity import analyse
    from sim.study.sweep_design import SweepError

    if not folder.is_dir():
        raise refuse(f"{folder}: no such sweep folder")
    if emulator:
        from sim.cli.emulate import sensitivity_on_emulator

        return sensitivity_on_emulator(folder, samples, quiet)
    try:
        analysis = analyse(folder, baseline=baseline, min_density=min_density)
    except SweepError as err:
        raise refuse(str(err)) from None
    path = analysis.save(folder / "sensitivity", extra=lambda tmp: write_charts(analysis, tmp))
    if not quiet:
        sensitivity_summary(analysis, folder, out_console)
        out_console.print(f"sensitivity written to {path}", highlight=False)
