"""What control costs people (sim/model/control.py): monitoring raises quits (Batt and
Colvin 2011), and a script lifts beginners and holds experts back. Direction tests on
common random numbers, 95 % intervals from the paired differences."""

from __future__ import annotations

import pytest

from sim import run_replication
from sim.model.control import monitoring_quit_factor
from sim.model.structures import make_structure
from sim.study.measures import mean_ci

from tests.helpers import department, small

R = 6


def test_the_quit_hazard_rises_with_the_structures_monitoring():
    sc = small(**{"control.monitoring_quit_weight": 0.5})
    hazards = []
    for m in (0.0, 0.5, 1.0):
        dept = department(sc.with_overrides({"structures.classic.monitoring": m}), "classic")
        dept.env.run(until=1.0)
        desk = next(d for d in dept.desks if d.person is not None)
        hazards.append(dept.staff.quit_hazard(desk, 1.0))
    assert hazards[0] < hazards[1] < hazards[2]
    assert hazards[2] / hazards[0] == pytest.approx(monitoring_quit_factor(1.0, sc.control))


def test_more_weight_on_monitoring_means_more_quits_under_a_monitored_structure():
    base = {"workforce.managers": 10, "workforce.quit_rate_annual": 0.4,
            "experiment.horizon_years": 1.0}
    diffs = []
    for r in range(R):
        quits = [run_replication(small(**{**base, "control.monitoring_quit_weight": w}),
                                 "process_norm", 17, r)[0]["quits"].sum() for w in (0.0, 1.0)]
        diffs.append(quits[1] - quits[0])
    mean, half, _ = mean_ci(diffs)
    assert mean - half > 0.0, (mean, half)


def test_the_script_lifts_a_beginner_and_holds_an_expert_back():
    sc = small(**{"control.script_drag": 0.3})
    org = make_structure("process_norm", sc).org
    floor = sc.structures.process_norm.script_floor
    assert org.work_skill(0.2, 0.0) == floor > 0.2
    assert floor < org.work_skill(1.0, 0.0) < 1.0
    free = make_structure("process_norm", sc.with_overrides({"control.script_drag": 0.0})).org
    assert free.work_skill(1.0, 0.0) == 1.0


def _win_rate(sc, r: int) -> float:
    m, _ = run_replication(sc, "process_norm", 17, r)
    return m["opportunities_won"].sum() / (m["opportunities_won"].sum()
                                           + m["opportunities_lost"].sum())


def test_scripted_work_wins_more_for_beginners_and_less_for_experts():
    # The same department with and without a script (floor 0.6, drag 0.4), staffed by
    # beginners who do not learn, then by experts who start at full skill.
    script = {"structures.process_norm.script_floor": 0.6, "control.script_drag": 0.4}
    bare = {"structures.process_norm.script_floor": 0.0, "control.script_drag": 0.0}
    people = {"beginners": {"skill.s0": 0.3, "skill.tau_hours": 1e9},
              "experts": {"skill.s0": 1.0}}
    base = {"workforce.managers": 6, "experiment.horizon_years": 0.5}
    for who, sign in (("beginners", 1.0), ("experts", -1.0)):
        diffs = [_win_rate(small(**{**base, **people[who], **script}), r)
                 - _win_rate(small(**{**base, **people[who], **bare}), r) for r in range(R)]
        mean, half, _ = mean_ci(diffs)
        assert sign * mean - half > 0.0, (who, mean, half)
