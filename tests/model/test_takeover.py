"""The rules of a takeover (docs/model.md, "Initial state and reorganisation"), each
checked on a department built from a small warm-up snapshot, right after the
structure under study takes over or a few days later."""

from __future__ import annotations

import copy
from collections import Counter

import numpy as np
import pytest

import sim
from sim.config.scenario import DAYS_PER_YEAR
from sim.model.control import monitoring_pull
from sim.model.department import Department, Snapshot
from sim.model.market import CLIENT, LOST, NOBODY, PROSPECT
from sim.model.people import effective_propensity
from sim.model.streams import Streams
from sim.model.structures import make_structure
from sim.model.workday import LEAD, ORDER, Desk

from tests.helpers import department, small

#: Not the shared small mature department of tests/model/conftest.py: a busier market
#: and a one-year warm-up, on its own seed, give the bases these rules need.
SEED, REP = 2, 0


@pytest.fixture(scope="module")
def scenario() -> sim.Scenario:
    """Six managers hired over a year, a year of warm-up: bases from a few to dozens."""
    return small(**{"experiment.initial_state": "mature", "experiment.warmup_years": 1.0,
                    "workforce.managers": 6, "market.n_accounts": 1200,
                    "demand.inbound_leads_per_day": 10.0})


@pytest.fixture(scope="module")
def warm(scenario) -> Snapshot:
    snap = sim.warm_up(scenario, SEED, REP)
    bases = sorted(b for _, b in snap.people)
    # Preconditions the rules below need: six people, bases of distinct sizes.
    assert len(snap.people) == 6 and bases[1] > 0 and len(set(bases)) == 6, bases
    return snap


def _take_over(sc, name: str, snap: Snapshot, **overrides) -> Department:
    sc = sc.with_overrides(overrides) if overrides else sc
    return department(sc, name, snap, seed=SEED, rep=REP)


def _seated(dept: Department) -> dict[int, Desk]:
    """Person id -> desk, for everyone seated."""
    return {d.person.person_id: d for d in dept.desks if d.person is not None}


def _queued(dept: Department) -> list[tuple]:
    """Every request waiting in the department's queues, as a snapshot lists them."""
    queues = {id(d.queue): d.queue for d in dept.desks}.values()
    return [(r.kind, r.account, r.arrived, r.service, r.patience, r.source)
            for q in queues for r in q.requests()]


def _skills_against_bases(snap: Snapshot) -> Snapshot:
    """A copy where the smaller a person's base, the higher their skill, so that
    seating by base and seating by skill disagree."""
    snap = copy.deepcopy(snap)
    by_base = sorted(snap.people, key=lambda pb: pb[1])
    for rank, (person, _) in enumerate(by_base):
        person.skill = 0.9 - 0.1 * rank
    return snap


def test_owning_seats_go_to_the_largest_bases(scenario, warm):
    snap = _skills_against_bases(warm)
    dept = _take_over(scenario, "staged-2", snap)
    owning = [d for d in dept.desks if d.role.owns]
    assert 0 < len(owning) < len(dept.desks)
    by_base = [p.person_id for p, _ in sorted(snap.people, key=lambda pb: -pb[1])]
    seated = _seated(dept)
    assert {pid for pid, d in seated.items() if d.role.owns} == set(by_base[:len(owning)])
    assert {pid for pid, d in seated.items() if not d.role.owns} == set(by_base[len(owning):])


def test_seats_that_own_nothing_go_by_skill_and_the_rest_are_laid_off(scenario, warm):
    snap = _skills_against_bases(warm)
    dept = _take_over(scenario, "automated_marketing", snap)
    seats = len(dept.desks)
    assert seats == scenario.structures.automated_marketing.dispatchers < len(snap.people)
    by_skill = [p.person_id for p, _ in sorted(snap.people, key=lambda pb: -pb[0].skill)]
    assert set(_seated(dept)) == set(by_skill[:seats])
    laid_off = set(by_skill[seats:])
    # Clients bonded to someone laid off either followed them out or lost the bond.
    assert not np.isin(dept.acc.bond[dept.acc.clients()], list(laid_off)).any()


@pytest.mark.parametrize("name", ["automated_marketing", "staged-2"])
def test_people_without_a_seat_are_laid_off_at_once(scenario, warm, name):
    dept = Department(scenario, make_structure(name, scenario), Streams(SEED, REP),
                      snapshot=warm, months=1)
    seats = len(dept.desks)
    expected = max(0, len(warm.people) - seats)
    assert len(dept.present_desks()) == min(seats, len(warm.people))
    monthly, managers = dept.run()
    assert monthly.layoffs.iloc[0] == expected
    left_at_once = managers[(managers.desk == -1) & managers.left & (managers.days_worked == 0)]
    assert len(left_at_once) == expected
    assert (expected > 0) == (name == "automated_marketing")  # staged keeps every seat


def _handed(snap: Snapshot, dept: Department) -> tuple[np.ndarray, np.ndarray]:
    """Clients at the snapshot whose person keeps an owning seat, and the others."""
    person_at = {p.desk_at_snapshot: p.person_id for p, _ in snap.people}
    seat = _seated(dept)
    clients = np.flatnonzero(snap.accounts.state == CLIENT)
    desks = [seat.get(person_at.get(int(snap.accounts.owner[a]), -1)) for a in clients]
    keeps = np.array([d is not None and d.role.owns for d in desks], dtype=bool)
    return clients[keeps], clients[~keeps]


@pytest.mark.parametrize("loss", [0.0, 0.5, 1.0])
def test_clients_of_people_without_an_owning_seat_are_handed_off(scenario, warm, loss):
    dept = _take_over(scenario, "staged-2", warm, **{"structures.staged.handoff_loss": loss})
    stay, handed = _handed(warm, dept)
    assert len(stay) > 0 and len(handed) > 0
    acc, old = dept.acc, warm.accounts
    person_at = {p.desk_at_snapshot: p.person_id for p, _ in warm.people}
    seat = _seated(dept)
    # Clients whose person keeps an owning seat stay with them, bond and all.
    expected_owner = [seat[person_at[int(old.owner[a])]].index for a in stay]
    assert (acc.owner[stay] == expected_owner).all()
    assert (acc.state[stay] == CLIENT).all()
    assert np.array_equal(acc.relationship[stay], old.relationship[stay])
    assert np.array_equal(acc.bond[stay], old.bond[stay])
    # Each handed client is lost with chance handoff_loss, drawn from the handoff stream
    # in account order; the loss is recorded in month 1.
    lost = Streams(SEED, REP)["handoff"].random(len(handed)) < loss
    assert dept.rec.c["lost_clients_handoff"][0] == lost.sum()
    assert (acc.state[handed[lost]] == LOST).all()
    assert (acc.owner[handed[lost]] == NOBODY).all()
    kept = handed[~lost]
    assert (acc.state[kept] == CLIENT).all()
    # The survivors start from scratch with a person at an owning seat.
    assert (acc.relationship[kept] == 0.0).all()
    owners = acc.owner[kept]
    assert all(dept.desks[o].role.owns for o in owners)
    assert [acc.bond[a] for a in kept] == [dept.desks[o].person.person_id for o in owners]
    if loss == 0.0:
        # Handed to the smallest bases in turn: the bases of the owning seats that
        # received a client differ from the smallest by at most one.
        bases = dept.base_sizes()[[d.index for d in dept.desks if d.role.owns]]
        receivers = dept.base_sizes()[np.unique(owners)]
        assert receivers.max() <= bases.min() + 1


def test_where_nobody_owns_clients_they_keep_a_fading_bond_with_their_old_manager(
        scenario, warm):
    dept = _take_over(scenario, "ticket_pool", warm)
    clients = np.flatnonzero(warm.accounts.state == CLIENT)
    assert (dept.acc.state[clients] == CLIENT).all()
    assert (dept.acc.owner[clients] == NOBODY).all()
    assert np.array_equal(dept.acc.relationship[clients], warm.accounts.relationship[clients])
    assert np.array_equal(dept.acc.bond[clients], warm.accounts.bond[clients])
    assert dept.rec.c["lost_clients_handoff"][0] == 0


def _with_a_newcomer(snap: Snapshot) -> Snapshot:
    """A copy where the newest hire has no client yet (theirs went to the largest base)."""
    snap = copy.deepcopy(snap)
    newest = max(range(len(snap.people)), key=lambda i: snap.people[i][0].hired_at)
    largest = max(range(len(snap.people)), key=lambda i: snap.people[i][1])
    (newcomer, moved), (big, base) = snap.people[newest], snap.people[largest]
    acc = snap.accounts
    theirs = (acc.owner == newcomer.desk_at_snapshot) & (acc.state == CLIENT)
    acc.owner[theirs] = big.desk_at_snapshot
    acc.bond[theirs] = big.person_id
    snap.people[newest], snap.people[largest] = (newcomer, 0), (big, base + moved)
    return snap


@pytest.mark.parametrize("name", ["classic", "staged-2", "ticket_pool", "process_norm"])
def test_after_a_switch_people_carry_their_old_income_and_habits(scenario, warm, name):
    """A switch sets each person's reference income (the income before it) and habits
    (the last propensities under the old structure); classic simply continues."""
    dept = _take_over(scenario, name, warm)
    before = {p.person_id: p for p, _ in warm.people}
    for pid, desk in _seated(dept).items():
        person, old = desk.person, before[pid]
        if name == "classic":
            assert person.reference_income == 0.0 and person.habit is None
        else:
            assert person.reference_income == old.income_smoothed > 0
            assert person.habit == old.last_pi and max(old.last_pi) > 0
    assert dept.reorganised == (name != "classic")


def test_the_quit_hazard_rises_with_the_loss_of_income_for_a_while(scenario, warm):
    from sim.model.workforce import income_loss

    sc = scenario.with_overrides({"reorganisation.loss_quit_weight": 2.0,
                                  "reorganisation.loss_quit_days": 50.0})
    dept = _take_over(sc, "ticket_pool", warm)
    person = next(iter(_seated(dept).values())).person
    person.income_smoothed = 0.6 * person.reference_income  # lost 40 %
    assert income_loss(person) == pytest.approx(0.4)
    seen = {}

    def spy(ratio, workforce, multiplier=1.0):
        seen.setdefault("m", []).append(multiplier)
        return 0.0

    import sim.model.workforce as wf

    real = wf.quit_hazard_per_day
    wf.quit_hazard_per_day = spy
    try:
        for now in (10.0, 60.0):
            seen.clear()
            dept.staff.quits(now)
            mine = seen["m"][[d.person for d in dept.desks if d.person].index(person)]
            outside = wf.outside_option(person.ability, sc.market_wage, sc.labour)
            market = wf.quit_pay_factor(person.income_smoothed / outside, sc.labour)
            watched = wf.monitoring_quit_factor(dept.org.monitoring, sc.control)
            expected = (1 + 2.0 * 0.4 if now < 50 else 1.0) * market * watched
            assert mine == pytest.approx(expected), now
    finally:
        wf.quit_hazard_per_day = real


def test_compliance_starts_lower_with_tenure_and_ramps_to_one(scenario, warm):
    ramp, resistance, days = 4.0, 1.5, 6
    sc = scenario.with_overrides({"reorganisation.adaptation_days": ramp,
                                  "reorganisation.resistance_per_year": resistance,
                                  "behaviour.drift": False, "workforce.quit_rate_annual": 0.0,
                                  "structures.ticket_pool.team_bonus_rate": 0.0,
                                  "reorganisation.training_days": 0.0})
    dept = department(sc, "ticket_pool", warm, seed=SEED, rep=REP)
    c0 = {p.person_id: max(0.0, 1.0 - resistance * (-p.hired_at) / DAYS_PER_YEAR)
          for p, _ in warm.people}
    assert min(c0.values()) == 0.0 and 0.0 < max(c0.values()) < 1.0  # both cases occur
    assert dept.staff.adapt == pytest.approx(c0)
    # Each propensity mixes the person's old habit with the new structure's, by the
    # share taken on; with drift off and nothing paid at the margin (no team bonus) the
    # new one is the floor pulled by the new monitoring, so a few days pin the ramp.
    dept.env.run(until=days + 1e-9)
    new = sc.structures.ticket_pool
    new_pi = effective_propensity(sc.behaviour.intrinsic_propensity,
                                  monitoring_pull(new.monitoring, sc.control),
                                  new.prescribed_active_share)
    habits = {p.person_id: p.last_pi for p, _ in warm.people}
    for pid, desk in _seated(dept).items():
        c = [c0[pid] + (1 - c0[pid]) * min(1.0, t / ramp) for t in range(1, days + 1)]
        assert dept.staff.compliance(desk.person, ramp / 2) == pytest.approx((1 + c0[pid]) / 2)
        expected = sum((ci * new_pi + (1 - ci) * habits[pid][0]
                        + ci * new_pi + (1 - ci) * habits[pid][1]) / 2 for ci in c)
        assert dept.staff.month_stats[pid]["propensity"] == pytest.approx(expected, rel=1e-12)


def test_classic_continues_with_full_compliance(scenario, warm):
    dept = _take_over(scenario, "classic", warm)
    assert dept.staff.adapt and set(dept.staff.adapt.values()) == {1.0}


def test_seats_vacant_at_the_snapshot_are_filled_at_their_original_hire_times(scenario, warm):
    # Vacate the newest hire's seat as a quit would have, with a successor due on day 9.5.
    snap = copy.deepcopy(warm)
    newest = max(snap.people, key=lambda pb: pb[0].hired_at)
    assert newest[1] == min(b for _, b in snap.people)
    snap.people.remove(newest)
    snap.vacancies = sorted(snap.vacancies + [9.5])
    sc = scenario.with_overrides({"workforce.quit_rate_annual": 0.0})
    dept = department(sc, "ticket_pool", snap, seed=SEED, rep=REP)
    assert len(dept.present_desks()) == len(dept.desks) - len(snap.vacancies)
    dept.env.run(until=max(snap.vacancies) - 1e-6)
    assert dept.rec.c["hires"][0] == len(snap.vacancies) - 1
    dept.env.run(until=max(snap.vacancies) + 1e-6)
    hired = sorted(d.person.hired_at for d in dept.desks
                   if d.person is not None and d.person.person_id >= snap.next_person_id)
    assert hired == sorted(max(0.0, t) for t in snap.vacancies)
    assert dept.rec.c["hires"][0] == len(snap.vacancies)


def _with_waiting(snap: Snapshot) -> Snapshot:
    """A copy with three more leads and three more orders waiting at the snapshot."""
    snap = copy.deepcopy(snap)
    acc = snap.accounts
    prospects = np.flatnonzero((acc.state == PROSPECT) & ~acc.engaged)[:3]
    acc.engaged[prospects] = True
    clients = np.flatnonzero(acc.state == CLIENT)[:3]
    for i, a in enumerate(prospects):
        snap.waiting.append((LEAD, int(a), -0.3 + 0.1 * i, 0.07, 5.0, 1))
    for i, a in enumerate(clients):
        snap.waiting.append((ORDER, int(a), -0.25 + 0.1 * i, 0.05, 3.0, 0))
    return snap


@pytest.mark.parametrize("name", ["classic", "ticket_pool"])
def test_requests_waiting_at_the_snapshot_wait_in_the_new_department(scenario, warm, name):
    snap = _with_waiting(warm)
    dept = _take_over(scenario, name, snap)
    assert Counter(_queued(dept)) == Counter(snap.waiting)
    if name == "classic":  # an order waits at its owner's desk
        for desk in dept.desks:
            for r in desk.queue.requests():
                if r.kind == ORDER:
                    assert dept.acc.owner[r.account] == desk.index


def test_an_order_of_a_client_lost_at_the_handoff_is_not_carried_over(scenario, warm):
    snap = _with_waiting(warm)
    lossy = {"structures.staged.handoff_loss": 1.0}
    _, handed = _handed(snap, _take_over(scenario, "staged-2", snap, **lossy))
    order = (ORDER, int(handed[0]), -0.5, 0.05, 3.0, 0)
    snap.waiting.append(order)
    dept = _take_over(scenario, "staged-2", snap, **lossy)
    assert snap.accounts.state[handed[0]] == CLIENT and dept.acc.state[handed[0]] == LOST
    queued = _queued(dept)
    assert order not in queued
    carried = [w for w in snap.waiting if not (w[0] == ORDER and w[1] in set(handed))]
    assert Counter(queued) == Counter(carried)
