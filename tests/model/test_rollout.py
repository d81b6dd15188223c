"""A phased roll-out: the new structure takes a share of the desks at the switch and the
rest later, in one department (sim/model/rollout.py)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.config.scenario import ScenarioError
from sim.model.market import CLIENT, NOBODY
from sim.model.rollout import Phased, pilot_ranks, split_roles
from sim.model.structures.base import Role, team_rewards
from sim.model.workday import ORDER
from sim.study.replication import run_replication

from tests.helpers import SEED, department

PHASED = ["classic", "ticket_pool", "process_norm", "staged-2"]


@pytest.fixture(scope="module")
def scenario(small_mature):
    """The shared small mature department (its warm-up is the session's ``warm``: these
    settings act only after the switch), rolled out in two phases."""
    return small_mature.with_overrides({
        "experiment.structures": PHASED,
        "reorganisation.phase_share": 0.5, "reorganisation.phase_days": 63.0})


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
    # Serpentine ranks by base: the two groups' books differ by at most the largest
    # single book.
    assert abs(sum(kept) - pilot_clients) <= sizes[0]


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


def orders_in_the_right_queues(dept):
    """Every order waiting in a desk's own queue belongs to a client that desk owns."""
    for desk in dept.desks:
        if any(d is not desk and d.queue is desk.queue for d in dept.desks):
            continue  # a shared queue
        for req in desk.queue.requests():
            if req.kind == ORDER:
                assert dept.acc.owner[req.account] == desk.index, (desk.index, req)


@pytest.mark.parametrize("name", ["staged-2", "segmented"])
def test_after_each_phase_no_client_is_left_with_a_role_that_cannot_own_it(scenario, warm,
                                                                           name):
    sc = scenario.with_overrides({"experiment.structures": ["classic", name]})
    dept = department(sc, name, warm)
    orders_in_the_right_queues(dept)
    dept.env.run(until=sc.reorganisation.phase_days + 1.0)
    orders_in_the_right_queues(dept)
    owners = client_owners(dept)
    assert all(dept.desks[o].role.owns for o in owners if o >= 0)
    if name == "staged-2":  # account managers keep every client
        assert np.all(owners >= 0)


def test_a_lone_pilot_seat_is_one_that_owns_clients():
    hunter, am = Role("hunter", owns=False), Role("account_manager")
    assert split_roles([hunter, am], 1) == ([am], [hunter])
    assert pilot_ranks(10, 5) == [1, 2, 5, 6, 9]  # serpentine, not every second


@pytest.mark.parametrize("phase_days", [73.0, 126.0])
def test_the_month_of_the_second_phase_is_paid_under_each_plan_for_its_days(
        scenario, warm, phase_days):
    """Phase 2 on day 73 (10 days into month 4): the switching people have a month-4
    row as managers for those 10 days and one as specialists for the rest. On day 126
    (a month's end) month 6 is paid wholly under classic, with no empty row."""
    sc = scenario.with_overrides({"reorganisation.phase_days": phase_days})
    dept = department(sc, "ticket_pool", warm)
    _, managers = dept.run()
    assert (managers["days_worked"] > 0).all()  # no empty row for a switch at month's end
    month = -(-int(phase_days) // 21)  # the month phase_days falls in (its end: 126)
    rows = managers[managers["month"] == month]
    switched = rows[rows["role"] == "manager"]
    assert len(switched) > 0
    if phase_days == 73.0:
        assert (switched["days_worked"] <= 10).all()
        assert set(switched["manager_id"]) <= set(rows.loc[rows["role"] == "specialist",
                                                           "manager_id"])
    else:
        assert month == 6 and (switched["days_worked"] > 10).all()
        assert (managers.loc[managers["month"] == 7, "role"] == "specialist").all()


def test_old_desks_keep_hunting_when_the_new_structure_buys_its_leads(scenario, warm):
    sc = scenario.with_overrides({"experiment.structures": ["classic",
                                                            "pool_fed_by_marketing"]})
    dept = department(sc, "pool_fed_by_marketing", warm)
    old = [d.index for d in dept.desks if dept.org.at(d.index) is dept.org.old]
    new = [d.index for d in dept.desks if dept.org.at(d.index) is dept.org.new]
    dept.env.run(until=42.0 + 1e-9)
    managers = dept.rec.managers_frame()
    early = managers[managers["month"] <= 2]
    assert early.loc[early["desk"].isin(old), "hours_prospecting"].sum() > 0
    assert early.loc[early["desk"].isin(new), "hours_prospecting"].sum() == 0


def test_a_team_bonus_is_shared_by_the_whole_department(scenario, warm):
    dept = department(scenario, "ticket_pool", warm)
    i = next(d.index for d in dept.desks if dept.org.at(d.index) is dept.org.new
             and d.person is not None)
    floor = dept.org.floor_at(dept, i)
    assert len(floor.present_desks()) < len(dept.present_desks())
    value = type("V", (), {"new_revenue": 1000.0, "care_revenue": 100.0})()
    got = dept.org.at(i).rewards(floor, dept.desks[i].person, dept.desks[i].role, value)
    rate = scenario.structures.ticket_pool.team_bonus_rate
    assert got == team_rewards(rate, value, len(dept.present_desks()))


class _FakeGroup:
    def __init__(self, present: int):
        self.members = list(range(max(present, 1)))
        self.present = present

    def present_desks(self):
        return list(range(self.present))


def test_new_leads_follow_the_headcounts_of_now_not_of_the_past():
    """3 + 3 people for 200 leads, then the old group down to 1: about a quarter of the
    next 100 go to it (a share by current weights), not none while it 'catches up'."""
    phased = object.__new__(Phased)
    phased._current = [0.0, 0.0]
    phased.groups = (_FakeGroup(3), _FakeGroup(3))
    picks = [phased._group_for_new_work() is phased.groups[0] for _ in range(200)]
    assert sum(picks) == 100
    phased.groups[0].present = 1
    picks = [phased._group_for_new_work() is phased.groups[0] for _ in range(100)]
    assert 24 <= sum(picks) <= 26


def test_pay_parity_pilots_accept_a_second_phase_beyond_their_year(scenario):
    from sim.study.parity import pay_parity_scales

    sc = scenario.with_overrides({"experiment.horizon_years": 1.5,
                                  "reorganisation.phase_days": 300.0})
    scales = pay_parity_scales(sc, ["classic", "ticket_pool"], "classic", SEED)
    assert scales["classic"] == 1.0 and scales["ticket_pool"] > 0
