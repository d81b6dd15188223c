"""Relative ranges multiply each number's own value (every segment keeps its own), are
checked against what the field allows per segment, and the default uncertainties are
the default scenario file's own section, taken by a scenario that gives none."""

from __future__ import annotations

import pytest

from sim.config.scenario import ScenarioError, load_scenario, parse_scenario
from sim.config.uncertainties import assignments

from tests.helpers import DEFAULT, small

WIN = "market.segments.*.win_rate"


def with_range(**u) -> dict:
    data = small().model_dump(mode="json")
    data["uncertainties"] = {WIN: {"source": "test", "relative": True, **u}}
    return data


def test_a_relative_value_multiplies_each_segments_own():
    sc = parse_scenario(with_range(range=[0.5, 1.5]))
    own = {name: s.win_rate for name, s in sc.market.segments.items()}
    got = assignments(sc, {WIN: 1.2})
    assert got == {f"market.segments.{n}.win_rate": pytest.approx(1.2 * v)
                   for n, v in own.items()}
    # an absolute range sets every segment to the value itself
    plain = sc.with_overrides({"uncertainties": {WIN: {"range": [0.1, 0.4],
                                                       "source": "test"}}})
    assert set(assignments(plain, {WIN: 0.2}).values()) == {0.2}


def test_a_relative_range_beyond_what_a_segment_allows_names_it():
    # smb's win rate 0.3 times 4 is 1.2, above the allowed 1
    with pytest.raises(ScenarioError) as err:
        parse_scenario(with_range(range=[0.5, 4.0]))
    text = str(err.value)
    assert "market.segments.smb.win_rate" in text and "relative" in text and "1.2" in text


def test_a_relative_range_of_a_zero_value_is_refused():
    data = small().model_dump(mode="json")
    data["uncertainties"] = {"pay.new_client_bonus": {"range": [0.5, 2], "relative": True,
                                                      "source": "test"}}
    with pytest.raises(ScenarioError, match="pay.new_client_bonus, which is 0"):
        parse_scenario(data)


def test_a_scenario_without_the_section_takes_the_default_files():
    assert parse_scenario({}).uncertainties == load_scenario(DEFAULT).uncertainties
    assert len(load_scenario(DEFAULT).uncertainties) > 100
