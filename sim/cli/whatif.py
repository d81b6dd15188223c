"""``salesim whatif SCENARIO_OR_SWEEP_DIR``: the what-if page on localhost
(:mod:`sim.whatif`), its address printed and opened in the browser."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import out_console
from sim.cli.options import WorkersOpt, refuse

HOST = "127.0.0.1"  # the page is served to this machine only


def free_port() -> int:
    """A port the system reports free on localhost."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def whatif(
    source: Annotated[Path, typer.Argument(
        help="A sweep folder (answers from its emulator) or a scenario YAML (sliders "
             "over its uncertainties, simulation only).")],
    port: Annotated[int | None, typer.Option(
        min=1, max=65535, help="Port on localhost (default: a free one).")] = None,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Print the address only; do not open a browser.")] = False,
    out: Annotated[Path | None, typer.Option(
        help="Where saved scenarios and reports go (default: DIR/whatif, or "
             "SCENARIO-whatif beside the scenario).")] = None,
    workers: WorkersOpt = None,
    language: Annotated[str | None, typer.Option(
        help="en or ru (default: the scenario's report language).")] = None,
) -> None:
    """Start the what-if page: move an assumption, see the emulator's answer, simulate
    the point; prints its address and opens it in the browser."""
    from shiny import run_app

    from sim.cli.emulate import load_or_fit
    from sim.whatif.app import make_app
    from sim.whatif.session import open_source

    if not source.exists():
        raise refuse(f"{source}: no such sweep folder or scenario file")
    if language not in (None, "en", "ru"):
        raise refuse(f"--language: got {language!r}; allowed: en, ru")
    if source.is_dir():
        load_or_fit(source)
        from sim.study.sweep_design import SweepError

        try:
            session = open_source(source, out, workers)
        except SweepError as err:
            raise refuse(str(err)) from None
    else:
        from sim.cli.options import load_or_exit

        load_or_exit(source)
        session = open_source(source, out, workers)
    language = language or session.scenario.report.language
    app = make_app(session, language)
    port = port or free_port()
    url = f"http://{HOST}:{port}/"
    out_console.print(f"what-if page at {url} (Ctrl-C stops it)", highlight=False)
    if not no_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    run_app(app, host=HOST, port=port, launch_browser=False, log_level="warning")
