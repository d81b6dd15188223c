"""Helpers the tests import as functions and constants (pytest keeps conftest.py for
fixtures): the repository's root, small scenarios that run in a fraction of a second,
and a child process that may be interrupted."""

from __future__ import annotations

import signal
from pathlib import Path

from sim import Scenario

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "scenarios" / "default.yaml"


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
