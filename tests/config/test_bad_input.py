"""Bad input: a catalogue of broken scenario files and random YAML documents.

Every case must end with exit code 2 and a message naming the problem (the field, the
value and what is allowed, where there is a field), no traceback, and no results
folder. Each file in tests/bad_scenarios/ states the fragments its message must hold
in a first-line comment ``# expect: a | b``; files that cannot carry a comment (empty,
binary) are listed here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import Scenario, ScenarioError, parse_scenario

from tests.helpers import ROOT, run_cli

CATALOGUE = sorted((ROOT / "tests" / "bad_scenarios").glob("*.yaml"))
NO_HEADER = {"22_empty.yaml": ["empty"], "41_binary_garbage.yaml": ["not a UTF-8 text file"],
             "42_not_utf8.yaml": ["not a UTF-8 text file"]}


def expected(path: Path) -> list[str]:
    if path.name in NO_HEADER:
        return NO_HEADER[path.name]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name} lacks its '# expect:' line"
    return [part.strip() for part in first.removeprefix("# expect:").split("|")]


def test_the_catalogue_has_at_least_thirty_cases():
    assert len(CATALOGUE) >= 30


@pytest.mark.parametrize("path", CATALOGUE, ids=[p.name for p in CATALOGUE])
def test_validate_names_the_problem_and_exits_2(path, monkeypatch, capsys):
    code, text = run_cli(monkeypatch, capsys, "validate", str(path))
    assert code == 2
    assert "Traceback" not in text
    problems = [line for line in text.splitlines() if line.startswith("  - ")]
    assert len(problems) == 1, text  # one broken thing, one message
    for fragment in expected(path):
        assert fragment in problems[0], (fragment, problems[0])


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize("path", CATALOGUE[::4], ids=[p.name for p in CATALOGUE[::4]])
def test_runs_with_a_broken_file_create_no_results_folder(path, command, tmp_path,
                                                          monkeypatch, capsys):
    out = tmp_path / "out"
    code, text = run_cli(monkeypatch, capsys, command, str(path), "--out", str(out), "--quiet")
    assert code == 2 and "Traceback" not in text
    assert list(tmp_path.iterdir()) == []


def test_a_missing_file(tmp_path, monkeypatch, capsys):
    code, text = run_cli(monkeypatch, capsys, "validate", str(tmp_path / "gone.yaml"))
    assert code == 2 and "gone.yaml" in text and "no such file" in text


def test_a_folder_instead_of_a_file(tmp_path, monkeypatch, capsys):
    code, text = run_cli(monkeypatch, capsys, "validate", str(tmp_path))
    assert code == 2 and "folder" in text


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
field_names = st.sampled_from(["market", "demand", "workforce", "behaviour", "pay",
                               "experiment", "structures", "managers", "n_accounts",
                               "segments", "share", "drift", "seed", "horizon_years",
                               "replications", "initial_state"]) | st.text(max_size=8) \
    | st.integers(0, 5)
documents = st.recursive(yaml_scalars,
                         lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(field_names, inner, max_size=5),
                         max_leaves=20)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents)
def test_random_yaml_documents_are_valid_or_rejected_with_a_scenario_error(doc):
    text = yaml.safe_dump(doc)
    try:
        parse_scenario(yaml.safe_load(text), source="random")
    except ScenarioError as err:
        assert err.problems and all(isinstance(p, str) and p for p in err.problems)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(doc=documents)
def test_random_yaml_files_through_the_command_exit_0_or_2(doc, tmp_path_factory, monkeypatch,
                                                           capsys):
    path = tmp_path_factory.mktemp("random") / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    code, text = run_cli(monkeypatch, capsys, "validate", str(path))
    assert code in (0, 2) and "Traceback" not in text
    if code == 0:
        assert isinstance(parse_scenario(yaml.safe_load(path.read_text())), Scenario)
