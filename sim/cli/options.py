"""What the commands of ``salesim`` share: the options, the checks of their values, the
one way an invalid scenario ends a command (:func:`load_or_exit`, :func:`invalid`), the
output folders with their staging folder, and the one interrupt handler.

Every refusal prints its message on standard error and returns the ``typer.Exit`` with
exit code 2 for the caller to raise, so a command reads as a list of checks.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import EXIT_INTERRUPTED_REPORTED, EXIT_INVALID, err_console
from sim.config.scenario import Scenario, ScenarioError, hint, load_scenario
from sim.study.executors import EXECUTORS

# Options shared by the commands that run simulations.
ScenarioArg = Annotated[Path, typer.Argument(help="Scenario YAML file.")]
ReplicationsOpt = Annotated[int | None, typer.Option(min=1, help="Replications to run.")]
SeedOpt = Annotated[int | None, typer.Option(min=0, help="Root random seed.")]
OutOpt = Annotated[Path | None, typer.Option(help="Results folder (must not exist).")]
WorkersOpt = Annotated[int | None, typer.Option(min=1, help="Processes (default: all cores).")]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print nothing but errors: no progress, table or 'written' line.")]
ExecutorOpt = Annotated[str, typer.Option(
    help="serial, processes (all cores) or dask (--scheduler, or a local cluster).")]
SchedulerOpt = Annotated[str | None, typer.Option(
    help="Address of a Dask scheduler, with --executor dask.")]
ResumeOpt = Annotated[Path | None, typer.Option(
    help="Finish an interrupted run of this output folder (its DIR.partial).")]
PrecisionOpt = Annotated[float | None, typer.Option(
    min=0.0001, max=0.99, help="Add replications until the 95 % half-width of revenue, new "
                               "clients and contribution is within this share of the mean.")]
MaxRepsOpt = Annotated[int, typer.Option(
    min=1, help="Most replications --precision or --select may run.")]
SelectOpt = Annotated[str | None, typer.Option(
    "--select", metavar="DELTA",
    help="Replicate only until the structure with the highest contribution is selected "
         "(Kim and Nelson's sequential procedure): DELTA is the smallest lead worth "
         "telling apart, an amount (800000) or a share of the baseline's mean (5%).")]
PcsOpt = Annotated[float, typer.Option(
    "--pcs", min=0.5, max=0.999,
    help="--select: the probability of selecting the best when it leads by DELTA.")]
FirstStageOpt = Annotated[int, typer.Option(
    "--first-stage", min=2, help="--select: replications of every structure first.")]


def selection_rule(value: str | None, pcs: float, first_stage: int):
    """The ``--select DELTA`` option as a selection rule (None when not given)."""
    from sim.study.selection import SelectionRule

    if value is None:
        return None
    text = value.strip().replace(" ", "").replace("_", "")
    share = text.endswith("%")
    try:
        amount = float(text[:-1]) / 100.0 if share else float(text)
    except ValueError:
        raise refuse(f"--select: got {value!r}; allowed: a positive amount of the "
                     "scenario's currency (800000) or a share of the baseline's mean "
                     "contribution (5%)") from None
    if not (amount > 0 and amount < float("inf")):
        raise refuse(f"--select: got {value!r}; the smallest lead worth telling apart "
                     "must be above 0")
    return SelectionRule(amount, pcs, first_stage, share=share)


def invalid(err: ScenarioError) -> typer.Exit:
    """Print a scenario's problems, each with its field path; exit code 2."""
    where = f"{err.source}: " if err.source else ""
    err_console.print(f"[bold red]invalid scenario[/] {where}{len(err.problems)} problem(s)",
                      highlight=False)
    for p in err.problems:
        err_console.print(f"  - {p}", highlight=False, markup=False)
    return typer.Exit(EXIT_INVALID)


def load_or_exit(path: Path) -> Scenario:
    """The scenario at ``path``, or its problems printed and exit code 2."""
    try:
        return load_scenario(path)
    except ScenarioError as err:
        raise invalid(err) from None


def refuse(message: str) -> typer.Exit:
    """Print why an option cannot be honoured; exit code 2."""
    err_console.print(message, highlight=False, markup=False)
    return typer.Exit(EXIT_INVALID)


def split_structures(structures: str) -> list[str]:
    """The structures of a ``--structures a,b`` option."""
    listed = [s.strip() for s in structures.split(",") if s.strip()]
    if not listed:
        raise refuse("--structures: got an empty list")
    return listed


def check_structures(sc: Scenario, structures: list[str]) -> None:
    known = sc.structure_names()
    for name in structures:
        if name not in known:
            suggestion = hint(name, known, list_all=False)
            raise refuse(f"--structure(s): unknown structure {name!r}; allowed: "
                         f"{', '.join(known)}{suggestion}")


def check_executor(executor: str) -> None:
    if executor not in EXECUTORS:
        raise refuse(f"--executor: got {executor!r}; allowed: {', '.join(EXECUTORS)}")
    if executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise refuse("--executor dask needs Dask: pip install 'salesim[dask]'") from None


def default_out(scenario: Path, label: str = "") -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path("results") / f"{scenario.stem}{label}-{stamp}"
    i = 1
    while out.exists():
        i += 1
        out = Path("results") / f"{scenario.stem}{label}-{stamp}-{i}"
    return out


def folders(scenario: Path, out: Path | None, resume: Path | None,
            label: str = "") -> tuple[Path, Path]:
    """The output folder and its staging folder ``OUT.partial``, checked: a new output
    folder, and a staging folder only when resuming."""
    if resume is not None and out is not None and resume != out:
        raise refuse(f"--resume {resume} and --out {out} name different folders; give one")
    out = resume or out or default_out(scenario, label)
    staging = Path(f"{out}.partial")
    if out.exists():
        raise refuse(f"--out: {out} already exists; choose a new folder")
    if resume is None and staging.exists():
        raise refuse(f"--out: {staging} holds an interrupted run of this folder; resume it "
                     f"with --resume {out}, or remove it")
    if resume is not None and not staging.exists():
        raise refuse(f"--resume: nothing to resume: {staging} does not exist")
    return out, staging


def interrupted(staging: Path, out: Path, finished: str, what: str) -> typer.Exit:
    """Ctrl-C during a study: one line on standard error saying that nothing was written
    and, when files matching ``finished`` wait in ``staging``, how to resume; exit 130."""
    kept = ""
    if any(staging.glob(finished)):
        kept = f"; finished {what} wait in {staging} (--resume {out})"
    sys.stderr.write(f"interrupted: no results were written{kept}\n")
    return typer.Exit(EXIT_INTERRUPTED_REPORTED)


def read_crm_or_exit(crm_dir: Path):
    """The CRM export in ``crm_dir`` with enough won deals to calibrate from; otherwise
    every problem listed on stderr and exit 2 (heavy CRM modules load only here)."""
    from sim.crm.calibration.enough import shortfalls
    from sim.crm.format import CrmError
    from sim.crm.io import read_crm

    try:
        crm = read_crm(crm_dir)
        if short := shortfalls(crm):
            raise CrmError(short, str(crm_dir))
    except CrmError as err:
        err_console.print(f"[bold red]invalid CRM export[/] {crm_dir}: "
                          f"{len(err.problems)} problem(s)", highlight=False)
        for p in err.problems:
            err_console.print(f"  - {p}", highlight=False, markup=False)
        raise typer.Exit(EXIT_INVALID) from None
    return crm
