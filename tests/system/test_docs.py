"""Docs that run: the README's example executes, and CI runs the README's test command."""

from __future__ import annotations

import os
import re

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text()


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_ci_runs_the_test_command_the_readme_gives():
    test_command = _blocks("bash")[1].strip()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command in ci.splitlines()


def test_readme_install_command_runs_the_default_scenario():
    install = _blocks("bash")[0]
    assert "salesim compare scenarios/default.yaml" in install


def test_readme_and_ci_install_through_the_lock():
    """A fresh install gets the versions the suite passed with: README's install and
    CI's both take constraints.txt, and the lock pins every package exactly."""
    locked = 'pip install -c constraints.txt -e ".[dev]"'
    assert locked in _blocks("bash")[0]
    assert locked in (ROOT / ".ci" / "run").read_text()
    pins = [line for line in (ROOT / "constraints.txt").read_text().splitlines()
            if line and not line.startswith((" ", "#"))]
    assert pins and all("==" in line for line in pins)
    names = {line.split("==")[0].lower() for line in pins}
    assert {"numpy", "pandas", "scipy", "simpy", "salib", "duckdb"} <= names


def test_readme_python_example_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(_blocks("python")[0], "README.md", "exec"), namespace)
    assert set(namespace["monthly"].replication) == {0, 1, 2, 3}
    assert namespace["curve"]["active_share"].between(0, 1).all()


def test_readme_chart_exists():
    for path in re.findall(r"\]\((docs/img/[^)]+)\)", README):
        assert os.path.exists(ROOT / path), path


def test_readme_command_list_names_every_command():
    from sim.cli import app

    listing = re.search(r"```\n(salesim compare SCENARIO.*?)```", README, flags=re.S)[1]
    names = [c.name for c in app.registered_commands]
    assert len(names) >= 9
    for name in names:
        assert re.search(rf"^salesim {re.escape(name)}\b", listing, flags=re.M), name
    assert "salesim --version" in listing


def test_the_terminal_table_at_80_columns_is_in_the_docs():
    outputs = (ROOT / "docs" / "outputs.md").read_text()
    block = next(b for b in re.findall(r"```text\n(.*?)```", outputs, flags=re.S)
                 if "money and clients" in b)
    assert max(len(line) for line in block.splitlines()) <= 80
    assert "contribution" in block and "n/a" in block and "…" not in block
