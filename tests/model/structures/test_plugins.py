"""Structures as plug-ins: the registry, hooks against a ten-line fake floor, and the
``segmented`` structure's own mechanism. The import graph of ``sim/`` is checked in
tests/system/test_architecture.py."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from sim import Scenario
from sim.model.department import Department
from sim.model.market import CLIENT, LOST, NOBODY, Accounts
from sim.model.recorder import Recorder
from sim.model.streams import Streams
from sim.model.structures import PLUGINS, STRUCTURES, make_structure
from sim.model.workday import LEAD, ORDER, Desk, Request

from tests.helpers import small


class FakeFloor:
    """The narrow view a hook gets, with nothing behind it."""

    def __init__(self, sc: Scenario, roles, present=None):
        self.sc, self.streams, self.env = sc, Streams(1, 0), simpy.Environment()
        self.acc = Accounts.create(sc.market, np.random.default_rng(0))
        self.desks = [Desk(self.env, i, r) for i, r in enumerate(roles)]
        self.rec = Recorder(1)
        for i in present if present is not None else range(len(roles)):
            self.desks[i].person = f"p{i}"

    def present_desks(self):
        return [d.index for d in self.desks if d.person is not None]

    def team_size(self):
        return len(self.present_desks())

    def base_sizes(self):
        owned = (self.acc.state == CLIENT) & (self.acc.owner >= 0)
        return np.bincount(self.acc.owner[owned], minlength=len(self.desks))

    def month_team_share(self, days):
        return 0.0


def floor_for(name: str, sc: Scenario, seats: int = 6, present=None):
    org = make_structure(name, sc).org
    floor = FakeFloor(sc, org.roles(org.seats(seats)), present)
    org.make_queues(floor.env, floor.desks)
    return org, floor


def make_clients(floor, accounts, owners):
    floor.acc.state[accounts] = CLIENT
    floor.acc.owner[accounts] = owners


# ------------------------------------------------------------------ registry
def test_every_registered_name_builds_and_the_scenario_reads_the_registry():
    sc = Scenario()
    for plugin in PLUGINS:
        assert plugin.spec.section in type(sc.structures).model_fields
        for name in plugin.names:
            assert make_structure(name, sc).name == name
    assert set(STRUCTURES) <= set(sc.structure_names())
    assert "segmented" in STRUCTURES and "segmented" not in sc.experiment.structures


# --------------------------------------------------------- hooks, fake floor
def test_staged_hands_a_won_client_to_the_present_account_manager_with_the_smallest_base():
    sc = small()
    org, floor = floor_for("staged-2", sc)
    roles = [d.role.name for d in floor.desks]
    hunter = roles.index("hunter")
    ams = [i for i, r in enumerate(roles) if r == "account_manager"]
    make_clients(floor, np.arange(6), [ams[0]] * 4 + [ams[1]] * 2)  # ams[2:] have none
    floor.desks[ams[2]].person = None  # vacant: not a candidate while someone is present
    owner, handoff = org.new_client_owner(floor, hunter, 100)
    expected = ams[3] if len(ams) > 3 else ams[1]
    assert (owner, handoff) == (expected, True)


def test_the_pool_routes_every_request_to_one_queue_and_owns_nothing():
    org, floor = floor_for("ticket_pool", small())
    queues = {id(org.route_lead(floor, Request(LEAD, 1, 0, 0.1, 5))),
              id(org.route_order(floor, 2)),
              id(org.route_meeting(floor, Request(LEAD, 3, 0, 0.1, 5)))}
    assert queues == {id(floor.desks[0].queue)} and len({id(d.queue) for d in floor.desks}) == 1
    assert org.new_client_owner(floor, 3, 7) == (NOBODY, False)


def test_the_process_norm_counts_care_contacts_and_touches_and_pays_for_them():
    sc = small(**{"structures.process_norm.touch_hours": 0.5,
                  "structures.process_norm.norm_tasks_per_day": 10,
                  "structures.process_norm.norm_rate_monthly": 2100,
                  "structures.process_norm.piece_bonus": 5})
    org, floor = floor_for("process_norm", sc)
    tasks = org.tasks_done(floor, 4, 3.0, 2)  # 4 contacts + 3 h / 0.5 h per touch
    assert tasks == 10.0  # the 2 requests handled do not count by default
    assert org.daily_pay(tasks) == pytest.approx(2100 / 21)
    every, efloor = floor_for("process_norm", sc.with_overrides(
        {"structures.process_norm.counts": "all"}))
    tasks = every.tasks_done(efloor, 4, 3.0, 2)  # and with counts: all, they do
    assert tasks == 12.0
    assert every.daily_pay(tasks) == pytest.approx(2100 / 21 + 5 * 2)
    classic, cfloor = floor_for("classic", sc)
    assert classic.tasks_done(cfloor, 4, 3.0, 2) == 0.0 and classic.daily_pay(12.0) == 0.0


def test_the_marketing_draw_engages_prospects_and_delivers_them_after_nurturing():
    sc = small(**{"structures.automated_marketing.nurture_days": 10,
                  "structures.automated_marketing.budget_monthly": 1e9})
    leads = make_structure("automated_marketing", sc).leads
    _, floor = floor_for("automated_marketing", sc)
    rng = np.random.default_rng(3)
    drawn = leads.draw_leads(floor, 5, 0, rng)
    accounts = np.array([a for _, a in drawn])
    assert len(drawn) > 0 and len(set(accounts)) == len(accounts)
    assert floor.acc.engaged[accounts].all() and floor.acc.engaged.sum() == len(accounts)
    assert all(15.0 <= t < 16.0 for t, _ in drawn)
    assert floor.rec.c["leads_marketing_paid"][0] == len(drawn)  # no clients: no word of mouth
    assert make_structure("classic", sc).leads.draw_leads(floor, 5, 0, rng) == []


def test_segmented_routes_key_accounts_to_their_manager_and_the_rest_to_the_pool():
    sc = small(**{"structures.segmented.key_account_managers": 2})
    org, floor = floor_for("segmented", sc, seats=5)
    roles = [d.role.name for d in floor.desks]
    assert roles == ["key_account_manager"] * 2 + ["specialist"] * 3
    seg = floor.acc.segment
    key = int(np.flatnonzero(seg == list(sc.market.segments).index("enterprise"))[0])
    other = int(np.flatnonzero(seg != list(sc.market.segments).index("enterprise"))[0])
    pool = floor.desks[2].queue
    assert all(d.queue is pool for d in floor.desks[2:])
    assert floor.desks[0].queue is not pool and floor.desks[1].queue is not floor.desks[0].queue
    assert org.route_lead(floor, Request(LEAD, key, 0, 0.1, 5)) in (floor.desks[0].queue,
                                                                    floor.desks[1].queue)
    assert org.route_lead(floor, Request(LEAD, other, 0, 0.1, 5)) is pool
    make_clients(floor, np.array([key, other]), [1, NOBODY])
    assert org.route_order(floor, key) is floor.desks[1].queue
    assert org.route_order(floor, other) is pool
    # A key account won by a specialist goes to a key-account manager (a hand-off); one
    # won by its manager stays; any other client belongs to nobody.
    assert org.new_client_owner(floor, 3, key) == (0, True)  # desk 0 has the smaller base
    assert org.new_client_owner(floor, 1, key) == (1, False)
    assert org.new_client_owner(floor, 0, other) == (NOBODY, False)
    assert list(org.may_own(floor, np.array([key, other]))) == [True, False]
    hours = org.service_hours(np.array([ORDER, ORDER]), np.array([1.0, 1.0]),
                              seg[[key, other]])
    assert list(hours) == [1.0, 1.0 + sc.structures.ticket_pool.service_penalty]


def test_segmented_settings_are_checked_against_the_market_and_the_headcount():
    from sim import ScenarioError

    with pytest.raises(ScenarioError, match=r"key_account_segments: unknown segment 'giant'"):
        small(**{"structures.segmented.key_account_segments": ["giant"]})
    with pytest.raises(ScenarioError, match=r"key_account_managers: 3 leaves no pool"):
        small(**{"structures.segmented.key_account_managers": 3})


# ------------------------------------------------------- segmented, whole runs
@pytest.fixture(scope="module")
def segmented_run():
    sc = small(**{"workforce.managers": 6, "structures.segmented.key_account_managers": 2,
                  "experiment.horizon_years": 1.0, "workforce.quit_rate_annual": 0.6,
                  "selling.follow_rate": 1.0, "demand.inbound_leads_per_day": 3.0,
                  # one realisation (seed 11) of the event path, on which the pool loses
                  # no order; the array path's draws lose 1 of 688 on this seed
                  "experiment.request_path": "events"})
    dept = Department(sc, make_structure("segmented", sc), Streams(11, 0))
    monthly, managers = dept.run()
    return sc, dept, monthly, managers


def test_segmented_key_clients_always_have_an_owner_and_others_never(segmented_run):
    sc, dept, _, _ = segmented_run
    acc = dept.acc
    clients = acc.clients()
    key = acc.segment[clients] == list(sc.market.segments).index("enterprise")
    assert key.any() and (~key).any()
    assert (acc.owner[clients[key]] >= 0).all()
    assert (acc.owner[clients[~key]] == NOBODY).all()
    roles = np.array([d.role.name for d in dept.desks])
    assert (roles[acc.owner[clients[key]]] == "key_account_manager").all()


def test_segmented_a_leaving_key_account_managers_clients_follow_and_the_pool_serves(
        segmented_run):
    _, dept, monthly, managers = segmented_run
    assert len(managers[managers.left & (managers.role == "key_account_manager")]) > 0
    specialists = managers[managers.role == "specialist"]
    assert specialists["hours_reactive"].sum() > 0
    assert specialists["base_clients"].eq(0).all()
    assert monthly["orders_handled"].sum() > 0 and monthly["orders_lost"].sum() == 0
    # With follow_rate 1 and a full bond, every bonded client of a leaver follows.
    acc = dept.acc
    desk = next(d for d in dept.desks if d.role.owns and d.person is not None
                and ((acc.owner == d.index) & (acc.state == CLIENT)).any())
    mine = np.flatnonzero((acc.owner == desk.index) & (acc.state == CLIENT))
    acc.relationship[mine] = 1.0
    acc.bond[mine] = desk.person.person_id
    others = np.flatnonzero((acc.state == CLIENT) & (acc.bond != desk.person.person_id))
    dept.staff.depart(desk, dept.env.now)
    assert (acc.state[mine] == LOST).all() and (acc.lost_at[mine] == dept.env.now).all()
    assert (acc.state[others] == CLIENT).all()
