"""Every scenario file the project ships passes `salesim validate`: a consultant who
starts from any of them can run `salesim compare` on it."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT, run_cli

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_the_project_ships_scenario_files():
    assert len(SCENARIOS) >= 4


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_salesim_validate_passes_every_scenario_file(monkeypatch, capsys, path):
    code, out = run_cli(monkeypatch, capsys, "validate", path)
    assert code == 0, out
