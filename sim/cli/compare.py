"""``salesim run``, ``salesim compare`` and ``salesim report``: a study of one or more
structures written as a results folder, and its HTML report written again from the
folder's files.

The study runs with a progress bar; finished replications wait in ``OUT.partial`` until
the folder is complete (``--resume``), then :func:`sim.report.folder.write_results`
writes the folder and :func:`sim.report.console.key_figures` prints the table.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import EXIT_INTERNAL, err_console, out_console
from sim.cli.options import (
    ExecutorOpt,
    FirstStageOpt,
    MaxRepsOpt,
    OutOpt,
    PcsOpt,
    PrecisionOpt,
    QuietOpt,
    ReplicationsOpt,
    ResumeOpt,
    ScenarioArg,
    SchedulerOpt,
    SeedOpt,
    SelectOpt,
    WorkersOpt,
    check_executor,
    check_structures,
    folders,
    interrupted,
    invalid,
    load_or_exit,
    refuse,
    selection_rule,
    split_structures,
)
from sim.cli.progress import reporting
from sim.config.scenario import STRUCTURES, ScenarioError


def study(scenario: Path, structures: list[str], replications: int | None, seed: int | None,
          out: Path | None, workers: int | None, quiet: bool, baseline: str | None,
          executor: str = "processes", scheduler: str | None = None,
          resume: Path | None = None, precision: float | None = None,
          max_replications: int = 1000, select=None, screening: Path | None = None) -> None:
    """Load, check, run with a progress bar, write atomically, print the key figures.

    Finished replications wait in ``OUT.partial`` until the results folder is complete,
    so ``--resume OUT`` after an interruption runs only the missing ones."""
    from sim.report.console import key_figures
    from sim.report.folder import write_results
    from sim.study.experiment import compare as run_compare
    from sim.study.staging import StagingMismatch

    sc = load_or_exit(scenario)
    check_structures(sc, structures)
    if baseline is not None and baseline not in structures:
        raise refuse(f"--baseline: {baseline!r} is not among the structures compared "
                     f"({', '.join(structures)})")
    check_executor(executor)
    if select is not None and (precision is not None or replications is not None):
        raise refuse("--select: decides the replications itself; leave out "
                     + ("--precision" if precision is not None else "--replications"))
    if select is not None and len(structures) < 2:
        raise refuse("--select: needs at least two structures to choose between")
    if screening is not None and not screening.is_dir():
        raise refuse(f"--screening: {screening} is not a folder; give a salesim sweep "
                     "folder (morris design) with its sensitivity/")
    out, staging = folders(scenario, out, resume)
    n = replications or sc.experiment.replications
    with reporting("replications", n, quiet, err_console) as update:
        try:
            results = run_compare(
                sc, structures, replications=n, seed=seed, baseline=baseline,
                workers=workers, executor=executor, scheduler=scheduler, staging=staging,
                precision=precision, max_replications=max_replications,
                progress=update, select=select)
        except StagingMismatch as err:
            raise refuse(f"--resume: {err}") from None
        except KeyboardInterrupt:
            raise interrupted(staging, out, "*-managers.parquet", "replications") from None
    if len(structures) > 1:
        results.meta["screening"] = screening_found(scenario, screening, results.structures,
                                                    results.baseline)
    path = write_results(results, out, command=sys.argv)
    remove_staging(staging)
    if not quiet:
        key_figures(results, out_console)
        if select is not None:
            print_selection(results.meta["selection"], sc, out_console)
        if precision is not None:
            needed = results.meta.get("replications_needed")
            out_console.print(
                f"precision {precision:g}: "
                + (f"reached with {needed} replications ({results.replications} run, "
                   "including the look-ahead)" if needed else
                   f"not reached within {results.replications} replications"),
                highlight=False)
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


def screening_found(scenario: Path, given: Path | None, structures: list[str],
                    baseline: str) -> dict:
    """What findings.md says the ranking rests on: the screening named, else
    results/screenings/<scenario file stem>/ when it exists (:mod:`sim.study.screening`)."""
    from sim.study.screening import default_screening, rests_on

    folder = given or default_screening(scenario)
    found = {"scenario_file": str(scenario), "folder": str(folder), "top": None,
             "error": None}
    if given is None and not folder.is_dir():
        return found
    try:
        found["top"] = rests_on(folder, structures, baseline)
    except ValueError as err:
        found["error"] = str(err)
    return found


def print_selection(selection: dict, scenario, console) -> None:
    """What ``--select`` decided: the structure, the guarantee, the replications each
    structure received and the saving against the scenario's fixed count."""
    from sim.report.numbers import numbers_for

    n = numbers_for(scenario)
    used = selection["replications"]
    guarantee = (f"probability of correct selection at least {selection['confidence']:.0%} "
                 f"when the best leads by {n.money(selection['delta'])} or more")
    if selection["capped"]:
        guarantee = "the replication limit was reached first: no guarantee"
    console.print(f"selected: {selection['selected']} ({guarantee})", highlight=False)
    console.print("replications: " + ", ".join(f"{s} {k}" for s, k in used.items()),
                  highlight=False)
    console.print(f"runs: {selection['runs_used']} against {selection['fixed_runs']} for "
                  f"{selection['fixed_runs'] // max(1, len(used))} fixed replications "
                  f"({selection['saving']:.0%} fewer)", highlight=False)


def remove_staging(staging: Path) -> None:
    import shutil

    shutil.rmtree(staging, ignore_errors=True)


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
        name = load_or_exit(scenario).experiment.structure
    study(scenario, [name], replications, seed, out, workers, quiet, None, executor,
          scheduler, resume, precision, max_replications)


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
    select: SelectOpt = None,
    pcs: PcsOpt = 0.95,
    first_stage: FirstStageOpt = 10,
    screening: Annotated[Path | None, typer.Option(
        help="A Morris screening of this scenario (a salesim sweep folder with its "
             "sensitivity/) that findings.md names the ranking's main assumptions from "
             "(default: results/screenings/<scenario file stem>/ when it exists).")] = None,
) -> None:
    """Compare structures on common random numbers; write tables, findings and charts."""
    rule = selection_rule(select, pcs, first_stage)
    if structures is None:
        names = load_or_exit(scenario).experiment.structures
    else:
        names = split_structures(structures)
    study(scenario, names, replications, seed, out, workers, quiet, baseline, executor,
          scheduler, resume, precision, max_replications, rule, screening)


def report(
    folder: Annotated[Path, typer.Argument(help="A results folder of salesim compare.")],
    language: Annotated[str | None, typer.Option(
        help="en or ru (default: the scenario's report.language).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Write DIR/report.html again from the folder's files: the owner's report, one HTML
    file that opens offline and prints to PDF."""
    from sim.report.html import headline_sentences, write_report
    from sim.report.results_folder import ReportError, ResultsFolder
    from sim.report.texts import LANGUAGES

    if language is not None and language not in LANGUAGES:
        raise refuse(f"--language: got {language!r}; allowed: {', '.join(LANGUAGES)}")
    try:
        results = ResultsFolder(folder)
        path = write_report(results, language)
    except ReportError as err:
        raise refuse(str(err)) from None
    except ScenarioError as err:
        raise invalid(err) from None
    if not quiet:
        for sentence in headline_sentences(results, language):
            out_console.print(sentence, highlight=False, markup=False)
        out_console.print(f"report written to {path} ({path.stat().st_size / 1e6:.2f} MB)",
                          highlight=False)
