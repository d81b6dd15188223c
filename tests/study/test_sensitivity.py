"""Sensitivity analysis on outputs whose answer is known: indices against theory,
the replication-noise floor against its closed form, winners and PRIM boxes on a
planted region. No simulation runs here; each test takes a fraction of a second."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from SALib.sample import latin
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

from sim.report.console import sensitivity_summary
from sim.study.discovery import winners
from sim.study.indices import compute_indices, noise_share
from sim.study.sensitivity import analyse_frames

UNIT3 = {"num_vars": 3, "names": ["x0", "x1", "x2"], "bounds": [[0.0, 1.0]] * 3}
DELTA = 2 / 3  # the Morris step on SALib's default 4-level grid, in units of the range


def _frame(rows: list[dict], index: str) -> pd.DataFrame:
    f = pd.DataFrame(rows)
    return f[f["index"] == index].set_index("parameter")


@pytest.fixture(scope="module")
def noisy_morris():
    """y = 4 x0 + x1 (x2 does nothing) plus independent noise of sd 0.3 in each of 4
    replications, on 200 Morris trajectories."""
    x = morris_sample.sample(UNIT3, 200, num_levels=4, seed=3)
    rng = np.random.default_rng(4)
    signal = 4 * x[:, 0] + x[:, 1]
    y = signal[:, None] + rng.normal(0.0, 0.3, size=(len(x), 4))
    return x, signal, y


def test_morris_noise_floor_matches_the_expected_absolute_effect_of_pure_noise(noisy_morris):
    x, _, y = noisy_morris
    mu = _frame(compute_indices("morris", UNIT3, x, y, 0.95, 1), "mu_star")
    # An elementary effect of the mean over R = 4 replications carries noise of sd
    # sqrt(2) * 0.3 / sqrt(4) / delta; a parameter with no effect scores E|N(0, sd^2)|.
    sd = math.sqrt(2) * 0.3 / 2 / DELTA
    expected = sd * math.sqrt(2 / math.pi)
    # The floor averages 200 x 3 independent |normal| terms, each with a relative sd of
    # sqrt(pi / 2 - 1) = 0.755: relative standard error 0.031; allow 4.5 of them.
    assert mu["noise_floor"].to_numpy() == pytest.approx(expected,
                                                         rel=4.5 * 0.755 / math.sqrt(600))
    # The placebo's own mu* estimates the same quantity from 200 terms (relative se 0.053).
    assert mu.loc["x2", "value"] == pytest.approx(expected, rel=4.5 * 0.755 / math.sqrt(200))


def test_morris_ranks_the_effects_and_leaves_the_placebo_within_noise(noisy_morris):
    x, _, y = noisy_morris
    mu = _frame(compute_indices("morris", UNIT3, x, y, 0.95, 1), "mu_star")
    # A linear effect of slope b over a unit range has every elementary effect equal to b.
    assert mu.loc["x0", "value"] == pytest.approx(4.0, abs=4.5 * 0.3 / math.sqrt(200))
    assert mu.loc["x0", "ci_low"] > mu.loc["x0", "noise_floor"]
    assert mu.loc["x1", "ci_low"] > mu.loc["x1", "noise_floor"]
    assert mu.loc["x2", "ci_low"] <= mu.loc["x2", "noise_floor"]


def test_noise_share_matches_the_planted_variances(noisy_morris):
    _, signal, y = noisy_morris
    noise = 0.3 ** 2 / 4
    expected = noise / (signal.var(ddof=1) + noise)
    # The noise variance is estimated from 800 x 3 degrees of freedom: relative se
    # sqrt(2 / 2400) = 0.029; the total from 800 points, on which the signal dominates.
    assert noise_share(y) == pytest.approx(expected, rel=4.5 * math.sqrt(2 / 2400))
    assert noise_share(np.repeat(signal[:, None], 3, axis=1)) == pytest.approx(0.0, abs=1e-12)


def test_sobol_indices_of_the_ishigami_function_and_a_dummy_parameter():
    """Analytic values (Ishigami and Homma 1990): S1 = 0.3139, 0.4424, 0; ST = 0.5576,
    0.4424, 0.2437. A fourth parameter the function never reads has ST exactly 0."""
    problem = {"num_vars": 4, "names": ["x1", "x2", "x3", "dummy"],
               "bounds": [[-math.pi, math.pi]] * 4}
    x = sobol_sample.sample(problem, 2048, calc_second_order=False, seed=5)
    y = Ishigami.evaluate(x[:, :3])
    rows = compute_indices("sobol", problem, x, np.column_stack([y, y]), 0.999, 6)
    for index, truth in (("S1", [0.3139, 0.4424, 0.0, 0.0]),
                         ("ST", [0.5576, 0.4424, 0.2437, 0.0])):
        f = _frame(rows, index)
        # 99.9 % bootstrap intervals: all eight hold with probability above 99 %.
        low, high = f["ci_low"].to_numpy(), f["ci_high"].to_numpy()
        assert (low <= truth).all() and (np.array(truth) <= high).all(), (index, f)
    st = _frame(rows, "ST")
    assert st.loc["dummy", "value"] == 0.0 and st.loc["dummy", "noise_floor"] == 0.0


def _planted(reps: int = 4):
    """200 LHS points over x0, x1; structure a earns 10 where x0 < 0.3, else 0;
    structure b earns 12, 6, 6, 6 in replications 0-3 (mean 7.5) everywhere."""
    problem = {"num_vars": 2, "names": ["x0", "x1"], "bounds": [[0.0, 1.0]] * 2}
    design = pd.DataFrame(latin.sample(problem, 200, seed=7), columns=problem["names"])
    design.index.name = "point"
    rows = []
    for p, (x0, _) in design.iterrows():
        for r in range(reps):
            for s, v in (("a", 10.0 if x0 < 0.3 else 0.0), ("b", [12.0, 6.0, 6.0, 6.0][r])):
                rows.append({"point": p, "replication": r, "structure": s,
                             "revenue": v, "new_clients": v, "contribution": v})
    return problem, design, pd.DataFrame(rows)


def test_winners_probability_of_being_best_and_share_of_the_design():
    problem, design, runs = _planted()
    _, win = winners(runs, ["a", "b"])
    inside = (design["x0"] < 0.3).to_numpy()
    assert (win["winner"].to_numpy() == np.where(inside, "a", "b")).all()
    # Where a wins on the mean it is best in replications 1-3 and not in 0: 3/4.
    assert (win.loc[inside, "probability_best"] == 0.75).all()
    assert (win.loc[~inside, "probability_best"] == 1.0).all()
    result = analyse_frames("lhs", problem, design, runs, ["a", "b"], "b")
    # A Latin hypercube puts exactly 60 of 200 points below 0.3 in each coordinate.
    assert result.wins.set_index("structure").loc["a", "share"] == 0.3
    # One row per point and structure, its own mean beside its own probability.
    best = result.best.set_index(["point", "structure"])
    assert len(best) == 2 * len(design) and best.index.is_unique
    assert (best.xs("b", level="structure")["mean"] == 7.5).all()
    assert np.allclose(best["probability_best"].groupby(level="point").sum(), 1.0)


def test_where_a_structure_beats_the_baseline_is_a_box_on_what_matters_only():
    """a beats b where x0 < 0.3; x1 plays no part, so no limit on it survives."""
    problem, design, runs = _planted()
    result = analyse_frames("lhs", problem, design, runs, ["a", "b"], "b")
    row = result.ahead.set_index("structure").loc["a"]
    assert row["points_ahead"] == 60 and row["share"] == 0.3
    limits = json.loads(row["limits"])
    assert list(limits) == ["x0"] and 0.3 <= limits["x0"][1] <= 0.375
    assert row["density"] >= 0.8 and row["coverage"] == 1.0
    assert row["sentence"].startswith("a beats b when x0 is at most")


def test_prim_finds_the_planted_region_and_says_it_in_a_sentence():
    problem, design, runs = _planted()
    result = analyse_frames("lhs", problem, design, runs, ["a", "b"], "b")
    box = result.boxes.set_index("structure").loc["a"]
    limits = pd.read_json(pd.io.common.StringIO(box["limits"]), typ="series")
    assert list(limits.index) == ["x0"]  # only the parameter that matters is restricted
    # The region is x0 < 0.3. Peeling removes 5 % of the remaining points at a time
    # (near the edge about 0.05 of the range here), so the trajectory has boxes
    # x0 <= edge for edges within a peel of 0.3. One with 0.3 <= edge <= 0.375 keeps
    # all 60 wins at a density of at least 0.8, so the chosen box (the highest coverage
    # with density >= 0.8) covers every win, with its edge within a peel above 0.3.
    assert box["coverage"] == 1.0 and box["density"] >= 0.8
    assert 0.3 <= limits["x0"][1] <= 0.35
    assert box["sentence"].startswith("a leads when x0 is at most")
    assert "of its 60 wins" in box["sentence"]


def test_warnings_name_noisy_outputs_and_parameters_that_cannot_be_ordered(noisy_morris):
    x, _, _ = noisy_morris
    rng = np.random.default_rng(8)
    design = pd.DataFrame(x, columns=UNIT3["names"])
    design.index.name = "point"
    rows = []
    for p, (x0, x1, _) in design.iterrows():
        for r in range(3):
            rows += [{"point": p, "replication": r, "structure": "a", "revenue": x0 + x1,
                      "new_clients": rng.normal(), "contribution": x0 + x1},
                     {"point": p, "replication": r, "structure": "b", "revenue": 0.0,
                      "new_clients": 0.0, "contribution": 0.0}]
    result = analyse_frames("morris", UNIT3, design, pd.DataFrame(rows), ["a", "b"], "b")
    text = "\n".join(result.warnings)
    assert "new_clients of a: replication noise makes up 100 %" in text
    # x0 and x1 have the same effect, so their intervals overlap and cannot be ordered.
    assert "contribution, a minus b: the order of x0, x1 is not established" in text \
        or "contribution, a minus b: the order of x1, x0 is not established" in text


def test_only_parameters_above_noise_have_a_rank_and_mu_star_intervals_stay_non_negative(
        noisy_morris):
    x, _, y = noisy_morris
    design = pd.DataFrame(x, columns=UNIT3["names"]).rename_axis("point")
    runs = pd.DataFrame([{"point": p, "replication": r, "structure": s,
                          "revenue": 0.0, "new_clients": 0.0,
                          "contribution": y[p, r] if s == "a" else 0.0}
                         for p in range(len(x)) for r in range(y.shape[1]) for s in "ab"])
    result = analyse_frames("morris", UNIT3, design, runs, ["a", "b"], "b")
    mu = result.indices[(result.indices["index"] == "mu_star")
                        & (result.indices.structure == "a") & (result.indices.versus == "b")
                        & (result.indices.measure == "contribution")].set_index("parameter")
    assert (result.indices.loc[result.indices["index"] == "mu_star", "ci_low"] >= 0).all()
    assert list(mu.loc[["x0", "x1"], "rank"]) == [1, 2]
    assert not mu.loc["x2", "above_noise"] and pd.isna(mu.loc["x2", "rank"])
    has_rank = result.indices["rank"].notna()
    assert (result.indices.loc[has_rank, "above_noise"] == True).all()  # noqa: E712
    # the terminal names the ranked ones first, the unranked apart
    console = Console(file=io.StringIO(), width=300, record=True)
    sensitivity_summary(result, Path("sweep"), console)
    line = console.export_text().splitlines()[0]
    assert line.startswith("contribution, a minus b, ranked by mu_star: x0, x1; not ranked")
    assert line.endswith(": x2")


def test_a_sobol_interval_stays_within_the_range_of_a_share_of_variance():
    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * 3}
    x = sobol_sample.sample(problem, 64, calc_second_order=False, seed=2)
    y = (x[:, 0] + 0.01 * np.random.default_rng(1).normal(size=len(x)))[:, None]
    rows = pd.DataFrame(compute_indices("sobol", problem, x, np.hstack([y, y]), 0.95, 1))
    assert (rows["ci_low"] >= 0).all() and (rows["ci_high"] <= 1).all()
