"""`salesim synth-crm` and `salesim calibrate` from the command line: files written,
and a bad CRM export refused with exit 2, the file, the row and the problem, and nothing
written."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from sim import load_scenario

from tests.helpers import ROOT, run_cli

# Folders refused by the read (expect.txt) or as too thin to calibrate (unusable.txt):
# both exit 2 before any simulation. Folders with note.txt are accepted.
CASES = sorted(p for p in (ROOT / "tests" / "crm_cases").iterdir()
               if (p / "expect.txt").is_file() or (p / "unusable.txt").is_file())
BASE = """name: small
market: {n_accounts: 1500}
workforce: {managers: 5}
experiment: {horizon_years: 1, warmup_years: 1, warmup_hire_spread_days: 63}
"""


@pytest.fixture
def base(tmp_path) -> Path:
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    return path


def test_synth_crm_then_calibrate_writes_a_valid_scenario_and_its_fit_check(
        tmp_path, base, monkeypatch, capsys):
    crm = tmp_path / "crm"
    code, text = run_cli(monkeypatch, capsys, "synth-crm", base, "--out", crm, "--seed", 3)
    assert code == 0, text
    assert {p.name for p in crm.iterdir()} == {"deals.csv", "accounts.csv", "owners.csv"}
    code, text = run_cli(monkeypatch, capsys, "synth-crm", base, "--out", crm)
    assert code == 2 and "already exists" in text
    out = tmp_path / "fit" / "scenario.yaml"
    code, text = run_cli(monkeypatch, capsys, "calibrate", crm, "--out", out, "--base", base,
                         "--replications", 1, "--trials", 2, "--patience", 2, "-q")
    assert code == 0, text
    calibrated = load_scenario(out)
    assert calibrated.workforce.managers >= 1
    md = (out.parent / "calibration.md").read_text(encoding="utf-8")
    assert md.count("**Verdict: ") >= 4
    assert (out.parent / "calibration_trials.csv").exists()
    # One replication and a year of five managers: the terminal says, even with -q,
    # which checks are too small to tell, as calibration.md does; no file shows nan.
    assert "warning: fit check of clients lost by month" in text, text
    assert "too small to tell" in md
    for path in out.parent.iterdir():
        assert not re.search(r"\bnan\b", path.read_text(encoding="utf-8"), re.I), path
    mask = os.umask(0o022)
    os.umask(mask)
    for written in (out, out.parent / "calibration.md"):  # not owner-only, as mkstemp makes
        assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~mask, written
    code, text = run_cli(monkeypatch, capsys, "calibrate", crm, "--out", out, "--base", base)
    assert code == 2 and "already exists" in text


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_a_bad_export_exits_2_naming_the_problem_and_writes_nothing(
        case, tmp_path, base, monkeypatch, capsys):
    out = tmp_path / "fit" / "scenario.yaml"
    code, text = run_cli(monkeypatch, capsys, "calibrate", case, "--out", out, "--base", base)
    assert code == 2, text
    assert "Traceback" not in text and "internal error" not in text
    expect = case / "expect.txt" if (case / "expect.txt").is_file() else case / "unusable.txt"
    fragments = expect.read_text(encoding="utf-8").strip().split("|")
    problems = [line for line in text.splitlines() if line.startswith("  - ")]
    assert any(all(f.strip() in p for f in fragments) for p in problems), (fragments, text)
    assert not out.parent.exists()


def test_a_missing_export_folder_and_a_bad_start_exit_2(tmp_path, base, monkeypatch, capsys):
    out = tmp_path / "fit" / "scenario.yaml"
    code, text = run_cli(monkeypatch, capsys, "calibrate", tmp_path / "nowhere", "--out", out,
                         "--base", base)
    assert code == 2 and "nowhere" in text
    code, text = run_cli(monkeypatch, capsys, "synth-crm", base, "--out", tmp_path / "c",
                         "--start", "2023-01-01")
    assert code == 2 and "--start" in text and "weekend" in text
    assert not out.parent.exists() and not (tmp_path / "c").exists()


def test_a_start_after_the_export_exits_2_and_writes_nothing(tmp_path, base, monkeypatch,
                                                             capsys):
    crm = tmp_path / "crm"
    assert run_cli(monkeypatch, capsys, "synth-crm", base, "--out", crm)[0] == 0
    out = tmp_path / "fit" / "scenario.yaml"
    code, text = run_cli(monkeypatch, capsys, "calibrate", crm, "--out", out, "--base", base,
                         "--start", "2030-01-01")
    assert code == 2 and "cannot calibrate" in text and "--start" in text, text
    assert not out.parent.exists()


def test_calibrate_finds_the_default_scenario_from_any_folder(tmp_path, monkeypatch, capsys):
    case = ROOT / "tests" / "crm_cases" / "44_no_won_deal"
    monkeypatch.chdir(tmp_path)  # no scenarios/ here: the shipped default is used
    out = tmp_path / "fit" / "scenario.yaml"
    code, text = run_cli(monkeypatch, capsys, "calibrate", case, "--out", out)
    assert code == 2 and "no deal is won" in text, text
    code, text = run_cli(monkeypatch, capsys, "calibrate", case, "--out", out,
                         "--base", "nowhere.yaml")
    assert code == 2 and text.startswith("--base: nowhere.yaml is not a file"), text
    assert not out.parent.exists()


def test_synth_crm_writes_an_amocrm_export_in_russian_excel_conventions(
        tmp_path, base, monkeypatch, capsys):
    from sim.crm.io import read_crm

    crm = tmp_path / "amo"
    code, text = run_cli(monkeypatch, capsys, "synth-crm", base, "--out", crm, "--seed", 3,
                         "--form", "amocrm", "--dialect", "excel-ru")
    assert code == 0, text
    assert (crm / "deals.csv").read_bytes().startswith("ID;Название сделки".encode("cp1251"))
    read = read_crm(crm)
    assert read.format == "amocrm" and (read.deals["stage"] == "won").sum() >= 20
    assert any("cp1251" in n and "dates dd.mm.yyyy" in n for n in read.notes)
    code, text = run_cli(monkeypatch, capsys, "synth-crm", base, "--out", tmp_path / "x",
                         "--form", "pipedrive")
    assert code == 2 and "--form" in text and "amocrm" in text
