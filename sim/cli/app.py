"""The Typer application of ``salesim``, its two consoles and its exit codes.

The command modules (:mod:`sim.cli.compare`, :mod:`sim.cli.sweep`, :mod:`sim.cli.data`)
import from here and from :mod:`sim.cli.options`; :mod:`sim.cli` registers their commands
on :data:`app` in the order ``salesim --help`` lists them and maps outcomes to exit codes.
Nothing here imports a command module, so the package has no import circle.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

EXIT_INVALID = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 1
EXIT_INTERRUPTED_REPORTED = 1130  # internal: 130, message already written

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="salesim: why a sales department grows over with moss, and which "
                       "structure cures it.")
# A piped or redirected output gets a width that fits the key-figures table.
out_console = Console() if sys.stdout.isatty() else Console(width=150)
err_console = Console(stderr=True, soft_wrap=True)
