"""The cost of control and of a structure's systems.

Monitoring ``m`` (0 to 1, each structure's setting) pulls behaviour toward the
structure's prescription with diminishing returns: the pull is
``(1 - exp(-k m)) / (1 - exp(-k))`` with curvature ``k`` (Pierce, Snow and McAfee 2015
found +7 % revenue from monitoring, mostly from changed behaviour; Ahearne, Srinivasan
and Weinstein 2004 an inverted U in CRM use; Nagin et al. 2002 a large share not
responding at all; the form is an assumption), and part of what it enforces is gamed
(:func:`gamed_share`). Monitoring needs supervisors: at ``m = 1`` one per ``span_of_control``
seats (about 8, range 5-12: Alexander Group), each paid ``supervisor_salary_monthly``
(about 1.6 x a rep's pay: BLS, derived); at ``m`` a share ``m`` of that. Tools are paid
per seat and month at list prices: a CRM for every structure (25-175, about 100), a
ticketing system where requests are pooled (19-115, about 55), call recording where a
script is enforced (about 100, assumption), and a marketing-automation platform
(about 890 a month) where marketing brings the leads.

Control also costs people: close monitoring raises quits (:func:`monitoring_quit_factor`),
and a script that lifts beginners holds experts back (:func:`scripted_skill`).
"""

from __future__ import annotations

import math

import numpy as np

from sim.config.sections import Control


def monitoring_pull(monitoring: float, control: Control) -> float:
    """Share of the way from behaviour to the prescription that monitoring enforces.

    >>> c = Control(monitoring_curvature=1.5)
    >>> monitoring_pull(0.0, c), monitoring_pull(1.0, c), round(monitoring_pull(0.5, c), 3)
    (0.0, 1.0, 0.679)
    """
    k = control.monitoring_curvature
    if k == 0:
        return monitoring
    return (1.0 - math.exp(-k * monitoring)) / (1.0 - math.exp(-k))


def gamed_share(behavioural: float, effective: float, control: Control) -> float:
    """Share of a person's active time that is low-value activity meeting the measure.

    What monitoring measures (calls logged, contacts made, tasks closed) can be met
    with empty activity: of the time monitoring adds above what the person would give
    (``effective - behavioural``), a share ``gaming_share`` counts but produces
    nothing (Nagin et al., AER 2002: "rational cheaters" among call-centre workers;
    Bevan and Hood 2006: about 20 points between reported and true performance where
    the measure is self-reported; the share is an assumption with a range).

    >>> gamed_share(0.3, 0.8, Control(gaming_share=0.4)), gamed_share(0.8, 0.5, Control())
    (0.25, 0.0)
    """
    if effective <= behavioural or effective <= 0:
        return 0.0
    return control.gaming_share * (effective - behavioural) / effective


def gamed_shares(behavioural: np.ndarray, effective: np.ndarray, control: Control
                 ) -> np.ndarray:
    """:func:`gamed_share` for many people at once."""
    gamed = (effective > behavioural) & (effective > 0)
    out = np.zeros_like(effective, dtype=float)
    np.divide(control.gaming_share * (effective - behavioural), effective, out=out,
              where=gamed)
    return out


def supervision_cost(monitoring: float, seats: int, control: Control) -> float:
    """Monthly cost of the supervisors monitoring ``m`` needs for ``seats`` people."""
    return monitoring * seats / control.span_of_control * control.supervisor_salary_monthly


def monitoring_quit_factor(monitoring: float, control: Control) -> float:
    """Multiplier of the quit hazard under monitoring ``m``: ``1 + w m``.

    Batt and Colvin (Academy of Management Journal 2011, call centres) find a unit of
    the "performance-enhancing" practices index (monitoring, pressure, variable pay)
    adds 8.33 points of quits a year, against a base of 25-50 %: a multiplier of about
    1.2-1.3; the index's scale was not read, so ``w`` (``monitoring_quit_weight``) is an
    assumption with that range. Batt (2002): quits rise with the share of the day
    monitored.

    >>> monitoring_quit_factor(0.8, Control(monitoring_quit_weight=0.25))
    1.2
    """
    return 1.0 + control.monitoring_quit_weight * monitoring


def scripted_skill(skill: float, floor: float, drag: float) -> float:
    """The skill scripted work is done at: never below the script's ``floor`` (it lifts
    beginners), and above it only ``1 - drag`` of the person's own skill counts (it holds
    experts to the script). No script (``floor = 0``, ``drag = 0``): the person's skill.
    The drag is an assumption: Bain et al. (2002) and Batt (2002) describe scripts that
    standardise a call and limit discretion, with no number.

    >>> scripted_skill(0.3, 0.6, 0.2), scripted_skill(1.0, 0.6, 0.2), scripted_skill(0.7, 0, 0)
    (0.6, 0.92, 0.7)
    """
    if skill <= floor:
        return floor
    return floor + (1.0 - drag) * (skill - floor)


def scripted_skills(skills: np.ndarray, floor: float, drag: float) -> np.ndarray:
    """:func:`scripted_skill` for many people at once."""
    return np.where(skills <= floor, floor, floor + (1.0 - drag) * (skills - floor))
