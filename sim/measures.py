"""Measures computed from the result frames, with replications as the independent
observations.

The moss has two causes the model keeps apart: a growing base fills the day with
orders and care (saturation; it happens with ``behaviour.drift: false`` too), and
drift lowers the share of free time spent on active work. The active share of free
time (:func:`sim.experiment.moss_curve`) counts care as active, so it shows drift
only; the prospecting share of worked hours shows both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .experiment import mean_ci

#: The four parts of a manager's worked hours; they add up to days worked x hours per day.
WORKED_HOURS = ("hours_reactive", "hours_care", "hours_prospecting", "hours_idle")

#: Tenure within this many months above a bound counts as at the bound: tenure is
#: working days / 21, so a whole number of months can come out a rounding error above it.
TENURE_ROUNDING = 1e-9


def tenure_month(tenure_months: pd.Series) -> pd.Series:
    """Month of tenure ``k`` for tenure in ``(k-1, k]`` months (the first month is 1),
    as in the moss curve."""
    k = np.ceil(tenure_months.to_numpy(dtype=float) - TENURE_ROUNDING).astype(int)
    return pd.Series(np.maximum(1, k), index=tenure_months.index)


def _worked(managers: pd.DataFrame) -> pd.Series:
    return managers[list(WORKED_HOURS)].sum(axis=1)


def prospecting_curve(managers: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Prospecting share of worked hours by month of tenure: mean over replications
    with a Student-t interval.

    Worked hours are reactive + care + prospecting + idle, every paid hour of the days
    worked. Each replication contributes the hours-weighted share of all its people in
    that month of tenure (as in the moss curve). Unlike the active share of free time,
    this share falls when orders and care crowd out hunting, not only when drift
    lowers the active share."""
    columns = ["structure", "tenure_month", "prospecting_share", "ci_low", "ci_high",
               "replications"]
    if managers.empty:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame({"structure": managers["structure"],
                       "replication": managers["replication"],
                       "tenure_month": tenure_month(managers["tenure_months"]),
                       "prospecting": managers["hours_prospecting"],
                       "worked": _worked(managers)})
    per_rep = df.groupby(["structure", "tenure_month", "replication"])[
        ["prospecting", "worked"]].sum()
    share = per_rep["prospecting"] / per_rep["worked"].replace(0, np.nan)
    rows = []
    for (structure, k), s in share.groupby(level=[0, 1]):
        mean, half, n = mean_ci(s, confidence)
        rows.append({"structure": structure, "tenure_month": int(k),
                     "prospecting_share": mean, "ci_low": mean - half,
                     "ci_high": mean + half, "replications": n})
    return pd.DataFrame(rows, columns=columns)


def tenure_window_shares(managers: pd.DataFrame, low: int, high: int) -> pd.DataFrame:
    """Per replication x structure, over the manager-months in months of tenure
    ``low + 1 .. high`` (tenure in ``(low, high]`` months, binned by
    :func:`tenure_month` as the curves are): ``active_share`` (care + prospecting over free
    hours), ``prospecting_share``, ``reactive_share``, ``care_share`` and
    ``idle_share`` (each over worked hours, hours-weighted) and ``base_clients`` (mean
    clients owned). One value per replication, so intervals and paired differences
    over replications follow directly."""
    keys = ["replication", "structure"]
    k = tenure_month(managers["tenure_months"])
    w = managers[(k > low) & (k <= high)]
    g = pd.DataFrame({**{k: w[k] for k in keys}, **{h: w[h] for h in WORKED_HOURS},
                      "worked": _worked(w)}).groupby(keys, sort=False).sum()
    free = (g["hours_care"] + g["hours_prospecting"] + g["hours_idle"]).replace(0, np.nan)
    worked = g["worked"].replace(0, np.nan)
    out = pd.DataFrame({
        "active_share": (g["hours_care"] + g["hours_prospecting"]) / free,
        "prospecting_share": g["hours_prospecting"] / worked,
        "reactive_share": g["hours_reactive"] / worked,
        "care_share": g["hours_care"] / worked,
        "idle_share": g["hours_idle"] / worked,
        "base_clients": w.groupby(keys, sort=False)["base_clients"].mean(),
    })
    return out.reset_index()
