"""The ``salesim`` command.

Exit codes: 0 done; 2 invalid input (scenario file, option); 130 interrupted;
1 internal error (a bug: please report it with the command and scenario).

The commands live by group (:mod:`sim.cli.compare`: run, compare, report;
:mod:`sim.cli.sweep`: sweep, sensitivity; :mod:`sim.cli.data`: validate, schema,
calibrate, synth-crm) and are registered here on the app of :mod:`sim.cli.app`, in the
order ``salesim --help`` lists them. :func:`main` is the entry point.
"""

from __future__ import annotations

import sys

import typer

from sim.cli import compare, data, emulate, leaders, study, sweep, whatif
from sim.cli.app import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INTERRUPTED_REPORTED,
    EXIT_INVALID,
    Command,
    app,
    err_console,
)

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_INVALID", "app", "main"]

for _name, _command in (("validate", data.validate), ("schema", data.schema),
                        ("run", compare.run), ("compare", compare.compare),
                        ("report", compare.report), ("sweep", sweep.sweep),
                        ("sensitivity", sweep.sensitivity), ("calibrate", data.calibrate),
                        ("synth-crm", data.synth_crm)):
    app.command(_name, cls=Command)(_command)
app.command("leaders", cls=Command)(leaders.leaders)
app.command("emulate", cls=Command)(emulate.emulate)
app.command("whatif", cls=Command)(whatif.whatif)
app.command("study", cls=Command)(study.study)


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
    if code == EXIT_INTERRUPTED_REPORTED:  # a study said where its replications wait
        code = EXIT_INTERRUPTED
    elif code == EXIT_INTERRUPTED:  # typer turns a bare Ctrl-C into Exit(130)
        sys.stderr.write("interrupted: no results were written\n")
    sys.exit(code if isinstance(code, int) else 0)
