"""A phased roll-out: the new structure takes a share of the desks at the switch and the
rest later, in one department (sim/rollout.py)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.department import Department
from sim.experiment import run_replication, warm_up
from sim.market import CLIENT, NOBODY
from sim.scenario import ScenarioError
from sim.streams import Streams
from sim.structures import make_structure

from .conftest import small

SEED, REP = 5, 0
PHASED = ["classic", "ticket_pool", "process_norm", "staged-2"]


@pytest.fixture(scope="module")
def scenario():
    return small(**{"workforce.managers": 6, "experiment.initial_state": "mature",
                    "experiment.warmup_years": 2.0, "experiment.horizon_years": 1.0,
                    "experiment.structures": PHASED,
                    "reorganisation.phase_share": 0.5, "reorganisation.phase_days": 63.0})


@pytest.fixture(scope="module")
def warm(scenario):
    return warm_up(scenario, SEED, REP)


def department(sc, name, snap):
    return Department(sc, make_structure(name, sc), Streams(SEED, REP), snapshot=snap)


def client_owners(dept):
    acc = dept.acc
    return acc.owner[acc.state == CLIENT]


def test_the_pilot_is_half_the_desks_and_balanced_by_base(scenario, warm):
    bases = {p.desk_at_snapshot: b for p, b in warm.people}
    dept = department(scenario, "ticket_pool", warm)
    new = [d.index for d in dept.desks if dept.org.at(d.index) is dept.org.new]
    old = [d.index for d in dept.desks if dept.org.at(d.index) is dept.org.old]
    assert len(new) == 3 and len(old) == 3
    # The clients of the pilot are the pool's; the others keep their manager.
    sizes = sorted(bases.values(), reverse=True)
    pilot_clients = int(np.count_nonzero(client_owners(dept) == NOBODY))
    kept = [int(np.count_nonzero(client_owners(dept) == i)) for i in old]
    assert sum(kept) + pilot_clients == sum(sizes)
    # Alternate ranks by base: the rest hold at least the pilot's book, at most the
    # largest single book more.
    assert 0 <= sum(kept) - pilot_clients <= sizes[0]


def test_pooled_pilot_shares_one_queue_and_the_rest_keep_their_own(scenario, warm):
    dept = department(scenario, "ticket_pool", warm)
    new = [d for d in dept.desks if dept.org.at(d.index) is dept.org.new]
    old = [d for d in dept.desks if dept.org.at(d.index) is dept.org.old]
    assert len({id(d.queue) for d in new}) == 1
    assert len({id(d.queue) for d in old}) == len(old)
    assert not {id(d.queue) for d in new} & {id(d.queue) for d in old}
    old_queues = [d.queue for d in old]
    dept.env.run(until=scenario.reorganisation.phase_days + 1.0)
    assert all(dept.org.at(d.index) is dept.org.new for d in dept.desks)
    assert len({id(d.queue) for d in dept.desks}) == 1  # one pool, not two
    assert all(len(q.requests()) == 0 for q in old_queues)  # nothing stranded
    assert np.all(client_owners(dept) == NOBODY)


def test_people_switch_with_their_desk_and_start_from_their_habits(scenario, warm):
    dept = department(scenario, "process_norm", warm)
    r = scenario.reorganisation.resistance_per_year
    for desk in dept.desks:
        person = desk.person
        if person is None:
            continue
        if dept.org.at(desk.index) is dept.org.new:
            assert desk.switched_at == 0.0 and person.switched_at == 0.0
            assert dept.staff.adapt[person.person_id] == pytest.approx(
                max(0.0, 1.0 - r * person.tenure_days(0.0) / 252))
        else:
            assert desk.switched_at is None and person.habit is None
    later = scenario.reorganisation.phase_days
    dept.env.run(until=later + 1.0)
    switched = [d for d in dept.desks if d.person is not None and d.person.habit is not None
                and d.switched_at == later]
    assert switched and all(d.person.switched_at == later for d in switched)
    assert {d.switched_at for d in dept.desks} == {0.0, later}


def test_staged_pilot_hands_over_the_hunters_clients_only(scenario, warm):
    book = {p.person_id: b for p, b in warm.people}
    dept = department(scenario, "staged-2", warm)
    owners = client_owners(dept)
    for desk in dept.desks:
        mine = int(np.count_nonzero(owners == desk.index))
        if dept.org.at(desk.index) is dept.org.old:
            assert desk.role.name == "manager" and mine == book[desk.person.person_id]
        elif not desk.role.owns:
            assert mine == 0
    roles = [d.role.name for d in dept.desks if dept.org.at(d.index) is dept.org.new]
    assert sorted(roles) == ["account_manager", "account_manager", "hunter"]
    dept.env.run(until=scenario.reorganisation.phase_days + 1.0)
    assert sorted(d.role.name for d in dept.desks).count("hunter") == 2
    owners = client_owners(dept)
    assert all(dept.desks[o].role.owns for o in owners if o >= 0)


def test_the_setup_is_paid_once_not_per_phase(scenario, warm):
    monthly, _ = department(scenario, "ticket_pool", warm).run()
    assert monthly["transition_cost"].sum() == scenario.structures.ticket_pool.setup_cost


def test_a_phased_switch_moves_half_way_until_the_second_phase(scenario):
    """Direction, on common random numbers: while half the desks work under the process
    norm, the department prospects more than if it had stayed classic and less than
    after a full switch (each paired mean difference over replications, 99 % t
    interval, above zero)."""
    sc = scenario.with_overrides({"reorganisation.phase_days": 126.0})
    full = sc.with_overrides({"reorganisation.phase_share": 1.0})
    early = slice(1, 6)  # months 1-6 end on day 126
    lower, upper = [], []
    for rep in range(8):
        m_phased, _ = run_replication(sc, ["classic", "process_norm"], SEED, rep)
        m_full, _ = run_replication(full, ["process_norm"], SEED, rep)

        def hours(m, name):
            rows = m[(m["structure"] == name) & m["month"].between(early.start, early.stop)]
            return rows["hours_prospecting"].sum()
        classic, phased = hours(m_phased, "classic"), hours(m_phased, "process_norm")
        lower.append(phased - classic)
        upper.append(hours(m_full, "process_norm") - phased)
    for diffs in (lower, upper):
        d = np.array(diffs)
        half = stats.t.ppf(0.995, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
        assert d.mean() - half > 0, (d.mean(), half)


def test_a_structure_that_changes_the_seats_cannot_be_phased(scenario):
    with pytest.raises(ScenarioError, match=r"reorganisation.phase_share.*automated_marketing"):
        scenario.with_overrides({"experiment.structures": ["classic", "automated_marketing"]})
    with pytest.raises(ScenarioError, match=r"reorganisation.phase_days: 300.*horizon"):
        scenario.with_overrides({"reorganisation.phase_days": 300.0})
    # A full switch, or a fresh start, has nothing to phase.
    scenario.with_overrides({"experiment.structures": ["classic", "automated_marketing"],
                             "reorganisation.phase_share": 1.0})
