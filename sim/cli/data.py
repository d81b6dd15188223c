"""``salesim validate``, ``schema``, ``calibrate`` and ``synth-crm``: the commands about
input data, a scenario file or a CRM export, that run no study of structures.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import err_console, out_console
from sim.cli.options import (
    QuietOpt,
    ScenarioArg,
    SeedOpt,
    WorkersOpt,
    invalid,
    load_or_exit,
    read_crm_or_exit,
    refuse,
)
from sim.cli.progress import calibration_lines
from sim.config.scenario import ScenarioError, json_schema


def validate(scenario: ScenarioArg) -> None:
    """Check a scenario file; print each problem with its field path."""
    sc = load_or_exit(scenario)
    out_console.print(f"{scenario}: valid scenario {sc.name!r}", highlight=False)


def schema() -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    sys.stdout.write(json_schema() + "\n")


def calibrate(
    crm_dir: Annotated[Path, typer.Argument(help="Folder of the CRM export (docs/crm.md).")],
    out: Annotated[Path, typer.Option(help="Scenario YAML to write; calibration.md and the "
                                           "trials go beside it.")],
    base: Annotated[Path | None, typer.Option(
        help="Scenario whose numbers a CRM does not show (territory size, handling times, "
             "...); default: the default scenario shipped with salesim "
             "(scenarios/default.yaml).", show_default=False)] = None,
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
    from sim.config.shipped import default_scenario_path
    from sim.crm.calibration.fit import CalibrationError, Settings
    from sim.crm.calibration.fit import calibrate as run_calibration
    from sim.crm.calibration.output import targets, warnings, write

    if out.suffix not in (".yaml", ".yml"):
        raise refuse(f"--out: {out} must name a .yaml file")
    taken = [p for p in targets(out) if p.exists()]
    if taken:
        raise refuse(f"--out: {taken[0]} already exists; choose another file or folder")
    if base is None:
        base = default_scenario_path()
    elif not base.is_file():
        raise refuse(f"--base: {base} is not a file; allowed: a scenario YAML file (leave "
                     f"--base out for the default scenario shipped with salesim)")
    base_sc = load_or_exit(base)
    if start is not None:
        try:
            datetime.strptime(start, "%Y-%m-%d")
        except ValueError:
            raise refuse(f"--start: got {start!r}; allowed: a date as YYYY-MM-DD") from None
    crm = read_crm_or_exit(crm_dir)
    if not quiet:  # what was read and how: encodings, delimiters, dates, dropped values
        for note in crm.notes:
            err_console.print(f"read: {note}", highlight=False, markup=False)
    settings = Settings(replications=replications, trials=trials, patience=patience,
                        seed=base_sc.experiment.seed if seed is None else seed,
                        workers=workers)
    say = (lambda _m: None) if quiet else calibration_lines(
        trials, lambda m: err_console.print(m, highlight=False, markup=False))
    try:
        cal = run_calibration(crm, base_sc, settings, start=start, progress=say)
    except CalibrationError as err:
        raise refuse(f"cannot calibrate to {crm_dir}: {err}") from None
    except ScenarioError as err:
        raise invalid(err) from None
    paths = write(cal, out, str(crm_dir))
    for w in warnings(cal):  # even with --quiet: they say what not to trust
        err_console.print(f"warning: {w}", highlight=False, markup=False)
    if not quiet:
        out_console.print(f"Wrote {', '.join(str(p) for p in paths)} in {cal.seconds:.0f} s.",
                          highlight=False)


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
    form: Annotated[str, typer.Option(
        help="Form of deals.csv: salesim, salesforce, hubspot, amocrm or bitrix24.")
                    ] = "salesim",
    dialect: Annotated[str, typer.Option(
        help="Conventions of every file: plain (UTF-8, commas, 1234.5, YYYY-MM-DD), "
             "excel-ru (cp1251, semicolons, 1234,5, DD.MM.YYYY) or excel-ru-utf8 "
             "(the same in UTF-8 with a byte-order mark).")] = "plain",
) -> None:
    """Write the CRM export of a simulated classic department (docs/crm.md)."""
    import numpy as np

    from sim.crm.forms import DIALECTS, WRITTEN_FORMS
    from sim.crm.synthetic import synth_crm as write_synthetic

    if form not in WRITTEN_FORMS:
        raise refuse(f"--form: got {form!r}; allowed: {', '.join(WRITTEN_FORMS)}")
    if dialect not in DIALECTS:
        raise refuse(f"--dialect: got {dialect!r}; allowed: {', '.join(DIALECTS)}")
    if out.exists():
        raise refuse(f"--out: {out} already exists; choose a new folder")
    try:
        day = np.datetime64(start, "D")
    except ValueError:
        raise refuse(f"--start: got {start!r}; allowed: a date as YYYY-MM-DD") from None
    if not np.is_busday(day):
        raise refuse(f"--start: {start} is a weekend day; allowed: a business day "
                     "(Monday to Friday)")
    sc = load_or_exit(scenario)
    write_synthetic(sc, out, seed, start, missing_segment, missing_amount, form, dialect)
    out_console.print(f"Wrote {out}/deals.csv, accounts.csv, owners.csv.", highlight=False)
