"""Sweeps: designs are SALib's, design points are paired by common random numbers,
resume and every executor give the same dataset, the parent holds a bounded number of
tasks, and bad input exits 2 naming the problem. Tiny scenarios: two managers, three
months, one or two structures."""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
import yaml
from SALib.sample import latin
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

import sim
from sim.config.uncertainties import salib_problem
from sim.study.sensitivity import analyse
from sim.study.sweep_design import SweepError, make_design, point_scenario
from sim.study.sweeps import _execute, part_path

from tests.helpers import run_cli, small

PLACEBO = "structures.automated_marketing.budget_monthly"  # classic never reads it
STRONG = "demand.inbound_leads_per_day"  # more leads, more new clients
RHO = "market.segments.*.rho"


def tiny(**uncertainties) -> sim.Scenario:
    sc = small(**{"experiment.horizon_years": 0.25, "market.n_accounts": 300,
                  "workforce.managers": 2})
    return sc.with_overrides({"uncertainties": uncertainties or {
        PLACEBO: {"range": [1000, 80000], "source": "placebo"},
        STRONG: {"range": [0.2, 3.0], "source": "test"},
        RHO: {"range": [0.1, 0.6], "source": "test", "distribution": "triangular",
              "peak": 0.3}}})


ARGS = {"design": "morris", "points": 3, "replications": 2, "structures": ["classic"],
        "seed": 11}


def frames(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    with sim.open_sweep(folder) as sw:
        runs = sw.sql("select * from runs order by point, replication, structure").df()
        monthly = sw.sql("select * from monthly order by point, replication, structure, "
                         "month").df()
    return runs, monthly


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted serial Morris sweep: 3 trajectories x 4 points, 2 replications."""
    out = tmp_path_factory.mktemp("sweeps") / "reference"
    sim.sweep(tiny(), out=out, executor="serial", **ARGS)
    return out


@pytest.mark.parametrize("design", ["morris", "sobol", "lhs"])
def test_designs_are_salibs_samples_for_a_fixed_seed(design):
    sc = tiny()
    problem = salib_problem(sc.uncertainties)
    expected = {"morris": lambda: morris_sample.sample(problem, 4, num_levels=4, seed=9),
                "sobol": lambda: sobol_sample.sample(problem, 4, calc_second_order=False,
                                                     seed=9),
                "lhs": lambda: latin.sample(problem, 4, seed=9)}[design]()
    got = make_design(sc, design, 4, seed=9)
    assert list(got.columns) == [PLACEBO, STRONG, RHO]
    np.testing.assert_array_equal(got.to_numpy(), expected)


def test_a_grid_takes_the_centres_of_equal_probability_cells():
    sc = tiny(**{STRONG: {"range": [0.0, 4.0], "source": "test"},
                 "pay.commission_rate": {"range": [0.01, 0.05], "source": "test"}})
    got = make_design(sc, "grid", 4)
    assert len(got) == 16
    assert sorted(set(got[STRONG])) == [0.5, 1.5, 2.5, 3.5]


def test_a_design_point_sets_every_segment_and_rounds_whole_numbers():
    sc = tiny(**{RHO: {"range": [0.1, 0.6], "source": "t"},
                 "workforce.managers": {"range": [2, 6], "source": "t"}})
    point = point_scenario(sc, {RHO: 0.42, "workforce.managers": 3.6})
    assert [s.rho for s in point.market.segments.values()] == [0.42] * 3
    assert point.workforce.managers == 4


def test_design_points_share_seeds_so_a_placebo_changes_nothing(reference):
    """Common random numbers: two points that differ only in a parameter the run never
    reads give identical results, replication by replication."""
    runs, _ = frames(reference)
    design = sim.open_sweep(reference).design
    others = design.drop(columns=PLACEBO).round(12)
    twins = [(a, b) for a in design.index for b in design.index if a < b
             and (others.loc[a] == others.loc[b]).all()
             and design.loc[a, PLACEBO] != design.loc[b, PLACEBO]]
    assert twins  # a Morris step in the placebo alone
    for a, b in twins:
        cols = ["revenue", "new_clients", "contribution", "payroll", "lost_clients"]
        pd.testing.assert_frame_equal(runs[runs.point == a][cols].reset_index(drop=True),
                                      runs[runs.point == b][cols].reset_index(drop=True))


def test_a_placebo_scores_zero_and_a_parameter_that_matters_ranks_first(reference):
    result = analyse(reference)
    mu = result.indices[(result.indices["index"] == "mu_star")
                        & (result.indices.structure == "classic")]
    placebo = mu[mu.parameter == PLACEBO]
    # Its elementary effects compare runs with identical seeds and inputs: exactly 0.
    assert (placebo["value"] == 0.0).all() and not placebo["above_noise"].any()
    strong = mu[(mu.parameter == STRONG) & (mu.measure == "new_clients")].iloc[0]
    assert strong["rank"] == 1 and strong["ci_low"] > strong["noise_floor"]


def test_an_interrupted_sweep_resumes_to_the_same_dataset(reference, tmp_path):
    out = tmp_path / "resumed"

    def stop_after_five(done, total):
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sim.sweep(tiny(), out=out, executor="serial", progress=stop_after_five, **ARGS)
    assert len(sim.open_sweep(out).done()) == 5
    resumed = sim.sweep(tiny(), out=out, executor="serial", **ARGS)
    assert resumed.meta["points_run"] == 12 - 5  # only the missing points ran
    for got, want in zip(frames(out), frames(reference), strict=True):
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("executor", [
    "processes",
    # A local Dask cluster takes seconds to start; the default suite checks Dask against
    # serial on replications (tests/study/test_executors.py), and a sweep hands Dask the same
    # concurrent.futures calls as a process pool.
    pytest.param("dask", marks=pytest.mark.slow)])
def test_processes_and_dask_write_the_serial_dataset(reference, tmp_path, executor):
    out = tmp_path / executor
    sim.sweep(tiny(), out=out, executor=executor, workers=2, **ARGS)
    for got, want in zip(frames(out), frames(reference), strict=True):
        pd.testing.assert_frame_equal(got, want)


def test_another_sweep_in_the_folder_is_refused(reference):
    with pytest.raises(SweepError, match="holds another sweep .different seed"):
        sim.sweep(tiny(), out=reference, executor="serial", **{**ARGS, "seed": 12})


def test_the_parent_holds_a_bounded_window_of_tasks():
    """The task iterator is drawn lazily and at most ``window`` tasks are in flight, so
    the parent's memory does not grow with the number of design points."""
    lock, state = threading.Lock(), {"running": 0, "most": 0, "drawn": 0}

    def work(_):
        with lock:
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
        time.sleep(0.002)
        with lock:
            state["running"] -= 1
        return {"point": 0}

    def tasks():
        for i in range(40):
            state["drawn"] += 1
            assert state["drawn"] - done[0] <= 3 + 1, "drew ahead of the window"
            yield i, i

    done = [0]
    with ThreadPoolExecutor(max_workers=8) as pool:
        _execute(work, tasks(), pool, lambda k, r: done.__setitem__(0, done[0] + 1),
                 lambda k, e: pytest.fail(str(e)), window=3)
    assert done[0] == 40 and state["most"] <= 3


def test_open_sweep_answers_queries_lazily(reference):
    sw = sim.open_sweep(reference)
    rel = sw.sql("select structure, avg(contribution) as mean from runs group by 1")
    assert type(rel).__name__ == "DuckDBPyRelation"
    runs = pd.concat(pd.read_parquet(part_path(reference, "runs", p)) for p in sw.done())
    assert rel.df()["mean"].iloc[0] == pytest.approx(runs["contribution"].mean(), rel=1e-12)
    assert sw.missing() == [] and len(sw.done()) == len(sw.design) == 12


def test_the_command_writes_a_complete_sweep_and_its_analysis(tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(tiny().model_dump(mode="json")))
    out = tmp_path / "out"
    code, text = run_cli(monkeypatch, capsys, "sweep", scenario, "--design", "morris",
                         "--points", 2, "--replications", 1, "--structures",
                         "classic,ticket_pool", "--executor", "serial", "--out", out)
    assert code == 0, text
    assert not (tmp_path / "out.partial").exists()
    assert len(list(out.glob("runs/point=*/part.parquet"))) == 2 * (3 + 1)
    names = {p.name for p in (out / "sensitivity").iterdir()}
    assert {"indices.csv", "winners.csv", "wins.csv", "boxes.csv", "findings.md",
            "charts"} <= names
    assert "Share of the 8 design points" in text
    code, text = run_cli(monkeypatch, capsys, "sensitivity", out, "--quiet")
    assert code == 0 and "sensitivity written" not in text  # --quiet


BAD_UNCERTAINTY = {"pay.commission_rate": {"range": [0.01, 1.5], "source": "test"}}


@pytest.mark.parametrize("args, uncertainties, expect", [
    (["--design", "taguchi"], None, ["--design", "'taguchi'", "allowed: lhs, sobol"]),
    (["--design", "sobol", "--points", 6], None, ["--points", "power of 2", "4 or 8"]),
    (["--points", 1], None, ["--points", "at least 2"]),
    (["--structures", "clasic"], None, ["--structure", "'clasic'", "did you mean 'classic'"]),
    ([], {}, ["no uncertainties"]),
    (["--design", "lhs", "--points", 8], None,
     ["--points", "lhs with 8 design points gives no sensitivity indices", "at least 64",
      "--map-only"]),
    ([], BAD_UNCERTAINTY, ["uncertainties.pay.commission_rate", "1.5", "at most 1"]),
])
def test_bad_sweep_input_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys, args,
                                                    uncertainties, expect):
    data = tiny().model_dump(mode="json")
    if uncertainties is not None:
        data["uncertainties"] = uncertainties
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(data))
    code, text = run_cli(monkeypatch, capsys, "sweep", scenario, "--executor", "serial", "--out",
                         tmp_path / "out", *args)
    assert code == 2 and "Traceback" not in text
    for fragment in expect:
        assert fragment in text, (fragment, text)
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.yaml"]


@pytest.mark.parametrize("damage, name", [
    ("study.json", "not json {"), ("problem.json", None), ("problem.json", "[1, 2]"),
    ("design.parquet", "not parquet"), ("runs/point=000003/part.parquet", "PAR1 broken"),
    ("study.json", '{"design": "morris"}'),
])
def test_a_damaged_sweep_folder_exits_2_naming_the_file(reference, tmp_path, monkeypatch,
                                                        capsys, damage, name):
    folder = tmp_path / "sweep"
    shutil.copytree(reference, folder)
    shutil.rmtree(folder / "sensitivity", ignore_errors=True)
    target = folder / damage
    if name is None:
        target.unlink()
    else:
        target.write_text(name)
    code, text = run_cli(monkeypatch, capsys, "sensitivity", folder)
    assert code == 2, text
    assert "Traceback" not in text and "internal error" not in text
    assert str(target) in text and "damaged" in text, text
    assert not (folder / "sensitivity").exists()


def test_an_lhs_design_too_small_for_indices_runs_when_asked_for_the_map_only(
        tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(tiny().model_dump(mode="json")))
    out = tmp_path / "out"
    code, text = run_cli(monkeypatch, capsys, "sweep", scenario, "--design", "lhs",
                         "--points", 3, "--replications", 1, "--structures",
                         "classic,ticket_pool", "--executor", "serial", "--out", out,
                         "--map-only", "-q")
    assert code == 0, text
    assert len(list(out.glob("runs/point=*/part.parquet"))) == 3
    assert "RBD-FAST needs at least 64" in (out / "sensitivity" / "findings.md").read_text()
