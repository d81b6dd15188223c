"""Grouped screening: a design over groups of uncertainties (SALib's ``groups``) has
R x (G + 1) Morris points (N x (G + 2) Sobol' points), ranks the group that moves a
known function first, and names groups in its output; the command refuses
``--by-group`` with a design that cannot group. No simulation runs here."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.config.uncertainties import group_of, salib_problem
from sim.study.sensitivity import analyse_frames
from sim.study.sweep_design import SweepError, make_design

from tests.helpers import run_cli, small

#: Six parameters in three groups: two named, one derived from the path (labour).
SPACE = {
    "demand.inbound_leads_per_day": {"range": [0.5, 2.0], "group": "demand"},
    "demand.referral_rate": {"range": [0.0, 0.02], "group": "demand"},
    "selling.upsell_prob": {"range": [0.05, 0.2], "group": "care"},
    "selling.neglect_weight": {"range": [0.5, 1.0], "group": "care"},
    "labour.quality_elasticity": {"range": [0.0, 1.0]},
    "labour.sorting_elasticity": {"range": [0.0, 4.0]},
}
GROUPS = ["demand", "care", "labour"]


@pytest.fixture(scope="module")
def scenario():
    return small().with_overrides({"uncertainties": {
        p: {**u, "source": "test"} for p, u in SPACE.items()}})


def unit(design: pd.DataFrame) -> pd.DataFrame:
    """Each column scaled to [0, 1] over its range."""
    return pd.DataFrame({p: (design[p] - u["range"][0]) / (u["range"][1] - u["range"][0])
                         for p, u in SPACE.items()})


def synthetic(design: pd.DataFrame) -> np.ndarray:
    """A function the demand group moves most (slopes 6 and 4 on unit ranges), care
    little (1 and 0.5), labour not at all."""
    z = unit(design)
    return (6 * z["demand.inbound_leads_per_day"] + 4 * z["demand.referral_rate"]
            + z["selling.upsell_prob"] + 0.5 * z["selling.neglect_weight"]).to_numpy()


def runs_of(design: pd.DataFrame, reps: int = 2, sd: float = 0.05) -> pd.DataFrame:
    """Runs of two structures: ``b`` is flat, ``a`` is ``b`` plus the function and noise."""
    rng = np.random.default_rng(5)
    y = synthetic(design)
    rows = []
    for point, value in zip(design.index, y, strict=True):
        for r in range(reps):
            base = 10.0 + rng.normal(0, sd)
            for s, v in (("a", base + value + rng.normal(0, sd)), ("b", base)):
                rows.append({"point": point, "replication": r, "structure": s,
                             "revenue": v, "new_clients": v, "contribution": v})
    return pd.DataFrame(rows)


def test_the_group_is_given_or_follows_the_path(scenario):
    u = scenario.uncertainties
    assert [group_of(p, u[p]) for p in SPACE] == ["demand", "demand", "care", "care",
                                                  "labour", "labour"]
    assert group_of("structures.staged.handoff_loss") == "staged"
    assert group_of("market.segments.*.rho") == "market"
    assert salib_problem(u, by_group=True)["groups"] == [group_of(p, u[p]) for p in SPACE]
    assert "groups" not in salib_problem(u)


@pytest.mark.parametrize("design, points, size", [("morris", 12, 12 * (3 + 1)),
                                                  ("sobol", 16, 16 * (3 + 2))])
def test_a_grouped_design_steps_through_groups_and_ranks_the_influential_one_first(
        scenario, design, points, size):
    frame = make_design(scenario, design, points, seed=3, by_group=True)
    assert len(frame) == size  # R (G + 1) Morris points, N (G + 2) Sobol' points
    if design == "morris":
        # Within a trajectory a group's parameters move together: consecutive points
        # differ in exactly one group.
        moved = (frame.diff().iloc[1:].abs() > 1e-12)
        for t in range(points):
            steps = moved.iloc[t * 4:t * 4 + 3]
            for _, row in steps.iterrows():
                changed = {group_of(p, scenario.uncertainties[p]) for p in row[row].index}
                assert len(changed) == 1
    problem = salib_problem(scenario.uncertainties, by_group=True)
    result = analyse_frames(design, problem, frame, runs_of(frame), ["a", "b"], "b", seed=1)
    top = result.top("a")
    assert set(top["parameter"]) == set(GROUPS) and set(top["group"]) == set(GROUPS)
    assert top["parameter"].iloc[0] == "demand"
    assert top["rank"].iloc[0] == 1
    assert result.grouped
    text = result.markdown()
    assert "| group |" in text and "in 3 groups" in text


def test_an_ungrouped_analysis_lists_each_parameters_group(scenario):
    frame = make_design(scenario, "morris", 6, seed=3)
    assert len(frame) == 6 * (len(SPACE) + 1)
    problem = salib_problem(scenario.uncertainties)
    problem["parameter_groups"] = [group_of(p, u) for p, u in scenario.uncertainties.items()]
    result = analyse_frames("morris", problem, frame, runs_of(frame), ["a", "b"], "b")
    top = result.top("a", n=len(SPACE)).set_index("parameter")
    assert top.loc["selling.upsell_prob", "group"] == "care"
    assert top.loc["labour.quality_elasticity", "group"] == "labour"
    assert "| parameter | group |" in result.markdown()


@pytest.mark.parametrize("design", ["lhs", "grid"])
def test_a_design_that_cannot_group_is_refused(scenario, design, tmp_path, monkeypatch,
                                               capsys):
    with pytest.raises(SweepError, match=f"by_group: a {design} design cannot group"):
        make_design(scenario, design, 64, by_group=True)
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario.model_dump(mode="json")))
    code, text = run_cli(monkeypatch, capsys, "sweep", path, "--design", design, "--points",
                         64, "--by-group", "--out", tmp_path / "out")
    assert code == 2 and "Traceback" not in text
    assert "--by-group" in text and "--design morris" in text
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_the_command_screens_groups_end_to_end(tmp_path, monkeypatch, capsys):
    """A tiny grouped sweep through the command: 2 trajectories over 3 groups of 6
    parameters make 2 x (3 + 1) points, and the analysis names groups."""
    sc = small(**{"experiment.horizon_years": 0.25, "market.n_accounts": 300,
                  "workforce.managers": 2}).with_overrides({"uncertainties": {
                      p: {**u, "source": "test"} for p, u in SPACE.items()}})
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(sc.model_dump(mode="json")))
    out = tmp_path / "out"
    code, text = run_cli(monkeypatch, capsys, "sweep", path, "--design", "morris", "--points",
                         2, "--replications", 2, "--structures", "classic,ticket_pool",
                         "--executor", "serial", "--by-group", "--out", out)
    assert code == 0, text
    assert len(list(out.glob("runs/point=*/part.parquet"))) == 2 * (3 + 1)
    problem = json.loads((out / "problem.json").read_text())
    assert problem["groups"] == problem["parameter_groups"]
    assert dict(zip(problem["names"], problem["groups"], strict=True)) == {
        p: group_of(p, sc.uncertainties[p]) for p in SPACE}
    indices = pd.read_csv(out / "sensitivity" / "indices.csv")
    assert set(indices["parameter"]) == set(GROUPS)
    assert (indices["group"] == indices["parameter"]).all()
    assert "| group |" in (out / "sensitivity" / "findings.md").read_text()
    assert (out / "sensitivity" / "charts").is_dir()
    code, text = run_cli(monkeypatch, capsys, "sensitivity", out, "--quiet")
    assert code == 0, text
    assert set(pd.read_csv(out / "sensitivity" / "indices.csv")["parameter"]) == set(GROUPS)
