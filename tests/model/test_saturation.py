"""Contact saturation (sim/model/saturation.py): accounts contacted more often than they
tolerate respond less, and some clients leave (lost_clients_contact). Direction tests
on common random numbers, 95 % intervals from the paired differences."""

from __future__ import annotations

import numpy as np

from sim import run_replication
from sim.config.sections import Selling
from sim.model.saturation import contact_response, leave_chance
from sim.study.measures import mean_ci

from tests.helpers import small

R = 6


def test_response_falls_and_leaving_rises_as_contacts_come_more_often():
    s = Selling(contact_tolerance_days=10.0, contact_saturation_exponent=1.5,
                contact_leave_prob=0.05)
    intervals = np.array([20.0, 10.0, 5.0, 2.0, 0.5])
    response = contact_response(intervals, s)
    assert response[0] == response[1] == 1.0
    assert np.all(np.diff(response[1:]) < 0)
    assert np.all(np.diff(leave_chance(response, s)) >= 0)
    assert leave_chance(response, s)[-1] < s.contact_leave_prob


def test_clients_cared_for_more_often_than_they_tolerate_buy_less_and_leave():
    # Care every 4 days; clients tolerate a contact a day, or one every 15 days.
    base = {"workforce.managers": 4, "experiment.horizon_years": 0.5,
            "selling.care_cadence_days": 4.0}
    revenue, lost = [], []
    for r in range(R):
        runs = [run_replication(small(**{**base, "selling.contact_tolerance_days": t}),
                                "classic", 29, r)[0] for t in (1.0, 15.0)]
        revenue.append((runs[1]["revenue_new"].sum() + runs[1]["revenue_repeat"].sum())
                       / (runs[0]["revenue_new"].sum() + runs[0]["revenue_repeat"].sum()) - 1)
        lost.append(runs[1]["lost_clients_contact"].sum() - runs[0]["lost_clients_contact"].sum())
        assert runs[0]["lost_clients_contact"].sum() == 0  # within tolerance nobody leaves
    mean, half, _ = mean_ci(revenue)
    assert mean + half < 0.0, (mean, half)
    mean, half, _ = mean_ci(lost)
    assert mean - half > 0.0, (mean, half)


def test_prospects_reached_more_often_than_they_tolerate_book_fewer_meetings():
    # A small territory worked by many: each prospect is reached every few days.
    base = {"workforce.managers": 8, "market.n_accounts": 400,
            "experiment.horizon_years": 0.25}
    diffs = []
    for r in range(R):
        per_hour = []
        for t in (0.0, 30.0):
            m, _ = run_replication(small(**{**base, "selling.contact_tolerance_days": t}),
                                   "classic", 29, r)
            outbound = m["new_clients_outbound"].sum() + m["opportunities_opened"].sum() - (
                m["leads_qualified"].sum())
            per_hour.append(outbound / m["hours_prospecting"].sum())
        diffs.append(per_hour[1] / per_hour[0] - 1.0)
    mean, half, _ = mean_ci(diffs)
    assert mean + half < 0.0, (mean, half)
