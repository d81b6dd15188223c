"""Scenario files: defaults, overrides, schema, and clear errors."""

from __future__ import annotations

import json

import pytest

from sim import Scenario, ScenarioError, load_scenario, parse_scenario
from sim.config.scenario import json_schema

from tests.helpers import DEFAULT


def test_default_file_equals_the_coded_defaults():
    # Every default is stated once in the file with its source, and the code agrees.
    loaded = load_scenario(DEFAULT)
    assert loaded.model_copy(update={"description": ""}) == Scenario()


def test_default_file_comments_every_number():
    for line in DEFAULT.read_text().splitlines():
        body = line.split("#")[0]
        if ":" in body and body.split(":", 1)[1].strip() not in ("", ):
            value = body.split(":", 1)[1].strip()
            if value.replace(".", "", 1).replace("-", "", 1).isdigit():
                assert "#" in line, f"number without a source comment: {line!r}"


def test_overrides_return_a_new_scenario_and_leave_the_original_alone():
    sc = Scenario()
    new = sc.with_overrides({"workforce.managers": 20, "behaviour.drift": False})
    assert (new.workforce.managers, new.behaviour.drift) == (20, False)
    assert (sc.workforce.managers, sc.behaviour.drift) == (15, True)


def test_scenarios_are_immutable():
    sc = Scenario()
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        sc.workforce.managers = 3


def test_override_typo_suggests_the_nearest_field():
    with pytest.raises(ScenarioError, match="did you mean 'managers'"):
        Scenario().with_overrides({"workforce.manager": 20})


def test_override_values_are_validated():
    with pytest.raises(ScenarioError, match="workforce.managers"):
        Scenario().with_overrides({"workforce.managers": -1})


def test_segment_shares_must_sum_to_one():
    data = Scenario().model_dump()
    data["market"]["segments"]["smb"]["share"] = 0.5
    with pytest.raises(ScenarioError, match="sum to 1"):
        parse_scenario(data)


def test_unknown_key_in_a_segment_names_its_path_and_suggests():
    data = Scenario().model_dump()
    data["market"]["segments"]["mid"]["chrun_annual"] = 0.1
    with pytest.raises(ScenarioError) as e:
        parse_scenario(data)
    assert "market.segments.mid.chrun_annual" in str(e.value)
    assert "churn_annual" in str(e.value)


def test_json_schema_describes_every_section():
    schema = json.loads(json_schema())
    assert set(schema["properties"]) >= {"market", "demand", "workforce", "behaviour", "pay",
                                         "structures", "experiment"}


def test_a_hybrid_may_carry_a_pay_plan_of_its_own():
    sc = Scenario().with_overrides({"structures.hybrids": {
        "cut": {"routing": "classic", "pay": {"commission_rate": 0.0246}}}})
    hybrid = sc.structures.hybrids["cut"]
    assert hybrid.pay.commission_rate == 0.0246
    assert hybrid.pay.salary_monthly == sc.pay.salary_monthly  # the rest: Pay's defaults
    assert hybrid.changes_pay_only("classic") and not hybrid.changes_pay_only("ticket_pool")
    with pytest.raises(ScenarioError, match="unknown field .commision_rate."):
        Scenario().with_overrides({"structures.hybrids": {
            "cut": {"routing": "classic", "pay": {"commision_rate": 0.02}}}})
