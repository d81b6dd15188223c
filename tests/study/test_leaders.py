"""salesim leaders: the leader of each department and its paired lead over the
runner-up, the plain statement when that lead is not clear, and the files written."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.report.leaders import leaders_markdown, write_leaders
from sim.study.leaders import COLUMNS, leads
from sim.study.measures import mean_ci

from tests.helpers import run_cli

TINY = """name: {name}
market: {{n_accounts: 400}}
workforce: {{managers: 3}}
demand: {{inbound_leads_per_day: 1.0}}
experiment: {{horizon_years: 0.25, initial_state: fresh, replications: 2,
             structures: [classic, ticket_pool]}}
"""


def _runs(gap: float, noise: float, n: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    shared = rng.normal(100.0, 30.0, n)  # what common random numbers share
    rows = []
    for s, shift in (("a", 0.0), ("b", gap), ("c", -50.0)):
        own = rng.normal(0.0, noise, n)
        for r in range(n):
            v = shared[r] + shift + own[r]
            rows.append({"replication": r, "structure": s, "contribution": v,
                         "new_clients": v / 10})
    return pd.DataFrame(rows)


def test_the_leader_is_the_highest_mean_and_its_lead_is_paired_on_the_runner_up():
    runs = _runs(gap=5.0, noise=0.5)
    lead = {x.measure: x for x in leads(runs, "dept")}["contribution"]
    wide = runs.pivot(index="replication", columns="structure", values="contribution")
    assert lead.leader == wide.mean().idxmax() == "b"
    assert lead.runner_up == "a"
    mean, half, n = mean_ci(wide["b"] - wide["a"])  # paired, so the shared part cancels
    assert lead.lead == pytest.approx(mean) and n == 8
    assert (lead.ci_low, lead.ci_high) == pytest.approx((mean - half, mean + half))
    assert lead.clear  # a gap of 5 with paired noise of 0.7 is clear


def test_a_lead_within_the_noise_is_not_clear_and_the_table_says_so(tmp_path):
    runs = _runs(gap=0.05, noise=5.0)
    found = leads(runs, "dept")
    assert not any(x.clear for x in found)
    assert all(x.ci_low < 0 < x.ci_high for x in found)
    frame = pd.DataFrame([{**{c: getattr(x, c) for c in COLUMNS if c not in
                                ("clear", "structures")}, "clear": x.clear,
                           "structures": ",".join(x.structures)} for x in found])
    text = leaders_markdown(frame)
    assert text.count("not clear") >= 2
    out = write_leaders(frame, tmp_path / "lead")
    assert sorted(p.name for p in out.iterdir()) == ["leaders.csv", "leaders.md"]
    with pytest.raises(FileExistsError):
        write_leaders(frame, out)


def test_one_structure_has_no_leader():
    runs = _runs(1.0, 1.0)
    with pytest.raises(ValueError, match="at least two"):
        leads(runs[runs.structure == "a"], "dept")


def test_salesim_leaders_writes_a_row_per_department_and_measure(monkeypatch, capsys,
                                                                 tmp_path):
    paths = []
    for name in ("shop", "works"):
        p = tmp_path / f"{name}.yaml"
        p.write_text(TINY.format(name=name), encoding="utf-8")
        paths.append(p)
    out = tmp_path / "leaders"
    code, text = run_cli(monkeypatch, capsys, "leaders", *paths, "--replications", "2",
                         "--workers", "1", "--out", out)
    assert code == 0, text
    frame = pd.read_csv(out / "leaders.csv")
    assert list(frame.columns) == COLUMNS
    assert sorted(zip(frame.scenario, frame.measure, strict=True)) == [
        ("shop", "contribution"), ("shop", "new_clients"),
        ("works", "contribution"), ("works", "new_clients")]
    assert set(frame.leader) | set(frame.runner_up) <= {"classic", "ticket_pool"}
    assert (frame.ci_low <= frame.lead).all() and (frame.lead <= frame.ci_high).all()
    assert "| shop |" in (out / "leaders.md").read_text(encoding="utf-8")
    code, text = run_cli(monkeypatch, capsys, "leaders", *paths, "--out", out)
    assert code == 2 and "already exists" in text
