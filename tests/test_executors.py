"""Executors, resume, failing replications and the precision rule."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import sim
import sim.experiment as experiment
from sim.experiment import PrecisionRule, StagingMismatch

from .conftest import DEFAULT, small

PAIR = ["classic", "ticket_pool"]


@pytest.fixture(scope="module")
def serial():
    return sim.compare(small(), PAIR, replications=4, executor="serial")


def _same(a, b):
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    pd.testing.assert_frame_equal(a.managers, b.managers)


def test_processes_give_the_same_frames_as_serial(serial):
    _same(serial, sim.compare(small(), PAIR, replications=4, executor="processes", workers=2))


def test_a_local_dask_cluster_gives_the_same_frames_as_serial(serial):
    _same(serial, sim.compare(small(), PAIR, replications=4, executor="dask", workers=2))


def test_any_concurrent_futures_executor_gives_the_same_frames(serial):
    with ThreadPoolExecutor(max_workers=3) as pool:
        _same(serial, sim.compare(small(), PAIR, replications=4, executor=pool))


def test_an_unknown_executor_is_refused():
    with pytest.raises(ValueError, match="executor"):
        sim.compare(small(), PAIR, replications=1, executor="cluster")


def test_a_failing_replication_is_reported_with_its_seed_and_the_others_kept(monkeypatch,
                                                                            serial):
    real = experiment._run_task

    def flaky(task):
        if task[3] == 1:
            raise RuntimeError("boom")
        return real(task)

    monkeypatch.setattr(experiment, "_run_task", flaky)
    res = sim.compare(small(), PAIR, replications=4, executor="serial", seed=serial.seed)
    assert res.replications == 3
    assert sorted(res.monthly.replication.unique()) == [0, 2, 3]
    (failure,) = res.meta["failures"]
    assert failure["replication"] == 1 and failure["seed"] == serial.seed
    assert "boom" in failure["error"]
    kept = serial.monthly[serial.monthly.replication != 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(res.monthly, kept)


def test_resume_runs_only_the_missing_replications_and_equals_an_uninterrupted_run(
        tmp_path, monkeypatch, serial):
    staging = tmp_path / "out.partial"
    sim.compare(small(), PAIR, replications=2, executor="serial", staging=staging)
    ran = []
    real = experiment._run_task

    def counting(task):
        ran.append(task[3])
        return real(task)

    monkeypatch.setattr(experiment, "_run_task", counting)
    resumed = sim.compare(small(), PAIR, replications=4, executor="serial", staging=staging)
    assert sorted(ran) == [2, 3]
    _same(serial, resumed)


def test_resume_refuses_the_staging_of_another_study(tmp_path):
    staging = tmp_path / "out.partial"
    sim.compare(small(), PAIR, replications=1, executor="serial", staging=staging)
    with pytest.raises(StagingMismatch, match="seed"):
        sim.compare(small(), PAIR, replications=2, executor="serial", staging=staging, seed=99)


def test_the_command_resumes_after_an_interrupt_and_equals_an_uninterrupted_run(tmp_path):
    args = [sys.executable, "-m", "sim.cli", "compare", str(DEFAULT), "--structures",
            "classic,ticket_pool", "--replications", "6", "--executor", "serial", "--quiet"]
    out = tmp_path / "out"
    proc = subprocess.Popen(args + ["--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    staging = tmp_path / "out.partial"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(staging.glob("*-managers.parquet"))) < 2:
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "--resume" in err, err
    assert not out.exists() and staging.exists()
    done_before = len(list(staging.glob("*-managers.parquet")))
    assert 2 <= done_before < 6
    r = subprocess.run(args + ["--resume", str(out)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert out.exists() and not staging.exists()
    whole = tmp_path / "whole"
    r = subprocess.run(args + ["--out", str(whole)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    for name in ("monthly.parquet", "managers.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / name),
                                      pd.read_parquet(whole / name))
    assert (out / "summary.csv").read_text() == (whole / "summary.csv").read_text()


def test_precision_rule_stops_where_the_interval_first_meets_the_target_and_stays():
    rng = np.random.default_rng(12)
    sigma, mu, precision = 20.0, 100.0, 0.05
    column = rng.normal(mu, sigma, 400)
    rule = PrecisionRule(precision, look_ahead=5)
    n = rule.needed([column])
    assert n is not None
    # The criterion holds at n and for the five replications after it...
    assert all(rule.holds([column], m) for m in range(n, n + 6))
    # ...and at no earlier n for a whole look-ahead window.
    assert not any(all(rule.holds([column], m) for m in range(k, k + 6))
                   for k in range(3, n))
    # With known sigma, the theory's n is (z sigma / (precision mu))^2 = 61.5; the sample
    # estimate of sigma at n varies, so the rule stops within a factor of two of it.
    theory = (1.96 * sigma / (precision * mu)) ** 2
    assert theory / 2 <= n <= theory * 2, (n, theory)


def test_precision_rule_needs_every_column_to_be_precise():
    rng = np.random.default_rng(3)
    tight, loose = rng.normal(100, 1, 500), rng.normal(100, 30, 500)
    rule = PrecisionRule(0.05)
    assert rule.needed([tight]) < rule.needed([tight, loose]) <= rule.needed([loose])


def test_compare_with_precision_adds_replications_until_the_target_holds():
    # A year and a half, so that contribution is clearly positive (a relative precision
    # of a mean near zero would need thousands of replications).
    res = sim.compare(small(**{"experiment.horizon_years": 1.5}), ["classic"],
                      executor="serial", precision=0.15, max_replications=80)
    needed = res.meta["replications_needed"]
    assert needed is not None and res.replications >= needed + 5
    runs = res.runs
    runs = runs[runs.replication < needed]
    for measure in experiment.PRECISION_MEASURES:
        mean, half, _ = experiment.mean_ci(runs[measure])
        assert half <= 0.15 * abs(mean)
