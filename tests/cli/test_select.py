"""``salesim compare --select DELTA``: the selection printed and recorded, the options it
refuses beside it."""

from __future__ import annotations

import json

import yaml

from tests.helpers import run_cli, small


def test_compare_select_prints_and_records_the_selection(monkeypatch, capsys, tmp_path):
    import sim.report.charts as charts

    # The charts are the report tests' concern; drawing them would triple this test's time.
    monkeypatch.setattr(charts, "comparison_charts", lambda *a, **k: None)
    monkeypatch.setattr(charts, "standard_charts", lambda *a, **k: None)
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(small().model_dump(mode="json")))
    out = tmp_path / "sel"
    code, printed = run_cli(monkeypatch, capsys, "compare", scenario, "--structures",
                            "classic,ticket_pool,automated_marketing", "--select", "50000",
                            "--first-stage", "3", "--max-replications", "30",
                            "--executor", "serial", "--out", out)
    assert code == 0, printed
    chosen = json.loads((out / "manifest.json").read_text())["selection"]
    assert f"selected: {chosen['selected']}" in printed
    assert "probability of correct selection at least 95%" in printed
    used = chosen["replications"]
    assert "replications: " + ", ".join(f"{s} {k}" for s, k in used.items()) in printed
    assert chosen["runs_used"] == sum(used.values())
    assert chosen["fixed_runs"] == 3 * small().experiment.replications
    findings = (out / "findings.md").read_text()
    assert chosen["selected"] in findings and "Kim and Nelson" in findings


def test_compare_select_refuses_a_bad_delta_and_a_second_stopping_rule(monkeypatch, capsys,
                                                                      tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(small().model_dump(mode="json")))
    for args, words in ((["--select", "lots"], ["--select", "'lots'", "5%"]),
                        (["--select", "-3"], ["--select", "above 0"]),
                        (["--select", "5%", "--precision", "0.1"], ["--precision"]),
                        (["--select", "5%", "--replications", "4"], ["--replications"]),
                        (["--select", "5%", "--structures", "classic"], ["two structures"])):
        code, out = run_cli(monkeypatch, capsys, "compare", scenario, *args, "--out",
                            tmp_path / "x", "--quiet")
        assert code == 2, (args, out)
        assert all(w in out for w in words), (args, out)
        assert not (tmp_path / "x").exists()
