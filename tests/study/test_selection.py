"""The selection procedure (Kim and Nelson 2001): its guarantee on normal samples with a
known best, its stopping bound, and a study under it: the same numbers as a fixed study
for the replications it ran, whatever the batching."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.study.experiment import compare
from sim.study.selection import SelectionRule, most_replications, screen

from tests.helpers import small


def _normal_samples(rng, means, sd, n, correlation=0.0):
    """Columns with the given means and a common part (common random numbers)."""
    common = rng.normal(0.0, sd * np.sqrt(correlation), size=(n, 1))
    own = rng.normal(0.0, sd * np.sqrt(1.0 - correlation), size=(n, len(means)))
    x = np.asarray(means) + common + own
    return {f"s{i}": x[:, i] for i in range(len(means))}


@pytest.mark.parametrize("correlation", [0.0, 0.8])
def test_the_best_is_selected_at_least_as_often_as_promised(correlation):
    """Slippage configuration (the best leads every other by exactly delta), the least
    favourable case of the guarantee: over 300 independent selections the count of
    correct ones may fall below the 0.1 % quantile of Binomial(300, 0.95) only if the
    guarantee fails."""
    rng = np.random.default_rng(20261204)
    rule = SelectionRule(delta=1.0, confidence=0.95, first_stage=10)
    trials, correct = 300, 0
    for _ in range(trials):
        samples = _normal_samples(rng, [1.0, 0.0, 0.0, 0.0], 2.0, 3000, correlation)
        correct += screen(rule, samples, limit=3000).selected == "s0"
    assert correct >= stats.binom.ppf(0.001, trials, rule.confidence), correct


def test_a_structure_far_behind_is_dropped_after_the_first_stage():
    rng = np.random.default_rng(7)
    samples = _normal_samples(rng, [10.0, 0.0, 9.8], 1.0, 500)
    state = screen(SelectionRule(delta=0.5, first_stage=10), samples, limit=500)
    assert state.eliminated["s1"] == 10
    assert state.selected in ("s0", "s2")


def test_the_procedure_stops_within_its_bound_and_waits_for_missing_replications():
    rng = np.random.default_rng(3)
    rule = SelectionRule(delta=0.2, first_stage=5)
    samples = _normal_samples(rng, [0.0, 0.0, 0.0], 1.0, 5000)  # a three-way tie
    state = screen(rule, samples, limit=5000)
    assert state.selected is not None and not state.capped
    assert state.stage <= most_replications(rule, samples)
    cut = {s: v[:6] for s, v in samples.items()}
    waiting = screen(rule, cut, limit=5000)
    assert waiting.selected is None and waiting.stage == 7  # needs a 7th replication


def test_rule_settings_are_checked():
    with pytest.raises(ValueError, match="delta"):
        SelectionRule(delta=0.0)
    with pytest.raises(ValueError, match="first stage"):
        SelectionRule(delta=1.0, first_stage=1)
    share = SelectionRule(delta=0.05, share=True)
    with pytest.raises(ValueError, match="share"):
        screen(share, {"a": np.zeros(10), "b": np.ones(10)})
    assert share.absolute(-200.0).delta == pytest.approx(10.0)
    assert not share.absolute(-200.0).share


@pytest.fixture(scope="module")
def selected_and_fixed():
    sc = small()
    names = ["classic", "ticket_pool", "automated_marketing"]
    rule = SelectionRule(delta=50_000.0, first_stage=3)
    serial = compare(sc, names, seed=11, executor="serial", select=rule, max_replications=30)
    batched = compare(sc, names, seed=11, executor="processes", workers=2, select=rule,
                      max_replications=30)
    fixed = compare(sc, names, replications=serial.replications, seed=11,
                    executor="serial")
    return serial, batched, fixed


def test_a_selected_study_keeps_the_replications_each_structure_used(selected_and_fixed):
    serial, _, fixed = selected_and_fixed
    chosen = serial.meta["selection"]
    used = chosen["replications"]
    assert chosen["selected"] in used
    assert used[chosen["selected"]] == serial.replications
    counts = serial.runs.groupby("structure")["replication"].nunique().to_dict()
    assert counts == used
    # Common random numbers: each replication kept is the fixed study's replication.
    for name, k in used.items():
        a = serial.runs[serial.runs.structure == name].sort_values("replication")
        b = fixed.runs[(fixed.runs.structure == name) & (fixed.runs.replication < k)]
        np.testing.assert_array_equal(a["contribution"].to_numpy(),
                                      b.sort_values("replication")["contribution"].to_numpy())


def test_a_selected_study_does_not_depend_on_the_batching(selected_and_fixed):
    serial, batched, _ = selected_and_fixed
    assert serial.meta["selection"]["replications"] == batched.meta["selection"]["replications"]
    assert serial.meta["selection"]["selected"] == batched.meta["selection"]["selected"]
    np.testing.assert_array_equal(
        serial.runs.sort_values(["structure", "replication"])["contribution"].to_numpy(),
        batched.runs.sort_values(["structure", "replication"])["contribution"].to_numpy())


def test_a_selected_study_resumes_from_its_staging_and_not_from_a_fixed_ones(tmp_path):
    from sim.study.staging import StagingMismatch

    sc = small()
    names = ["classic", "automated_marketing"]
    rule = SelectionRule(delta=50_000.0, first_stage=3)
    whole = compare(sc, names, seed=2, executor="serial", select=rule)
    staged = tmp_path / "partial"
    compare(sc, names, seed=2, executor="serial", select=rule, staging=staged)
    for path in sorted(staged.glob("replication-0000[12]-*")):
        path.unlink()  # as if interrupted after the first replication
    resumed = compare(sc, names, seed=2, executor="serial", select=rule, staging=staged)
    made = "runs_made"  # this call's own runs: fewer after a resume
    assert ({k: v for k, v in resumed.meta["selection"].items() if k != made}
            == {k: v for k, v in whole.meta["selection"].items() if k != made})
    assert resumed.meta["selection"][made] < whole.meta["selection"][made]
    with pytest.raises(StagingMismatch, match="selection"):
        compare(sc, names, replications=2, seed=2, executor="serial", staging=staged)
