"""The what-if page's session without a browser: a bare scenario gives a slider per
uncertainty and no emulator, a saved point is a scenario holding the sliders' values,
slider ends are rounded inwards, and bad input exits 2 naming it."""

from __future__ import annotations

import math

import pytest

import sim
from sim.whatif.session import inward, open_source

from tests.helpers import run_cli
from tests.study.test_emulator import LEADS, tiny_sweep_scenario


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(tiny_sweep_scenario().to_yaml(), encoding="utf-8")
    return path


def test_a_bare_scenario_has_a_slider_per_uncertainty_and_no_emulator(scenario_file):
    s = open_source(scenario_file)
    sc = sim.load_scenario(scenario_file)
    assert [x.path for x in s.sliders] == list(sc.uncertainties)
    assert s.emulator is None and s.estimate({}).empty and not s.decisive
    leads = s.sliders[0]
    assert (leads.low, leads.high) == sc.uncertainties[LEADS].range
    assert leads.value == sc.demand.inbound_leads_per_day
    assert "en" in leads.source


def test_a_saved_point_is_a_scenario_with_the_sliders_values(scenario_file, tmp_path):
    s = open_source(scenario_file, out=tmp_path / "out")
    path = s.save_point({LEADS: 3.5})
    again = sim.load_scenario(path)
    assert again.demand.inbound_leads_per_day == 3.5
    base = sim.load_scenario(scenario_file)
    assert again.market.segments["smb"].rho == base.market.segments["smb"].rho
    untouched = {x.path: x.value for x in s.sliders}  # as the page sends them
    again = sim.load_scenario(s.save_point({**untouched, LEADS: 1.0}))
    assert again.market.segments["mid"].rho == base.market.segments["mid"].rho
    assert again.demand.inbound_leads_per_day == 1.0
    assert len(list((tmp_path / "out").glob("point-*.yaml"))) == 2


@pytest.mark.parametrize(("low", "high"), [(0.0101036, 0.05984), (21.9, 251.4),
                                           (20123.3, 79446.3), (0.0, 1.0)])
def test_slider_ends_are_rounded_inwards(low, high):
    a, b = inward(low, high)
    assert low <= a < b <= high
    assert a == pytest.approx(low, abs=(high - low) / 100)
    assert b == pytest.approx(high, abs=(high - low) / 100)
    assert len(repr(a)) < 10 and not math.isnan(a)


def test_bad_input_exits_2(monkeypatch, capsys, scenario_file, tmp_path):
    code, out = run_cli(monkeypatch, capsys, "whatif", str(tmp_path / "nowhere"),
                        "--no-browser")
    assert code == 2 and "no such sweep folder or scenario file" in out
    code, out = run_cli(monkeypatch, capsys, "whatif", str(scenario_file), "--no-browser",
                        "--language", "de")
    assert code == 2 and "--language: got 'de'; allowed: en, ru" in out
