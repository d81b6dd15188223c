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
from scipy import stats

import sim
import sim.study.experiment as experiment
import sim.study.measures as measures
import sim.study.precision as precision
from sim.study.precision import PrecisionRule
from sim.study.staging import StagingMismatch

from tests.helpers import interruptible, small

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
    # A lighter department than the default (fields left out take the defaults), so that
    # two replications finish well within the wait below on a slow machine.
    scenario = tmp_path / "light.yaml"
    scenario.write_text("name: light\nmarket: {n_accounts: 1500}\nworkforce: {managers: 6}\n"
                        "experiment: {horizon_years: 1, warmup_years: 1}\n")
    args = [sys.executable, "-m", "sim.cli", "compare", str(scenario), "--structures",
            "classic,ticket_pool", "--replications", "6", "--executor", "serial", "--quiet"]
    out = tmp_path / "out"
    proc = subprocess.Popen(args + ["--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=interruptible)
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


# Columns whose prefix statistics are exact: (mu + d, mu - d, then mu repeated) has,
# for every n >= 2, mean mu and sum of squared deviations 2 d^2, so s_n = d sqrt(2/(n-1))
# and the 95 % half-width is t_{0.975,n-1} d sqrt(2/(n(n-1))), falling with n.
MU, PRECISION = 100.0, 0.05  # the target half-width is 5


def _half_width(n: int, ss: float) -> float:
    """Half-width at n of a prefix with mean MU and sum of squared deviations ss."""
    return float(stats.t.ppf(0.975, n - 1) * np.sqrt(ss / (n - 1)) / np.sqrt(n))


def _pair_then_mean(d: float, length: int) -> np.ndarray:
    return np.array([MU + d, MU - d] + [MU] * (length - 2))


def test_precision_rule_stops_at_the_n_the_t_interval_gives():
    # d = 17: by the t table (t_10 = 2.228, t_11 = 2.201) the half-width is
    # 2.228 * 17 * sqrt(2/110) = 5.11 at n = 11 and 2.201 * 17 * sqrt(2/132) = 4.61 at
    # n = 12, so n = 12 first meets 5 and every later n does too. The normal quantile
    # (1.96) would stop at 10 and s with ddof=0 at 11.
    d = 17.0
    assert _half_width(11, 2 * d**2) > PRECISION * MU >= _half_width(12, 2 * d**2)
    rule = PrecisionRule(PRECISION, look_ahead=5)
    assert rule.needed([_pair_then_mean(d, 40)]) == 12
    # n = 12 needs its five look-ahead values: 17 replications are enough, 16 are not.
    assert rule.needed([_pair_then_mean(d, 17)]) == 12
    assert rule.needed([_pair_then_mean(d, 16)]) is None


def test_precision_rule_restarts_when_the_look_ahead_breaks():
    # The precision first holds at n = 12 (as above), then the pair (MU + 35, MU - 35)
    # at positions 17 and 18 breaks it inside 12's look-ahead window (12 .. 17). From
    # n = 18 the mean is MU again with ss = 2 (17^2 + 35^2), and the half-width meets 5
    # first at n = 24: 2.074 * sqrt(2 * 1514 / 506) = 5.07 at 23 (t_22 = 2.074),
    # 2.069 * sqrt(2 * 1514 / 552) = 4.85 at 24 (t_23 = 2.069).
    d, big = 17.0, 35.0
    column = _pair_then_mean(d, 40)
    column[16], column[17] = MU + big, MU - big
    ss = 2 * (d**2 + big**2)
    assert _half_width(23, ss) > PRECISION * MU >= _half_width(24, ss)
    mean17 = MU + big / 17  # the first 17 values hold MU + big, not yet MU - big
    ss17 = 2 * d**2 + big**2 * 16 / 17
    assert float(stats.t.ppf(0.975, 16) * np.sqrt(ss17 / 16 / 17)) > PRECISION * mean17
    rule = PrecisionRule(PRECISION, look_ahead=5)
    assert [m for m in range(3, 30) if rule.holds([column], m)] == [*range(12, 17),
                                                                    *range(24, 30)]
    assert rule.needed([column]) == 24
    assert rule.needed([column[:29]]) == 24 and rule.needed([column[:28]]) is None
    # Without a look-ahead the rule would have stopped at the first n that holds.
    assert PrecisionRule(PRECISION, look_ahead=0).needed([column]) == 12


def test_precision_rule_needs_every_column_to_be_precise():
    rng = np.random.default_rng(3)
    tight, loose = rng.normal(100, 1, 500), rng.normal(100, 30, 500)
    rule = PrecisionRule(0.05)
    assert rule.needed([tight]) < rule.needed([tight, loose]) <= rule.needed([loose])


def test_compare_with_precision_adds_replications_until_the_target_holds():
    # Two and a half years, so that contribution is clearly positive (a relative
    # precision of a mean near zero would need thousands of replications; since issue
    # 25 a small classic department earns less, and a year and a half was not enough).
    res = sim.compare(small(**{"experiment.horizon_years": 2.5}), ["classic"],
                      executor="serial", precision=0.15, max_replications=80)
    needed = res.meta["replications_needed"]
    assert needed is not None and res.replications >= needed + 5
    runs = res.runs
    runs = runs[runs.replication < needed]
    for measure in precision.PRECISION_MEASURES:
        mean, half, _ = measures.mean_ci(runs[measure])
        assert half <= 0.15 * abs(mean)
