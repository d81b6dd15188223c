"""``salesim leaders``: which structure leads in which department. Compares each
scenario's structures on common random numbers (:mod:`sim.study.leaders`) and writes
``DIR/leaders.md`` and ``DIR/leaders.csv`` (:mod:`sim.report.leaders`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import err_console, out_console
from sim.cli.options import QuietOpt, ReplicationsOpt, SeedOpt, WorkersOpt, load_or_exit, refuse


def leaders(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario YAML files, one per "
                                                         "department.")],
    replications: ReplicationsOpt = None,
    seed: SeedOpt = None,
    out: Annotated[Path | None, typer.Option(
        help="Output folder (must not exist; default results/leaders-<timestamp>).")] = None,
    workers: WorkersOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Name the structure that leads on contribution and on new clients in each
    department, with its paired lead over the runner-up; write leaders.md and .csv."""
    from datetime import datetime

    from sim.report.leaders import write_leaders
    from sim.study.leaders import leaders as find_leaders

    loaded = {}
    for path in scenarios:
        if path.stem in loaded:
            raise refuse(f"{path}: a second scenario named {path.stem!r}; give each "
                         "department's file a different name")
        sc = load_or_exit(path)
        if len(sc.experiment.structures) < 2:
            raise refuse(f"{path}: experiment.structures lists "
                         f"{', '.join(sc.experiment.structures)}; a leader needs at least two")
        loaded[path.stem] = sc
    if out is None:
        out = Path("results") / f"leaders-{datetime.now():%Y%m%d-%H%M%S}"
    if out.exists():
        raise refuse(f"--out: {out} already exists; choose a new folder")

    def say(label: str) -> None:
        if not quiet:
            err_console.print(f"comparing the structures of {label}", highlight=False)

    frame = find_leaders(loaded, replications, seed, workers, progress=say)
    path = write_leaders(frame, out, " ".join(["salesim", *sys.argv[1:]]))
    if not quiet:
        for r in frame.itertuples():
            out_console.print(f"{r.scenario}: {r.leader} leads on {r.measure} over "
                              f"{r.runner_up}" + ("" if r.clear else " (not clear)"),
                              highlight=False)
        out_console.print(f"results written to {path}", highlight=False)
