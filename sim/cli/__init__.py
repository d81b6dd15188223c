"""The ``salesim`` command.

Exit codes: 0 done; 2 invalid input (scenario file, option); 130 interrupted;
1 internal error (a bug: please report it with the command and scenario).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from sim.config.scenario import STRUCTURES, ScenarioError, hint, json_schema, load_scenario
from sim.study.executors import EXECUTORS

EXIT_INVALID = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 1
_EXIT_INTERRUPTED_REPORTED = 1130  # internal: 130, message already written

# Options shared by the commands that run simulations.
ScenarioArg = Annotated[Path, typer.Argument(help="Scenario YAML file.")]
ReplicationsOpt = Annotated[int | None, typer.Option(min=1, help="Replications to run.")]
SeedOpt = Annotated[int | None, typer.Option(min=0, help="Root random seed.")]
OutOpt = Annotated[Path | None, typer.Option(help="Results folder (must not exist).")]
WorkersOpt = Annotated[int | None, typer.Option(min=1, help="Processes (default: all cores).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table.")]

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="salesim: why a sales department grows over with moss, and which "
                       "structure cures it.")
# A piped or redirected output gets a width that fits the key-figures table.
out_console = Console() if sys.stdout.isatty() else Console(width=150)
err_console = Console(stderr=True, soft_wrap=True)


def _invalid(err: ScenarioError) -> typer.Exit:
    where = f"{err.source}: " if err.source else ""
    err_console.print(f"[bold red]invalid scenario[/] {where}{len(err.problems)} problem(s)",
                      highlight=False)
    for p in err.problems:
        err_console.print(f"  - {p}", highlight=False, markup=False)
    return typer.Exit(EXIT_INVALID)


@app.command()
def validate(scenario: ScenarioArg) -> None:
    """Check a scenario file; print each problem with its field path."""
    try:
        sc = load_scenario(scenario)
    except ScenarioError as err:
        raise _invalid(err) from None
    out_console.print(f"{scenario}: valid scenario {sc.name!r}", highlight=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    sys.stdout.write(json_schema() + "\n")


def _default_out(scenario: Path, label: str = "") -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path("results") / f"{scenario.stem}{label}-{stamp}"
    i = 1
    while out.exists():
        i += 1
        out = Path("results") / f"{scenario.stem}{label}-{stamp}-{i}"
    return out


def _refuse(message: str) -> typer.Exit:
    err_console.print(message, highlight=False, markup=False)
    return typer.Exit(EXIT_INVALID)


def _check_structures(sc, structures: list[str]) -> None:
    known = sc.structure_names()
    for name in structures:
        if name not in known:
            suggestion = hint(name, known, list_all=False)
            raise _refuse(f"--structure(s): unknown structure {name!r}; allowed: "
                          f"{', '.join(known)}{suggestion}")


def _check_executor(executor: str) -> None:
    if executor not in EXECUTORS:
        raise _refuse(f"--executor: got {executor!r}; allowed: {', '.join(EXECUTORS)}")
    if executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise _refuse("--executor dask needs Dask: pip install 'salesim[dask]'") from None


def _folders(scenario: Path, out: Path | None, resume: Path | None,
             label: str = "") -> tuple[Path, Path]:
    """The output folder and its staging folder ``OUT.partial``, checked: a new output
    folder, and a staging folder only when resuming."""
    if resume is not None and out is not None and resume != out:
        raise _refuse(f"--resume {resume} and --out {out} name different folders; give one")
    out = resume or out or _default_out(scenario, label)
    staging = Path(f"{out}.partial")
    if out.exists():
        raise _refuse(f"--out: {out} already exists; choose a new folder")
    if resume is None and staging.exists():
        raise _refuse(f"--out: {staging} holds an interrupted run of this folder; resume it "
                      f"with --resume {out}, or remove it")
    if resume is not None and not staging.exists():
        raise _refuse(f"--resume: nothing to resume: {staging} does not exist")
    return out, staging


def _study(scenario: Path, structures: list[str], replications: int | None, seed: int | None,
           out: Path | None, workers: int | None, quiet: bool, baseline: str | None,
           executor: str = "processes", scheduler: str | None = None,
           resume: Path | None = None, precision: float | None = None,
           max_replications: int = 1000) -> None:
    """Load, check, run with a progress bar, write atomically, print the key figures.

    Finished replications wait in ``OUT.partial`` until the results folder is complete,
    so ``--resume OUT`` after an interruption runs only the missing ones."""
    from sim.report.folder import write_results
    from sim.study.experiment import compare as run_compare
    from sim.study.staging import StagingMismatch

    try:
        sc = load_scenario(scenario)
    except ScenarioError as err:
        raise _invalid(err) from None
    _check_structures(sc, structures)
    if baseline is not None and baseline not in structures:
        err_console.print(f"--baseline: {baseline!r} is not among the structures compared "
                          f"({', '.join(structures)})", highlight=False, markup=False)
        raise typer.Exit(EXIT_INVALID)
    _check_executor(executor)
    out, staging = _folders(scenario, out, resume)
    n = replications or sc.experiment.replications
    show = not quiet and err_console.is_terminal
    with Progress(TextColumn("[bold]replications"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                  console=err_console, disable=not show, transient=True) as bar:
        task = bar.add_task("run", total=n)
        try:
            results = run_compare(
                sc, structures, replications=n, seed=seed, baseline=baseline,
                workers=workers, executor=executor, scheduler=scheduler, staging=staging,
                precision=precision, max_replications=max_replications,
                progress=lambda done, total: bar.update(task, completed=done, total=total))
        except StagingMismatch as err:
            err_console.print(f"--resume: {err}", highlight=False, markup=False)
            raise typer.Exit(EXIT_INVALID) from None
        except KeyboardInterrupt:
            kept = ""
            if any(staging.glob("*-managers.parquet")):
                kept = f"; finished replications wait in {staging} (--resume {out})"
            sys.stderr.write(f"interrupted: no results were written{kept}\n")
            raise typer.Exit(_EXIT_INTERRUPTED_REPORTED) from None
    path = write_results(results, out, command=sys.argv)
    _remove_staging(staging)
    if not quiet:
        _key_figures(results)
    if precision is not None:
        needed = results.meta.get("replications_needed")
        out_console.print(
            f"precision {precision:g}: "
            + (f"reached with {needed} replications ({results.replications} run, "
               "including the look-ahead)" if needed else
               f"not reached within {results.replications} replications"), highlight=False)
    out_console.print(f"results written to {path}", highlight=False)
    failures = results.meta.get("failures") or []
    if failures:
        for f in failures:
            err_console.print(f"replication {f['replication']} (seed {f['seed']}, spawn key "
                              f"{f['spawn_key']}) failed: {f['error']}", highlight=False,
                              markup=False)
        err_console.print(f"{len(failures)} replication(s) failed; the others were kept. "
                          "This is a bug in salesim; please report it.", highlight=False)
        raise typer.Exit(EXIT_INTERNAL)


def _remove_staging(staging: Path) -> None:
    import shutil

    shutil.rmtree(staging, ignore_errors=True)


ExecutorOpt = Annotated[str, typer.Option(
    help="serial, processes (all cores) or dask (--scheduler, or a local cluster).")]
SchedulerOpt = Annotated[str | None, typer.Option(
    help="Address of a Dask scheduler, with --executor dask.")]
ResumeOpt = Annotated[Path | None, typer.Option(
    help="Finish an interrupted run of this output folder (its DIR.partial).")]
PrecisionOpt = Annotated[float | None, typer.Option(
    min=0.0001, max=0.99, help="Add replications until the 95 % half-width of revenue, new "
                               "clients and contribution is within this share of the mean.")]
MaxRepsOpt = Annotated[int, typer.Option(min=1, help="Most replications --precision may run.")]


@app.command()
def run(
    scenario: ScenarioArg,
    structure: Annotated[str | None, typer.Option(
        help=f"One of: {', '.join(STRUCTURES)}, or a hybrid the scenario names.")] = None,
    replications: ReplicationsOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = None,
    workers: WorkersOpt = None,
    quiet: QuietOpt = False,
    executor: ExecutorOpt = "processes",
    scheduler: SchedulerOpt = None,
    resume: ResumeOpt = None,
    precision: PrecisionOpt = None,
    max_replications: MaxRepsOpt = 1000,
) -> None:
    """Simulate one structure and write a results folder."""
    name = structure
    if name is None:
        try:
            name = load_scenario(scenario).experiment.structure
        except ScenarioError as err:
            raise _invalid(err) from None
    _study(scenario, [name], replications, seed, out, workers, quiet, None, executor,
           scheduler, resume, precision, max_replications)


@app.command()
def compare(
    scenario: ScenarioArg,
    structures: Annotated[str | None, typer.Option(
        help="Comma-separated structures (default: those the scenario lists, "
             "normally all six).")] = None,
    baseline: Annotated[str | None, typer.Option(
        help="Structure the others are compared with (default: the scenario's, classic).")
                        ] = None,
    replications: ReplicationsOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = None,
    workers: WorkersOpt = None,
    quiet: QuietOpt = False,
    executor: ExecutorOpt = "processes",
    scheduler: SchedulerOpt = None,
    resume: ResumeOpt = None,
    precision: PrecisionOpt = None,
    max_replications: MaxRepsOpt = 1000,
) -> None:
    """Compare structures on common random numbers; write tables, findings and charts."""
    if structures is None:
        try:
            names = load_scenario(scenario).experiment.structures
        except ScenarioError as err:
            raise _invalid(err) from None
    else:
        names = [s.strip() for s in structures.split(",") if s.strip()]
        if not names:
            err_console.print("--structures: got an empty list", highlight=False)
            raise typer.Exit(EXIT_INVALID)
    _study(scenario, names, replications, seed, out, workers, quiet, baseline, executor,
           scheduler, resume, precision, max_replications)


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="A results folder of salesim compare.")],
    language: Annotated[str | None, typer.Option(
        help="en or ru (default: the scenario's report.language).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Write DIR/report.html again from the folder's files: the owner's report, one HTML
    file that opens offline and prints to PDF."""
    from sim.report.headline import LANGUAGES
    from sim.report.html import ReportError, ResultsFolder, headline_sentences, write_report

    if language is not None and language not in LANGUAGES:
        raise _refuse(f"--language: got {language!r}; allowed: {', '.join(LANGUAGES)}")
    try:
        results = ResultsFolder(folder)
        path = write_report(results, language)
    except ReportError as err:
        raise _refuse(str(err)) from None
    except ScenarioError as err:
        raise _invalid(err) from None
    if not quiet:
        for sentence in headline_sentences(results, language):
            out_console.print(sentence, highlight=False, markup=False)
    out_console.print(f"report written to {path} ({path.stat().st_size / 1e6:.2f} MB)",
                      highlight=False)


DesignOpt = Annotated[str, typer.Option(help="lhs, sobol, morris or grid.")]
PointsOpt = Annotated[int, typer.Option(
    min=1, help="morris: trajectories; sobol: base samples N (a power of 2); lhs: design "
                "points; grid: levels per parameter.")]


@app.command()
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
) -> None:
    """Run a design over the scenario's uncertainties; write the results dataset and its
    sensitivity analysis (indices, who wins where)."""
    import os

    from sim.study.sensitivity import analyse
    from sim.study.sweeps import DESIGNS, SweepError, design_size
    from sim.study.sweeps import sweep as run_sweep

    try:
        sc = load_scenario(scenario)
    except ScenarioError as err:
        raise _invalid(err) from None
    names = _names(structures) if structures is not None else sc.experiment.structures
    _check_structures(sc, names)
    _check_executor(executor)
    out, staging = _folders(scenario, out, resume, label="-sweep")
    total = design_size(design, points, len(sc.uncertainties)) if design in DESIGNS else 0
    show = not quiet and err_console.is_terminal
    try:
        with Progress(TextColumn("[bold]design points"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                      console=err_console, disable=not show, transient=True) as bar:
            task = bar.add_task("run", total=total)
            result = run_sweep(
                sc, design, points, replications, names, seed, out=staging, executor=executor,
                workers=workers, scheduler=scheduler,
                progress=lambda done, n: bar.update(task, completed=done, total=n))
    except SweepError as err:
        text = str(err)
        if text.split(":", 1)[0] in ("design", "points", "replications"):
            text = f"--{text}"
        elif "holds another sweep" in text:
            text = f"--resume: {text}"
        else:
            text = f"{scenario}: {text}"
        raise _refuse(text) from None
    except KeyboardInterrupt:
        kept = ""
        if any(staging.glob("runs/point=*/part.parquet")):
            kept = f"; finished design points wait in {staging} (--resume {out})"
        sys.stderr.write(f"interrupted: no results were written{kept}\n")
        raise typer.Exit(_EXIT_INTERRUPTED_REPORTED) from None
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
    analysis.save(staging / "sensitivity")
    result.close()
    os.rename(staging, out)
    if not quiet:
        _sensitivity_summary(analysis, out)
    out_console.print(f"results written to {out}", highlight=False)


@app.command()
def sensitivity(
    folder: Annotated[Path, typer.Argument(help="A finished sweep folder.")],
    baseline: Annotated[str | None, typer.Option(
        help="Structure the others are compared with (default: the sweep's).")] = None,
    min_density: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Share of the points in a region where the structure must "
        "lead (or beat the baseline) for the region to be reported.")] = 0.8,
    quiet: QuietOpt = False,
) -> None:
    """Compute the sensitivity analysis of a sweep again, into DIR/sensitivity."""
    from sim.study.sensitivity import analyse
    from sim.study.sweeps import SweepError

    if not folder.is_dir():
        raise _refuse(f"{folder}: no such sweep folder")
    try:
        analysis = analyse(folder, baseline=baseline, min_density=min_density)
    except SweepError as err:
        raise _refuse(str(err)) from None
    path = analysis.save(folder / "sensitivity")
    if not quiet:
        _sensitivity_summary(analysis, folder)
    out_console.print(f"sensitivity written to {path}", highlight=False)


def _sensitivity_summary(analysis, folder: Path) -> None:
    """The top parameters per structure, the shares won, the boxes, the warnings."""
    from sim.config.uncertainties import short_name

    for s in analysis.structures:
        if s == analysis.baseline or analysis.indices.empty:
            continue
        top = analysis.top(s)
        listed = ", ".join(
            short_name(r.parameter) + ("" if r.above_noise else " (not ranked)")
            for r in top.itertuples())
        out_console.print(f"contribution, {s} minus {analysis.baseline}, by "
                          f"{analysis.ranked_by}: {listed}", highlight=False)
    for sentence in [*analysis.sentences(), *analysis.ahead["sentence"]]:
        out_console.print(sentence, highlight=False)
    if analysis.warnings:
        out_console.print(f"{len(analysis.warnings)} warning(s): see "
                          f"{folder / 'sensitivity' / 'findings.md'}", highlight=False)


@app.command()
def calibrate(
    crm_dir: Annotated[Path, typer.Argument(help="Folder of the CRM export (docs/crm.md).")],
    out: Annotated[Path, typer.Option(help="Scenario YAML to write; calibration.md and the "
                                           "trials go beside it.")],
    base: Annotated[Path, typer.Option(help="Scenario whose numbers a CRM does not show "
                                            "(territory size, handling times, ...).")
                    ] = Path("scenarios/default.yaml"),
    replications: Annotated[int, typer.Option(min=1, help="Replications per evaluation.")] = 4,
    trials: Annotated[int, typer.Option(min=1, help="Most optimiser trials.")] = 60,
    patience: Annotated[int, typer.Option(min=1, help="Stop after this many trials "
                                                      "without gain.")] = 20,
    seed: SeedOpt = None,
    start: Annotated[str | None, typer.Option(help="First day of the export's window "
                                                   "(YYYY-MM-DD; default: first close).")
                     ] = None,
    workers: WorkersOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Calibrate a scenario to a CRM export and check the fit (docs/calibration.md)."""
    from sim.crm.calibration.fit import CalibrationError, Settings
    from sim.crm.calibration.fit import calibrate as run_calibration
    from sim.crm.calibration.output import targets, write
    from sim.crm.export import CrmError, read_crm

    if out.suffix not in (".yaml", ".yml"):
        raise _refuse(f"--out: {out} must name a .yaml file")
    taken = [p for p in targets(out) if p.exists()]
    if taken:
        raise _refuse(f"--out: {taken[0]} already exists; choose another file or folder")
    try:
        base_sc = load_scenario(base)
    except ScenarioError as err:
        raise _invalid(err) from None
    if start is not None:
        try:
            datetime.strptime(start, "%Y-%m-%d")
        except ValueError:
            raise _refuse(f"--start: got {start!r}; allowed: a date as YYYY-MM-DD") from None
    try:
        crm = read_crm(crm_dir)
    except CrmError as err:
        err_console.print(f"[bold red]invalid CRM export[/] {crm_dir}: "
                          f"{len(err.problems)} problem(s)", highlight=False)
        for p in err.problems:
            err_console.print(f"  - {p}", highlight=False, markup=False)
        raise typer.Exit(EXIT_INVALID) from None
    settings = Settings(replications=replications, trials=trials, patience=patience,
                        seed=base_sc.experiment.seed if seed is None else seed,
                        workers=workers)
    say = (lambda _m: None) if quiet else (
        lambda m: err_console.print(m, highlight=False, markup=False))
    try:
        cal = run_calibration(crm, base_sc, settings, start=start, progress=say)
    except CalibrationError as err:
        raise _refuse(f"cannot calibrate to {crm_dir}: {err}") from None
    except ScenarioError as err:
        raise _invalid(err) from None
    paths = write(cal, out, str(crm_dir))
    if not quiet:
        out_console.print(f"Wrote {', '.join(str(p) for p in paths)} in {cal.seconds:.0f} s.",
                          highlight=False)


@app.command("synth-crm")
def synth_crm(
    scenario: ScenarioArg,
    out: Annotated[Path, typer.Option(help="Folder to write (must not exist).")],
    seed: SeedOpt = None,
    start: Annotated[str, typer.Option(help="First business day of the export window.")
                     ] = "2023-01-02",
    missing_segment: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Share of accounts written without a segment.")] = 0.2,
    missing_amount: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Share of won deals written without an amount.")] = 0.05,
) -> None:
    """Write the CRM export of a simulated classic department (docs/crm.md)."""
    import numpy as np

    from sim.crm.synthetic import synth_crm as write_synthetic

    if out.exists():
        raise _refuse(f"--out: {out} already exists; choose a new folder")
    try:
        day = np.datetime64(start, "D")
    except ValueError:
        raise _refuse(f"--start: got {start!r}; allowed: a date as YYYY-MM-DD") from None
    if not np.is_busday(day):
        raise _refuse(f"--start: {start} is a weekend day; allowed: a business day "
                      "(Monday to Friday)")
    try:
        sc = load_scenario(scenario)
    except ScenarioError as err:
        raise _invalid(err) from None
    write_synthetic(sc, out, seed, start, missing_segment, missing_amount)
    out_console.print(f"Wrote {out}/deals.csv, accounts.csv, owners.csv.", highlight=False)


def _names(structures: str) -> list[str]:
    names = [s.strip() for s in structures.split(",") if s.strip()]
    if not names:
        raise _refuse("--structures: got an empty list")
    return names


def _key_figures(results) -> None:
    """One row per structure: mean ± 95 % half-width of the key measures."""
    summary = results.summary().set_index(["structure", "measure"])
    shown = [("revenue", "Revenue", 1e6, "M"),
             ("new_clients", "New clients", 1, ""),
             ("contribution", "Profit", 1e6, "M"),
             ("lost_clients", "Lost clients", 1, ""),
             ("lead_wait_hours_mean", "Lead wait", 1, "h"),
             ("active_share", "Active share", 0.01, "%"),
             ("turnover_annual", "Turnover/yr", 0.01, "%"),
             ("top_manager_revenue_share", "Top person", 0.01, "%")]
    table = Table(title=f"Key figures over {results.scenario.experiment.horizon_years:g} years: "
                        f"mean ± 95 % interval, {results.replications} replications")
    table.add_column("structure")
    for _, label, _, _ in shown:
        table.add_column(label, justify="right")
    for structure in results.structures:
        cells = []
        for key, _, scale, unit in shown:
            row = summary.loc[(structure, key)]
            mean, half = row["mean"] / scale, row["half_width"] / scale
            digits = 0 if unit == "" and abs(mean) >= 100 else 1
            text = f"{mean:,.{digits}f}{unit}"
            if half == half:
                text += f"±{half:,.{digits}f}"
            cells.append(text)
        table.add_row(structure, *cells)
    out_console.print(table)
    if len(results.structures) > 1:
        out_console.print("Plain-language findings: findings.md in the results folder.",
                          highlight=False)


def main() -> None:
    """Entry point: map outcomes to the documented exit codes, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except typer.Exit as e:
        code = e.exit_code
    except (KeyboardInterrupt, typer.Abort):
        code = EXIT_INTERRUPTED
    except typer.TyperException as e:  # usage errors: bad option, missing argument
        show = getattr(e, "show", None)
        if show is not None:
            show()
        else:
            err_console.print(str(e), highlight=False, markup=False)
        code = EXIT_INVALID
    except Exception as e:  # noqa: BLE001
        err_console.print(f"internal error: {type(e).__name__}: {e}\n"
                          "This is a bug in salesim; please report it with the command and "
                          "scenario file.", highlight=False, markup=False)
        code = EXIT_INTERNAL
    if code == _EXIT_INTERRUPTED_REPORTED:  # a study said where its replications wait
        code = EXIT_INTERRUPTED
    elif code == EXIT_INTERRUPTED:  # typer turns a bare Ctrl-C into Exit(130)
        sys.stderr.write("interrupted: no results were written\n")
    sys.exit(code if isinstance(code, int) else 0)
