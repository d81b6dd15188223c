"""Shared fixtures: a SimPy environment with an event log (after SimPy's own tests),
and the default scenario. Helpers the tests import (small scenarios, ROOT, the CLI
runners) live in tests/helpers.py."""

from __future__ import annotations

import pytest
import simpy

from sim import Scenario, load_scenario

from tests.helpers import DEFAULT


def pytest_addoption(parser):
    parser.addoption("--validation-size", choices=["small", "full"], default="small",
                     help="size of the validation suite (tests/validation)")


@pytest.fixture
def env() -> simpy.Environment:
    return simpy.Environment()


@pytest.fixture
def log() -> list:
    return []


@pytest.fixture(scope="session")
def default_scenario() -> Scenario:
    return load_scenario(DEFAULT)
