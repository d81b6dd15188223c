"""The day's work over arrays (sim.model.daywork) against the per-person formulas.

The reference below is the per-person loop the department ran before the day's work
went to arrays, written from the scalar formulas (drifted_propensity,
effective_propensity, gamed_share, split_day, skill_after, padded, norm_pay ...). It
reads the department without changing it and draws the care stream from a copy, so the
array day can then run on the same state; both must agree to 1e-12 on every person's
split, propensities, learning, month statistics and on the care contacts and the
prospecting hours they hand to selling. States: every structure with a vacant seat, a
phased roll-out (two organisations at once), and the days after a switch (old habits,
compliance, training)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.config.structures import STRUCTURES
from sim.model.ability import outside_option
from sim.model.control import (
    gamed_share,
    gamed_shares,
    monitoring_pull,
    monitoring_quit_factor,
    scripted_skill,
    scripted_skills,
)
from sim.model.daywork import ARRAY_MIN_PEOPLE, STATS, split_days
from sim.model.incentives import (
    HourPricing,
    Territory,
    drift_factor,
    drift_factors,
    drifted_propensities,
    drifted_propensity,
    hourly_aspiration,
)
from sim.model.labour import quit_pay_factor
from sim.model.market import Accounts
from sim.model.padding import padded, padded_many
from sim.model.people import (
    effective_propensity,
    income_loss,
    quit_hazard_per_day,
    skill_after,
    skills_after,
    variable_income_ratio,
)
from sim.model.structures.process_norm import norm_pay, norm_pays
from sim.model.workday import split_day

from tests.helpers import department, small

TOL = 1e-12
STRUCTURE_NAMES = list(STRUCTURES)  # every structure, hybrids included


def copy_of(rng: np.random.Generator) -> np.random.Generator:
    """A generator that will draw what ``rng`` draws next, leaving ``rng`` alone."""
    twin = np.random.Generator(type(rng.bit_generator)())
    twin.bit_generator.state = rng.bit_generator.state
    return twin


def reference_day(dept, now: float, clients: np.ndarray, owners: np.ndarray) -> dict:
    """The per-person day, from the scalar formulas, on the department as it stands."""
    d, staff = dept, dept.staff
    sc, acc, org = d.sc, d.acc, d.org
    sel, b, reorg = sc.selling, sc.behaviour, sc.reorganisation
    owned = owners >= 0
    is_due = (now - acc.last_care[clients]) >= sel.care_cadence_days
    dues = np.bincount(owners[owned], weights=is_due[owned], minlength=len(d.desks))
    carers = [x for x in d.desks if x.person is not None and x.role.care == "pool"]
    per_pool = float(np.count_nonzero(is_due & ~owned)) / max(1, len(carers)) * (
        sel.care_contact_hours)
    available = len(acc.available_prospects()) / acc.n
    present = [x for x in d.desks if x.person is not None]
    draws = iter(copy_of(d.streams["care"]).random(len(present)).tolist())
    out: dict = {"care_counts": np.zeros(len(d.desks), dtype=int),
                 "prospect_hours": np.zeros(len(d.desks)), "people": {}}
    for desk in present:
        person, role, i = desk.person, desk.role, desk.index
        desk.settle()  # a service booked on the array path ends as the day's work reads it
        busy = desk.busy_days + (now - desk.busy_since if desk.busy_since is not None else 0.0)
        here, floor = org.at(i), org.floor_at(d, i)
        hunts = role.prospects and org.outbound_at(i, d.leads)
        cares = role.care is not None
        ratio = variable_income_ratio(person)
        hour = d.pricing.at(here.work_skill(person.skill, now), available, here.touch_hours)
        w_p, w_c = here.rewards(floor, person, role, hour)
        pull = monitoring_pull(here.monitoring, sc.control)
        pi_p = pi_c = g_p = g_c = 0.0
        if hunts or cares:
            hourly = hourly_aspiration(person.aspiration, d.hours)
            drift = drift_factor(ratio, person.tenure_days(now), b)
            presc = here.prescribed_active_share
            if hunts:
                own = drifted_propensity(w_p, hourly, drift, b)
                pi_p = effective_propensity(own, pull, presc)
                g_p = gamed_share(own, pi_p, sc.control)
            if cares:
                own = drifted_propensity(w_c, hourly, drift, b)
                pi_c = effective_propensity(own, pull, presc)
                g_c = gamed_share(own, pi_c, sc.control)
        if person.habit is not None:
            c = staff.compliance(person, now)
            pi_p = c * pi_p + (1 - c) * person.habit[0] if hunts else 0.0
            pi_c = c * pi_c + (1 - c) * person.habit[1] if cares else 0.0
        if desk.switched_at is not None and now - desk.switched_at < reorg.training_days:
            pi_p, pi_c = pi_p * (1 - reorg.training_share), pi_c * (1 - reorg.training_share)
        need = {"own": dues[i] * sel.care_contact_hours, "pool": per_pool}.get(role.care, 0.0)
        reactive, care, prospecting, idle = split_day(d.hours, busy * d.hours, pi_c, pi_p, need)
        active = care + prospecting
        hours = person.selling_hours + reactive + active
        logged = care / sel.care_contact_hours
        quick, real = here.padding(here.tasks_done(floor, logged, prospecting, desk.served))
        want = logged * (1.0 - g_c) * real
        contacts = int(want) + int(next(draws) < want - int(want))
        tasks = here.tasks_done(floor, contacts + logged * g_c * real, prospecting * real,
                                desk.served) + quick
        out["care_counts"][i] = contacts
        out["prospect_hours"][i] = prospecting * (1.0 - g_p) * real
        out["people"][person.person_id] = {
            "last_pi": (pi_p, pi_c),
            "skill": skill_after(hours, sc.skill, person.quality, person.ability),
            "selling_hours": hours, "base_income": ratio, "last_tasks": tasks,
            "stats": {"reactive": reactive, "care": care, "prospecting": prospecting,
                      "idle": idle, "days": 1.0,
                      "propensity": (pi_p + pi_c) / (hunts + cares) if hunts or cares else 0.0,
                      "pi_prospecting": pi_p, "pi_care": pi_c,
                      "reward": ((w_p * prospecting + w_c * care) / active if active > 0
                                 else max(w_p if hunts else 0.0, w_c if cares else 0.0)),
                      "tasks": tasks, "norm_pay": here.daily_pay(tasks)}}
    return out


def assert_day_matches(dept, now: float, how: str = "work_day_arrays") -> dict:
    """Run the array day (or the day as the department runs it: ``work_day``) on
    ``dept`` at ``now`` and hold it to the reference."""
    clients = dept.acc.clients()
    owners = dept.acc.owner[clients]
    want = reference_day(dept, now, clients, owners)
    before = {pid: dict(s) for pid, s in dept.staff.month_stats.items()}
    care_counts, prospect_hours = getattr(dept.staff, how)(now, clients, owners)
    np.testing.assert_array_equal(care_counts, want["care_counts"])
    np.testing.assert_allclose(prospect_hours, want["prospect_hours"], rtol=TOL, atol=TOL)
    people = {x.person.person_id: x.person for x in dept.desks if x.person is not None}
    assert set(people) == set(want["people"])
    for pid, exp in want["people"].items():
        p = people[pid]
        got = [*p.last_pi, p.skill, p.selling_hours, p.base_income, p.last_tasks]
        ref = [*exp["last_pi"], exp["skill"], exp["selling_hours"], exp["base_income"],
               exp["last_tasks"]]
        np.testing.assert_allclose(got, ref, rtol=TOL, atol=TOL, err_msg=str(pid))
        stats = dept.staff.month_stats[pid]
        for name in (*STATS, "days"):
            assert stats[name] - before[pid][name] == pytest.approx(
                exp["stats"][name], rel=TOL, abs=TOL), (pid, name)
    return want


def test_the_per_person_day_of_a_small_department_matches_the_reference_too():
    dept = run_to(department(small(**{"workforce.managers": 5}), "segmented"), 20.5)
    assert_day_matches(dept, dept.env.now, how="work_day")


def test_a_large_department_works_its_day_and_quits_over_arrays(monkeypatch):
    sc = small(**{"workforce.managers": ARRAY_MIN_PEOPLE, "market.n_accounts": 2000,
                  "workforce.hire_spread_days": 0.0})
    dept = run_to(department(sc, "classic"), 2.5)
    called = []
    for name in ("work_day_arrays", "quits_arrays"):
        real = getattr(dept.staff, name)
        monkeypatch.setattr(dept.staff, name,
                            lambda *a, _real=real, _name=name: called.append(_name) or _real(*a))
    assert sum(x.person is not None for x in dept.desks) == ARRAY_MIN_PEOPLE
    run_to(dept, 3.5)
    assert called == ["work_day_arrays", "quits_arrays"]
    assert_day_matches(dept, dept.env.now, how="work_day")


def run_to(dept, day: float):
    dept.env.run(until=day)
    return dept


@pytest.mark.parametrize("name", STRUCTURE_NAMES)
def test_the_array_day_matches_the_per_person_day_with_a_vacant_seat(name):
    sc = small(**{"workforce.managers": 5})
    dept = run_to(department(sc, name), 30.5)
    seated = [x for x in dept.desks if x.person is not None]
    dept.staff.depart(seated[0], dept.env.now)  # a vacant seat on the day
    want = assert_day_matches(dept, dept.env.now)
    assert len(want["people"]) == len(seated) - 1
    if name != "automated_marketing":  # dispatchers do no active work
        assert max(max(p["last_pi"]) for p in want["people"].values()) > 0


def test_the_array_day_matches_where_a_norm_binds_and_pads():
    sc = small(**{"workforce.managers": 4, "structures.process_norm.norm_tasks_per_day": 40})
    dept = run_to(department(sc, "process_norm"), 25.5)
    want = assert_day_matches(dept, dept.env.now)
    padded_any = [p for p in want["people"].values() if 0 < p["last_tasks"] < 40]
    assert padded_any, "the norm should bind for someone"


@pytest.mark.parametrize("name", ["ticket_pool", "process_norm"])
def test_the_array_day_matches_during_a_phased_roll_out(small_mature, warm, name):
    sc = small_mature.with_overrides({"experiment.structures": ["classic", name],
                                      "reorganisation.phase_share": 0.5,
                                      "reorganisation.phase_days": 63.0})
    dept = run_to(department(sc, name, warm), 10.5)  # inside training and adaptation
    orgs = {id(dept.org.at(x.index)) for x in dept.desks if x.person is not None}
    assert len(orgs) == 2, "two organisations side by side"
    want = assert_day_matches(dept, dept.env.now)
    assert any(dept.desks[i].switched_at is not None for i in range(len(dept.desks)))
    assert len(want["people"]) >= 4


@pytest.mark.parametrize("name", ["classic", "staged-3", "ticket_pool"])
def test_the_array_day_matches_after_a_switch_with_habits_and_compliance(small_mature,
                                                                          warm, name):
    sc = small_mature.with_overrides({"reorganisation.phase_share": 1.0})
    dept = run_to(department(sc, name, warm), 5.5)
    habits = [x.person for x in dept.desks if x.person is not None and x.person.habit]
    if name != "classic":
        assert habits and all(dept.staff.compliance(p, 5.5) < 1.0 for p in habits)
    assert_day_matches(dept, dept.env.now)


def test_the_quit_hazards_match_the_per_desk_formula(small_mature, warm):
    sc = small_mature.with_overrides({"reorganisation.loss_quit_weight": 2.0})
    dept = department(sc, "staged-3", warm)
    now = 3.0
    seated = [x for x in dept.desks if x.person is not None]
    seated[0].person.income_smoothed *= 0.5  # a loss since the switch
    got = dept.staff.quit_hazards(seated, now)
    reorg = sc.reorganisation
    for desk, h in zip(seated, got.tolist(), strict=True):
        p = desk.person
        new = p.totals.get("months", 0) == 0
        boost = (1.0 + reorg.loss_quit_weight * income_loss(p)
                 if now - p.switched_at < reorg.loss_quit_days else 1.0)
        market = 1.0 if new else quit_pay_factor(
            p.income_smoothed / outside_option(p.ability, sc.market_wage, sc.labour),
            sc.labour)
        watched = monitoring_quit_factor(dept.org.at(desk.index).monitoring, sc.control)
        ref = quit_hazard_per_day(1.0 if new else p.income_smoothed / p.aspiration,
                                  sc.workforce,
                                  desk.role.quit_multiplier * boost * market * watched)
        assert h == pytest.approx(ref, rel=TOL, abs=TOL)
    assert max(got) > min(got)


def test_quits_draw_once_per_person_in_desk_order(small_mature, warm, monkeypatch):
    """Nobody quits: one draw each. Someone quits: the draws up to theirs, then one
    per person still seated after them (a promotion may have emptied a seat)."""
    dept = department(small_mature, "classic", warm)
    rng = dept.streams["quit"]
    seated = [x for x in dept.desks if x.person is not None]
    expect = copy_of(rng)
    expect.random(len(seated))
    monkeypatch.setattr(dept.staff, "quit_hazards", lambda desks, now: np.zeros(len(desks)))
    dept.staff.quits_arrays(1.0)
    assert rng.bit_generator.state == expect.bit_generator.state
    leavers = [seated[1], seated[3]]
    monkeypatch.setattr(dept.staff, "quit_hazards", lambda desks, now: np.array(
        [1e9 if x in leavers else 0.0 for x in desks]))
    expect = copy_of(rng)
    dept.staff.quits_arrays(2.0)
    assert all(x.person is None for x in leavers)
    left = sum(1 for x in dept.desks[leavers[1].index + 1:] if x.person is not None)
    expect.random(4 + left)  # the draws of seated[0..3], then one for each after
    assert rng.bit_generator.state == expect.bit_generator.state


def test_the_array_twins_equal_their_scalar_formulas():
    """Random inputs with the edges each formula branches on (zero reward, nothing
    gamed, no work, a norm met, a full reactive day)."""
    rng = np.random.default_rng(7)
    n = 400
    sc = small()
    b, ctl = sc.behaviour, sc.control
    reward = np.where(rng.random(n) < 0.2, 0.0, rng.exponential(20.0, n))
    hourly = rng.uniform(10, 80, n)
    ratio, tenure = rng.uniform(0, 3, n), rng.uniform(0, 900, n)
    drift = drift_factors(ratio, tenure, b)
    own = drifted_propensities(reward, hourly, drift, b)
    eff = np.where(rng.random(n) < 0.3, own * 0.5, rng.uniform(0, 1, n))
    scalar = {
        "drift": [drift_factor(r, t, b) for r, t in zip(ratio, tenure, strict=True)],
        "own": [drifted_propensity(w, h, f, b)
                for w, h, f in zip(reward, hourly, drift, strict=True)],
        "gamed": [gamed_share(o, e, ctl) for o, e in zip(own, eff, strict=True)],
    }
    np.testing.assert_allclose(drift, scalar["drift"], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(own, scalar["own"], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(gamed_shares(own, eff, ctl), scalar["gamed"], rtol=TOL,
                               atol=TOL)
    busy = np.where(rng.random(n) < 0.1, 9.0, rng.uniform(0, 8, n))
    pc, pp, need = rng.uniform(-0.1, 1.1, n), rng.uniform(-0.1, 1.1, n), rng.uniform(0, 4, n)
    many = np.array(split_days(8.0, busy, pc, pp, need)).T
    one = [split_day(8.0, *x) for x in zip(busy, pc, pp, need, strict=True)]
    np.testing.assert_allclose(many, one, rtol=TOL, atol=TOL)
    tasks = np.where(rng.random(n) < 0.2, 0.0, rng.uniform(0, 15, n))
    np.testing.assert_allclose(np.array(padded_many(tasks, 10.0, 0.5, 0.25)).T,
                               [padded(t, 10.0, 0.5, 0.25) for t in tasks], rtol=TOL, atol=TOL)
    skills = rng.uniform(0, 1.2, n)
    np.testing.assert_allclose(scripted_skills(skills, 0.6, 0.2),
                               [scripted_skill(s, 0.6, 0.2) for s in skills], rtol=TOL)
    hours, q, a = rng.uniform(0, 3000, n), rng.uniform(0.5, 1.5, n), rng.uniform(0.7, 1.3, n)
    np.testing.assert_allclose(skills_after(hours, sc.skill, q, a),
                               [skill_after(h, sc.skill, qq, aa) for h, qq, aa in
                                zip(hours, q, a, strict=True)], rtol=TOL)
    norm = sc.structures.process_norm
    np.testing.assert_allclose(norm_pays(tasks, norm, 1.1),
                               [norm_pay(t, norm, 1.1) for t in tasks], rtol=TOL)
    pricing = HourPricing(sc, Territory.of(Accounts.create(sc.market,
                                                           np.random.default_rng(1))))
    many = np.array(pricing.at_many(skills, 0.7, 0.5)).T
    np.testing.assert_allclose(many, [pricing.at(s, 0.7, 0.5) for s in skills], rtol=TOL)
    assert math.isclose(float(effective_propensity(own, 0.4, 0.9)[0]),
                        effective_propensity(float(own[0]), 0.4, 0.9), rel_tol=TOL)
