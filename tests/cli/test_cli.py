"""The salesim command: validation messages, exit codes, and the results folder."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from tests.helpers import DEFAULT, salesim, small

BROKEN = {
    "unknown_key": ("workforce:\n  managerz: 12\n", ["workforce.managerz", "managers"]),
    "wrong_type": ("workforce:\n  managers: lots\n", ["workforce.managers", "'lots'"]),
    "out_of_range": ("selling:\n  connect_rate: 1.7\n", ["selling.connect_rate", "1.7",
                                                          "less than or equal to 1"]),
    "negative_headcount": ("workforce:\n  managers: -3\n", ["workforce.managers", "-3"]),
    "yaml_syntax": ("market:\n  n_accounts: [1, 2\n", ["YAML syntax error", "line"]),
    "empty": ("", ["empty"]),
    "not_a_mapping": ("- a\n- b\n", ["mapping", "list"]),
    "unknown_structure": ("experiment:\n  structure: pooled\n",
                          ["experiment.structure", "'pooled'", "classic"]),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_validate_rejects_broken_files_with_exit_2_and_names_the_problem(tmp_path, name):
    text, expected = BROKEN[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    r = salesim("validate", path)
    assert r.returncode == 2, r
    assert "Traceback" not in r.stderr + r.stdout
    for part in expected:
        assert part in r.stderr, (part, r.stderr)


def test_validate_a_missing_file(tmp_path):
    r = salesim("validate", tmp_path / "nowhere.yaml")
    assert r.returncode == 2
    assert "no such file" in r.stderr and "nowhere.yaml" in r.stderr
    assert "Traceback" not in r.stderr


def test_validate_accepts_the_default_scenario():
    r = salesim("validate", DEFAULT)
    assert r.returncode == 0 and "valid" in r.stdout


def test_schema_prints_json_schema():
    r = salesim("schema")
    assert r.returncode == 0
    assert "workforce" in json.loads(r.stdout)["properties"]


def test_run_writes_a_complete_results_folder(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(small().model_dump(mode="json")))
    out = tmp_path / "out"
    r = salesim("run", scenario, "--replications", 2, "--seed", 4, "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    names = {p.name for p in out.iterdir()}
    assert names == {"summary.csv", "monthly.parquet", "managers.parquet", "scenario.yaml",
                     "manifest.json", "charts"}
    assert {p.name for p in (out / "charts").iterdir()} == {
        "moss_curve.png", "revenue.png", "new_clients.png", "base_per_manager.png"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and len(manifest["replication_seeds"]) == 2
    assert manifest["packages"]["simpy"]
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert sorted(monthly.replication.unique()) == [0, 1]
    summary = pd.read_csv(out / "summary.csv")
    assert {"measure", "mean", "ci_low", "ci_high"} <= set(summary.columns)
    # The resolved scenario reproduces the run's settings.
    assert yaml.safe_load((out / "scenario.yaml").read_text())["workforce"]["managers"] == 3
    # Nothing but the folder itself is left beside it.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_run_refuses_an_existing_output_folder_and_leaves_it_alone(tmp_path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = salesim("run", DEFAULT, "--out", out, "--replications", 1, "--quiet")
    assert r.returncode == 2 and "already exists" in r.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_run_rejects_an_unknown_structure(tmp_path):
    r = salesim("run", DEFAULT, "--structure", "pool", "--out", tmp_path / "o", "--quiet")
    assert r.returncode == 2 and "pool" in r.stderr
    assert not (tmp_path / "o").exists()


def test_run_rejects_a_bad_option_value_with_exit_2(tmp_path):
    r = salesim("run", DEFAULT, "--replications", "0", "--out", tmp_path / "o")
    assert r.returncode == 2 and "replications" in r.stderr.lower()
    assert "Traceback" not in r.stderr


def test_compare_writes_every_structure_with_differences_findings_and_charts(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    data = small(**{"experiment.initial_state": "mature", "experiment.warmup_years": 0.5}
                 ).model_dump(mode="json")
    scenario.write_text(yaml.safe_dump(data))
    out = tmp_path / "cmp"
    r = salesim("compare", scenario, "--replications", 2, "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    six = ["classic", "staged-2", "staged-3", "ticket_pool", "process_norm",
           "automated_marketing"]
    summary = pd.read_csv(out / "summary.csv")
    assert list(dict.fromkeys(summary.structure)) == six
    wanted = {"revenue", "new_clients", "contribution", "lost_clients_neglect",
              "lost_clients_lost_order", "lost_clients_manager_left", "lost_clients_natural",
              "top_manager_revenue_share", "lead_wait_hours_mean"}
    assert wanted <= set(summary.measure)
    diffs = pd.read_csv(out / "differences.csv")
    assert set(diffs.structure) == set(six) - {"classic"} and set(diffs.baseline) == {"classic"}
    findings = (out / "findings.md").read_text()
    assert "## Revenue over the horizon" in findings and "against classic" in findings
    assert set(pd.read_parquet(out / "monthly.parquet").structure) == set(six)
    assert set(pd.read_parquet(out / "managers.parquet").structure) == set(six)
    assert {p.name for p in (out / "charts").iterdir()} == {
        "revenue.png", "new_clients.png", "summary.png", "moss_curve.png", "lost_by_cause.png",
        "transition.png", "new_clients_by_source.png", "bridge.png"}
    assert {p.name for p in out.iterdir()} == {
        "summary.csv", "differences.csv", "findings.md", "monthly.parquet", "managers.parquet",
        "scenario.yaml", "manifest.json", "charts", "report.html"}


def test_compare_takes_a_structure_list_and_a_baseline(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(small().model_dump(mode="json")))
    out = tmp_path / "cmp"
    r = salesim("compare", scenario, "--structures", "ticket_pool,pool_fed_by_marketing",
                "--baseline", "ticket_pool", "--replications", 2, "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    diffs = pd.read_csv(out / "differences.csv")
    assert set(diffs.structure) == {"pool_fed_by_marketing"}
    r = salesim("compare", scenario, "--structures", "classic,tiket_pool", "--out",
                tmp_path / "bad", "--quiet")
    assert r.returncode == 2 and "did you mean 'ticket_pool'" in r.stderr
    assert not (tmp_path / "bad").exists()


def test_compare_on_a_local_dask_cluster_from_the_command_line(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(small().model_dump(mode="json")))
    outs = {}
    for executor in ("serial", "dask"):
        outs[executor] = tmp_path / executor
        r = salesim("compare", scenario, "--structures", "classic,ticket_pool",
                    "--replications", 2, "--executor", executor, "--workers", 2,
                    "--out", outs[executor], "--quiet")
        assert r.returncode == 0, r.stderr
    for name in ("monthly.parquet", "managers.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(outs["serial"] / name),
                                      pd.read_parquet(outs["dask"] / name))
