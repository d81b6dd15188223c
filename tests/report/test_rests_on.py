"""findings.md's "What the ranking rests on": the assumptions a Morris screening of the
scenario finds moving the contribution difference against the baseline most, read
from a sensitivity folder written by the project's own writer; without a screening,
the command that makes one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.cli.compare import screening_found
from sim.report.findings import findings_markdown
from sim.study.experiment import compare
from sim.study.screening import rests_on, screening_command
from sim.study.sensitivity import analyse_frames
from sim.study.sweep_design import MORRIS_LEVELS

from tests.helpers import DEFAULT, run_cli, small

#: Real dotted paths, so the writer labels them as it labels any sweep's parameters.
STRONG, WEAK, NONE = ("structures.ticket_pool.service_penalty",
                      "structures.ticket_pool.institutional_relationship",
                      "reorganisation.adaptation_days")


def _screening(folder) -> None:
    """A Morris sweep's sensitivity folder where ticket_pool's contribution difference
    against classic moves 100 per unit of STRONG, 10 of WEAK and not with NONE."""
    from SALib.sample import morris

    problem = {"num_vars": 3, "names": [STRONG, WEAK, NONE],
               "bounds": [[0.0, 1.0]] * 3, "dists": ["unif"] * 3}
    x = morris.sample(problem, 10, num_levels=MORRIS_LEVELS, seed=1)
    design = pd.DataFrame(x, columns=problem["names"]).rename_axis("point")
    rng = np.random.default_rng(2)
    rows = []
    for p, (a, b, _) in enumerate(x):
        for r in range(3):
            base = 1000.0 + rng.normal(0, 1.0)
            rows += [{"point": p, "replication": r, "structure": "classic",
                      "revenue": base, "new_clients": 1.0, "contribution": base},
                     {"point": p, "replication": r, "structure": "ticket_pool",
                      "revenue": base, "new_clients": 1.0,
                      "contribution": base + 100.0 * a + 10.0 * b + rng.normal(0, 0.1)}]
    analysis = analyse_frames("morris", problem, design, pd.DataFrame(rows),
                              ["classic", "ticket_pool"], "classic")
    analysis.save(folder / "sensitivity")


@pytest.fixture(scope="module")
def results():
    return compare(small(**{"experiment.horizon_years": 0.25}), ["classic", "ticket_pool"],
                   replications=2, executor="serial")


def test_the_assumption_that_moves_the_difference_most_comes_first(tmp_path, results):
    _screening(tmp_path)
    top = rests_on(tmp_path, ["classic", "ticket_pool"], "classic")
    assert [t["parameter"] for t in top][:2] == [STRONG, WEAK]
    assert top[0]["mu_star"] > top[1]["mu_star"] > 0 and top[0]["above_noise"]
    results.meta["screening"] = screening_found(tmp_path / "x.yaml", tmp_path,
                                                results.structures, results.baseline)
    for language, title in (("en", "## What the ranking rests on"),
                            ("ru", "## На чём держится ранжирование")):
        text = findings_markdown(results, language)
        section = text.split(title, 1)[1].split("\n## ", 1)[0]
        assert section.index(STRONG) < section.index(WEAK)
        assert str(tmp_path) in section


def test_without_a_screening_the_section_gives_the_command(tmp_path, monkeypatch, results):
    monkeypatch.chdir(tmp_path)  # no results/screenings/ here
    results.meta["screening"] = screening_found(tmp_path / "shop.yaml", None,
                                                results.structures, results.baseline)
    text = findings_markdown(results, "en")
    section = text.split("## What the ranking rests on", 1)[1].split("\n## ", 1)[0]
    assert "No screening" in section
    assert screening_command(tmp_path / "shop.yaml") in section
    assert "results/screenings/shop" in section


def test_a_screening_against_another_baseline_is_said_to_be_unusable(tmp_path, results):
    _screening(tmp_path)
    found = screening_found(tmp_path / "x.yaml", tmp_path, ["ticket_pool", "classic"],
                            "ticket_pool")
    assert found["top"] is None and "against ticket_pool" in found["error"]


def test_compare_refuses_a_screening_folder_that_does_not_exist(monkeypatch, capsys,
                                                                tmp_path):
    code, out = run_cli(monkeypatch, capsys, "compare", DEFAULT,
                        "--screening", tmp_path / "none", "--out", tmp_path / "o")
    assert code == 2 and "--screening" in out


def test_compare_reads_the_screening_of_the_scenario_from_its_default_folder(
        monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.yaml").write_text(
        "name: shop\nmarket: {n_accounts: 400}\nworkforce: {managers: 3}\n"
        "experiment: {horizon_years: 0.25, initial_state: fresh, replications: 2,\n"
        "             structures: [classic, ticket_pool]}\n", encoding="utf-8")
    _screening(tmp_path / "results" / "screenings" / "shop")
    code, out = run_cli(monkeypatch, capsys, "compare", "shop.yaml", "--workers", "1",
                        "--quiet", "--out", "done")
    assert code == 0, out
    text = (tmp_path / "done" / "findings.md").read_text(encoding="utf-8")
    section = text.split("## What the ranking rests on", 1)[1].split("\n## ", 1)[0]
    assert STRONG in section and "results/screenings/shop" in section
