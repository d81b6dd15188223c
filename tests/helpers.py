"""Helpers the tests import as functions and constants (pytest keeps conftest.py for
fixtures): the repository's root, small scenarios that run in a fraction of a second,
a department of a named structure, a child process that may be interrupted, and the
salesim command run in this process or in a child."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sim import Scenario
from sim.model.department import Department
from sim.model.reorganisation import Snapshot
from sim.model.streams import Streams
from sim.model.structures import make_structure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "scenarios" / "default.yaml"

#: The seed and replication of the departments the model tests build by hand.
SEED, REP = 5, 0


def interruptible() -> None:
    """For a child process that is to be interrupted: SIGINT to its default, so Python
    raises KeyboardInterrupt on it even where the test run itself was started with
    SIGINT ignored (a shell's background job, nohup)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def small(**overrides) -> Scenario:
    """The default scenario shrunk to a few managers, accounts and months."""
    base = {
        "market.n_accounts": 600,
        "workforce.managers": 3,
        "demand.inbound_leads_per_day": 1.0,
        "experiment.horizon_years": 0.5,
        "experiment.replications": 2,
        "experiment.initial_state": "fresh",
    }
    base.update(overrides)
    return Scenario().with_overrides(base)


def department(sc: Scenario, name: str, snap: Snapshot | None = None, seed: int = SEED,
               rep: int = REP) -> Department:
    """A department of structure ``name`` on the streams ``(seed, rep)``, taking over
    from the warm-up ``snap`` if one is given (a fresh market otherwise)."""
    return Department(sc, make_structure(name, sc), Streams(seed, rep), snapshot=snap)


def run_cli(monkeypatch, capsys, *args) -> tuple[int, str]:
    """``salesim ARGS`` in this process (``sim.cli.main`` with ``sys.argv`` set): its exit
    code and what it printed, standard error first."""
    from sim.cli import main

    monkeypatch.setattr(sys, "argv", ["salesim", *map(str, args)])
    with pytest.raises(SystemExit) as e:
        main()
    captured = capsys.readouterr()
    return e.value.code, captured.err + captured.out


def salesim(*args, cwd: Path | None = None, code: str | None = None
            ) -> subprocess.CompletedProcess:
    """``salesim ARGS`` in a child process (``python -m sim.cli``), in ``cwd``; with
    ``code``, ``python -c CODE ARGS`` instead (code that wraps the entry point)."""
    entry = ["-c", code] if code else ["-m", "sim.cli"]
    return subprocess.run([sys.executable, *entry, *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)
