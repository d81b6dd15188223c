"""The Typer application of ``salesim``, its two consoles and its exit codes.

The command modules (:mod:`sim.cli.compare`, :mod:`sim.cli.sweep`, :mod:`sim.cli.data`)
import from here and from :mod:`sim.cli.options`; :mod:`sim.cli` registers their commands
on :data:`app` in the order ``salesim --help`` lists them and maps outcomes to exit codes.
Nothing here imports a command module, so the package has no import circle.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

EXIT_INVALID = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 1
EXIT_INTERRUPTED_REPORTED = 1130  # internal: 130, message already written



def _flags_bare(params: list[Any]) -> list[Any]:
    """An on/off flag takes no value: show no ``<bool>`` type after it in ``--help``."""
    for p in params:
        if getattr(p, "is_flag", False) and p.metavar is None:
            p.metavar = ""
    return params


class Command(TyperCommand):
    """A command whose flags read as flags in ``--help``."""

    def get_params(self, ctx: typer.Context) -> list[Any]:
        return _flags_bare(super().get_params(ctx))


class Group(TyperGroup):
    """The ``salesim`` group, its flags (``--version``, ``--help``) read as flags."""

    def get_params(self, ctx: typer.Context) -> list[Any]:
        return _flags_bare(super().get_params(ctx))


app = typer.Typer(cls=Group, add_completion=False, no_args_is_help=True,
                  pretty_exceptions_enable=False,
                  help="salesim: why a sales department grows over with moss, and which "
                       "structure cures it.")


def version() -> str:
    """The installed salesim's version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("salesim")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown (not installed)"


def _show_version(asked: bool) -> None:
    if asked:
        sys.stdout.write(f"salesim {version()}\n")
        raise typer.Exit(0)


@app.callback()
def _root(show: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True,
        help="Print the version and exit.")] = False) -> None:
    """salesim: why a sales department grows over with moss, and which structure cures it."""
# A piped or redirected output gets the 80 columns the key-figures table is laid out
# for (a terminal's own width otherwise).
out_console = Console() if sys.stdout.isatty() else Console(width=80)
err_console = Console(stderr=True, soft_wrap=True)
