"""The emulator: held-out error and interval coverage on a function with a known answer,
Sobol indices on it against their closed form, the training box, saving and loading,
and a fit on a tiny sweep of the simulation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from SALib.sample import latin

import sim
from sim.cli.emulate import emulate, heldout_lines
from sim.study.emulator import OutsideBox, fit_arrays, load_emulator, output_key
from sim.study.emulator_sobol import sobol_indices
from sim.study.sweep_design import SweepError

from tests.helpers import run_cli, small

PROBLEM = {"num_vars": 3, "names": ["a", "b", "inert"], "bounds": [[0, 1], [0, 2], [5, 9]],
           "dists": ["unif", "unif", "unif"]}
NOISE = 0.1


def known(x: np.ndarray) -> np.ndarray:
    """f = 3a + b²: smooth, no effect of ``inert``. Var(3a) = 0.75, Var(b²) = 64/45."""
    return 3 * x[:, 0] + x[:, 1] ** 2


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(7)
    x = latin.sample(PROBLEM, 80, seed=7)
    y = known(x) + rng.normal(0, NOISE, len(x))
    return fit_arrays(PROBLEM["names"], x, {"f": y}, seed=1), x


def test_heldout_error_is_near_the_noise_floor_and_intervals_cover(synthetic):
    em, _ = synthetic
    o = em.outputs[0]
    signal = 0.75 + 64 / 45
    ceiling = signal / (signal + NOISE ** 2)  # the R² a perfect mean could reach
    assert 0.95 < o["r2"] <= ceiling + 0.01
    assert o["rmse"] == pytest.approx(NOISE, rel=0.6)
    # 80 held-out points: the share inside a 90 % interval has sd 0.034; 3 sd either side
    assert 0.9 - 3 * 0.034 <= o["coverage"] <= 0.9 + 3 * 0.034


def test_predictions_match_the_function_inside_the_box(synthetic):
    em, _ = synthetic
    grid = pd.DataFrame({"a": [0.2, 0.5, 0.8], "b": [0.5, 1.0, 1.5], "inert": [6, 7, 8]})
    p = em.predict(grid)
    truth = known(grid.to_numpy(float))
    assert np.abs(p["mean"].to_numpy() - truth).max() < 4 * NOISE
    assert ((p["low"] <= truth) & (truth <= p["high"])).mean() >= 2 / 3


def test_a_point_outside_the_box_is_refused_or_flagged(synthetic):
    em, _ = synthetic
    point = {"a": 0.5, "b": 3.0, "inert": 7}
    with pytest.raises(OutsideBox, match=r"b: 3 is outside the range"):
        em.predict(point)
    assert bool(em.predict(point, strict=False)["outside"].iloc[0])
    assert em.outside({"a": 0.5, "b": 1.0, "inert": 7}) == []


def test_sobol_indices_on_the_emulator_match_the_closed_form(synthetic):
    em, _ = synthetic
    f = sobol_indices(em, PROBLEM, n=1024, seed=3).set_index(["parameter", "index"])["value"]
    va, vb = 0.75, 4 * 4 / 5 - (4 / 3) ** 2  # Var(3a), Var(b^2) with b ~ U(0, 2)
    assert f[("a", "S1")] == pytest.approx(va / (va + vb), abs=0.06)
    assert f[("b", "ST")] == pytest.approx(vb / (va + vb), abs=0.06)
    assert abs(f[("inert", "ST")]) < 0.03


def test_saved_and_loaded_it_answers_the_same_without_pickle(synthetic, tmp_path):
    em, x = synthetic
    folder = em.save(tmp_path / "emulator")
    assert sorted(p.name for p in folder.iterdir()) == ["emulator.json", "heldout.csv",
                                                        "training.parquet"]
    assert json.loads((folder / "emulator.json").read_text())["outputs"][0]["key"] == "f"
    again = load_emulator(folder)
    points = pd.DataFrame(x[:5], columns=PROBLEM["names"])
    a, b = em.predict(points), again.predict(points)
    assert np.allclose(a["mean"], b["mean"], rtol=1e-8)
    assert np.allclose(a["sd"], b["sd"], rtol=1e-6)
    assert not list(tmp_path.glob(".emulator*"))  # no temporary folder left


def test_a_damaged_or_missing_emulator_names_the_folder(tmp_path):
    with pytest.raises(SweepError, match="no emulator here"):
        load_emulator(tmp_path)
    (tmp_path / "emulator.json").write_text("{", encoding="utf-8")
    (tmp_path / "training.parquet").write_bytes(b"")
    with pytest.raises(SweepError, match="damaged emulator"):
        load_emulator(tmp_path)


def test_too_few_points_are_refused():
    with pytest.raises(SweepError, match="at least 10"):
        fit_arrays(["a"], np.linspace(0, 1, 6)[:, None], {"f": np.zeros(6)})


LEADS = "demand.inbound_leads_per_day"


def tiny_sweep_scenario() -> sim.Scenario:
    sc = small(**{"experiment.horizon_years": 0.25, "market.n_accounts": 300,
                  "workforce.managers": 2})
    return sc.with_overrides({"uncertainties": {
        LEADS: {"range": [0.2, 4.0], "source": "test"},
        "market.segments.*.rho": {"range": [0.1, 0.6], "source": "test"}}})


@pytest.fixture(scope="module")
def tiny_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweeps") / "tiny"
    sim.sweep(tiny_sweep_scenario(), design="lhs", points=POINTS, replications=1,
              structures=["classic", "ticket_pool"], seed=5, out=out, executor="serial")
    emulate(out, quiet=True)  # salesim emulate's function: fitted once, saved beside it
    return out


POINTS = 20


def test_on_a_tiny_sweep_every_output_has_its_heldout_error(tiny_sweep):
    em = load_emulator(tiny_sweep / "emulator")
    keys = set(em.keys)
    for m in ("revenue", "new_clients", "contribution"):
        assert {output_key("classic", "", m), output_key("ticket_pool", "", m),
                output_key("ticket_pool", "classic", m)} <= keys
    h = em.heldout().set_index("key")
    assert h["coverage"].between(0, 1).all() and (h["rmse"] >= 0).all()
    # Inbound leads from 0.2 to 4 a day drive new clients far above the noise of a run:
    # on points it never saw the emulator beats their mean (R² above 0)
    assert h.loc[output_key("classic", "", "new_clients"), "r2"] > 0
    assert em.meta["points"] == POINTS and em.meta["baseline"] == "classic"
    lines = heldout_lines(em, "contribution")
    assert len(lines) == 1 and "ticket_pool-classic" in lines[0] and "R²" in lines[0]


def test_salesim_sensitivity_on_the_emulator(tiny_sweep, monkeypatch, capsys):
    code, out = run_cli(monkeypatch, capsys, "sensitivity", str(tiny_sweep), "--emulator",
                        "--samples", "256")
    assert code == 0, out
    f = pd.read_csv(tiny_sweep / "sensitivity-emulator" / "indices.csv")
    assert set(f["index"]) == {"S1", "ST"} and "held-out" in out
    code, out = run_cli(monkeypatch, capsys, "emulate", str(tiny_sweep / "nowhere"))
    assert code == 2 and "no such sweep folder" in out
