"""`salesim study` end to end on a tiny synthetic export: the stages' folders, the
report as the front page, a refused export writing nothing, and a rerun after an
interruption that skips the finished stages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli

BASE = """name: tiny
market: {n_accounts: 500}
workforce: {managers: 3}
experiment: {horizon_years: 0.5, warmup_years: 0.5, warmup_hire_spread_days: 21,
             replications: 2, structures: [classic, staged-2]}
uncertainties:
  demand.inbound_leads_per_day: {range: [2, 8], source: test}
  pay.commission_rate: {range: [0.02, 0.05], source: test}
"""
STAGES = ("export", "calibration", "comparison", "assumptions", "report")


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("study")
    base = root / "base.yaml"
    base.write_text(BASE, encoding="utf-8")
    from sim import load_scenario
    from sim.crm.synthetic import synth_crm

    synth_crm(load_scenario(base), root / "crm", 3, "2023-01-02", 0.2, 0.05, "amocrm",
              "excel-ru")
    return base, root / "crm"


def _markers(out: Path) -> dict[str, float]:
    return {s: (out / s / "stage.json").stat().st_mtime_ns for s in STAGES
            if (out / s / "stage.json").exists()}


def test_study_resumes_after_an_interruption_and_writes_the_report(
        export, tmp_path, monkeypatch, capsys):
    from sim.cli.study import _Chain

    base, crm = export
    out = tmp_path / "res"
    real = _Chain._assumptions

    def interrupt(self, tmp):
        raise KeyboardInterrupt

    monkeypatch.setattr(_Chain, "_assumptions", interrupt)
    code, text = run_cli(monkeypatch, capsys, "study", crm, "--out", out, "--base", base,
                         "--budget", "20s", "--lang", "ru", "--workers", 1, "-q")
    assert code == 130 and "run the same command again to resume" in text
    before = _markers(out)
    assert set(before) == {"export", "calibration", "comparison"}
    assert not (out / "index.html").exists()
    assert not list(out.glob(".*.partial"))  # the interrupted stage left nothing

    monkeypatch.setattr(_Chain, "_assumptions", real)
    code, text = run_cli(monkeypatch, capsys, "study", crm, "--out", out, "--base", base,
                         "--budget", "20s", "--lang", "ru", "--workers", 1)
    assert code == 0, text
    after = _markers(out)
    assert all(after[s] == before[s] for s in before)  # finished stages were skipped
    assert "finished before, kept" in text
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Что показала выгрузка" in html and "Принятые особенности выгрузки" in html
    assert "cp1251" in html  # the read's notes are listed
    assert list((out / "report").glob("fit-*.png"))
    screening = json.loads((out / "assumptions" / "stage.json").read_text("utf-8"))
    assert screening["shrunk"]  # 20 s cannot hold the full design; the report says so

    code, text = run_cli(monkeypatch, capsys, "study", crm, "--out", out, "--base", base,
                         "--budget", "20s", "--lang", "ru", "--workers", 1, "-q")
    assert code == 0 and _markers(out) == after  # nothing to redo

    code, text = run_cli(monkeypatch, capsys, "study", crm, "--out", out, "--base", base,
                         "--budget", "20s", "--lang", "en", "--workers", 1, "-q")
    again = _markers(out)
    assert code == 0 and [s for s in STAGES if again[s] != after[s]] == ["report"]
    assert "What the export showed" in (out / "index.html").read_text(encoding="utf-8")


def test_a_bad_export_or_budget_exits_2_and_writes_nothing(export, tmp_path, monkeypatch,
                                                           capsys):
    base, _crm = export
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "deals.csv").write_text("id,stage\n1,won\n", encoding="utf-8")
    out = tmp_path / "res"
    code, text = run_cli(monkeypatch, capsys, "study", bad, "--out", out, "--base", base)
    assert code == 2 and "invalid CRM export" in text and not out.exists()
    code, text = run_cli(monkeypatch, capsys, "study", bad, "--out", out, "--base", base,
                         "--budget", "soon")
    assert code == 2 and "--budget" in text and not out.exists()
