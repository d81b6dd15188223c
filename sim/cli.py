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

from .scenario import STRUCTURES, ScenarioError, json_schema, load_scenario

EXIT_INVALID = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 1

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="salesim: why a sales department grows over with moss, and which "
                       "structure cures it.")
out_console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def _invalid(err: ScenarioError) -> typer.Exit:
    where = f"{err.source}: " if err.source else ""
    err_console.print(f"[bold red]invalid scenario[/] {where}{len(err.problems)} problem(s)",
                      highlight=False)
    for p in err.problems:
        err_console.print(f"  - {p}", highlight=False, markup=False)
    return typer.Exit(EXIT_INVALID)


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")]) -> None:
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


def _default_out(scenario: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path("results") / f"{scenario.stem}-{stamp}"
    i = 1
    while out.exists():
        i += 1
        out = Path("results") / f"{scenario.stem}-{stamp}-{i}"
    return out


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    structure: Annotated[str | None, typer.Option(help=f"One of: {', '.join(STRUCTURES)}.")] = None,
    replications: Annotated[int | None, typer.Option(min=1, help="Replications to run.")] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Root random seed.")] = None,
    out: Annotated[Path | None, typer.Option(help="Results folder (must not exist).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Processes (default: all cores).")
                       ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table.")
                     ] = False,
) -> None:
    """Simulate one structure and write a results folder."""
    from .experiment import run as run_study

    try:
        sc = load_scenario(scenario)
    except ScenarioError as err:
        raise _invalid(err) from None
    if structure is not None and structure not in STRUCTURES:
        err_console.print(f"--structure: got {structure!r}; allowed: {', '.join(STRUCTURES)}",
                          highlight=False, markup=False)
        raise typer.Exit(EXIT_INVALID)
    out = out or _default_out(scenario)
    if out.exists():
        err_console.print(f"--out: {out} already exists; choose a new folder", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    n = replications or sc.experiment.replications
    show = not quiet and err_console.is_terminal
    with Progress(TextColumn("[bold]replications"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                  console=err_console, disable=not show, transient=True) as bar:
        task = bar.add_task("run", total=n)
        results = run_study(sc, structure=structure, replications=n, seed=seed,
                            workers=workers,
                            progress=lambda done, total: bar.update(task, completed=done))
    path = results.save(out, command=sys.argv)
    if not quiet:
        _key_figures(results)
    out_console.print(f"results written to {path}", highlight=False)


def _key_figures(results) -> None:
    summary = results.summary()
    shown = [("revenue", "Revenue over the horizon", 1e6, "M"),
             ("new_clients", "New clients", 1, ""),
             ("contribution", "Contribution (profit)", 1e6, "M"),
             ("lost_clients", "Lost clients", 1, ""),
             ("active_share", "Active share of free time", 0.01, "%"),
             ("turnover_annual", "Manager turnover a year", 0.01, "%"),
             ("top_manager_revenue_share", "Top manager's revenue share", 0.01, "%")]
    table = Table(title=f"Key figures, mean and 95 % interval over {results.replications} "
                        "replications")
    table.add_column("measure")
    for structure in results.structures:
        table.add_column(structure, justify="right")
    for key, label, scale, unit in shown:
        cells = []
        for structure in results.structures:
            row = summary[(summary.structure == structure) & (summary.measure == key)].iloc[0]
            half = "" if row.half_width != row.half_width else f" ± {row.half_width / scale:,.1f}"
            cells.append(f"{row['mean'] / scale:,.1f}{unit}{half}")
        table.add_row(label, *cells)
    out_console.print(table)


def main() -> None:
    """Entry point: map outcomes to the documented exit codes, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except typer.Exit as e:
        code = e.exit_code
    except (KeyboardInterrupt, typer.Abort):
        err_console.print("interrupted: no results were written", highlight=False)
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
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
