"""Measures computed from the result frames, with replications as the independent
observations.

The moss has two causes the model keeps apart: a growing base fills the day with
orders and care (saturation; it happens with ``behaviour.drift: false`` too), and
drift lowers the share of free time spent on active work. The active share of free
time (:func:`moss_curve`) counts care as active, so it shows drift
only; the prospecting share of worked hours shows both.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sim.config.settings import MONTHS_PER_YEAR
from sim.model.recorder import LOSS_CAUSES, SOURCES


def mean_ci(values: Iterable[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and the half-width of its Student-t confidence interval (0 for one value)."""
    x = np.asarray(list(values), dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return float("nan"), float("nan"), 0
    mean = float(x.mean())
    if n < 2:
        return mean, float("nan"), n
    from scipy import stats  # here, not at import: `import sim` stays light

    half = float(stats.t.ppf(0.5 + confidence / 2.0, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return mean, half, n


#: Monthly columns whose run total is their sum.
_SUMMED = ["revenue", "revenue_new", "new_clients", *(f"new_clients_{s}" for s in SOURCES),
           "contribution", "payroll", "marketing_spend", "overhead_cost", "transition_cost",
           "vacant_seat_days", "lost_clients", *(f"lost_clients_{c}" for c in LOSS_CAUSES),
           "lead_waits", "leads_lost", "leads_received", "hours_care", "hours_prospecting",
           "hours_idle", "quits"]


def run_measures(monthly: pd.DataFrame, managers: pd.DataFrame) -> pd.DataFrame:
    """One row per replication x structure: the totals a comparison is made on."""
    keys = ["replication", "structure"]
    monthly = monthly[monthly["month"] > 0]  # months before the switch are the warm-up's
    g = monthly.groupby(keys, sort=False)  # structures stay in the order they were run
    months = g["month"].count()
    sums = g[_SUMMED].sum()  # one grouped pass for every summed column
    means = g[["key_person_revenue_at_risk", "managers"]].mean()
    weighted_wait = (monthly["lead_wait_hours_mean"].fillna(0) * monthly["lead_waits"]
                     ).groupby([monthly[k] for k in keys]).sum()
    active = sums["hours_care"] + sums["hours_prospecting"]
    out = pd.DataFrame({
        "revenue": sums["revenue"],
        "revenue_new": sums["revenue_new"],
        "new_clients": sums["new_clients"],
        **{f"new_clients_{s}": sums[f"new_clients_{s}"] for s in SOURCES},
        "contribution": sums["contribution"],
        # the contribution bridge: revenue x margin - payroll - marketing - overhead
        "gross_margin": (sums["contribution"] + sums["payroll"] + sums["marketing_spend"]
                         + sums["overhead_cost"] + sums["transition_cost"]),
        "payroll": sums["payroll"],
        "marketing_spend": sums["marketing_spend"],
        "overhead_cost": sums["overhead_cost"],
        "transition_cost": sums["transition_cost"],
        "vacant_seat_days": sums["vacant_seat_days"],
        "key_person_revenue_at_risk": means["key_person_revenue_at_risk"],
        "lost_clients": sums["lost_clients"],
        **{f"lost_clients_{c}": sums[f"lost_clients_{c}"] for c in LOSS_CAUSES},
        "active_clients_end": g["active_clients"].last(),
        "lead_wait_hours_mean": weighted_wait / sums["lead_waits"].replace(0, np.nan),
        "leads_lost_share": sums["leads_lost"] / sums["leads_received"].replace(0, np.nan),
        "active_share": active / (active + sums["hours_idle"]).replace(0, np.nan),
        "turnover_annual": sums["quits"] / (means["managers"] * months / MONTHS_PER_YEAR),
    })
    if len(managers):
        per_person = managers.groupby(keys + ["manager_id"])["revenue"].sum()
        top = per_person.groupby(level=keys).max().reindex(out.index, fill_value=0.0)
        # Share of all the department's revenue that one person's own clients bring:
        # 0 where nobody owns clients (pool, dispatch).
        out["top_manager_revenue_share"] = top / out["revenue"].replace(0, np.nan)
    else:
        out["top_manager_revenue_share"] = np.nan
    return out.reindex(g.size().index).reset_index()


def paired_differences(runs: pd.DataFrame, baseline: str,
                       confidence: float = 0.95) -> pd.DataFrame:
    """Mean paired difference of each structure against ``baseline`` with its interval;
    pairing by replication removes the variation both share (common random numbers)."""
    measures = [c for c in runs.columns if c not in ("replication", "structure")]
    base = runs[runs.structure == baseline].set_index("replication")[measures]
    rows = []
    for structure, df in runs.groupby("structure", sort=False):
        if structure == baseline:
            continue
        diff = df.set_index("replication")[measures] - base
        for m in measures:
            mean, half, n = mean_ci(diff[m], confidence)
            ref = base[m].mean()
            rows.append({"structure": structure, "baseline": baseline, "measure": m,
                         "difference": mean, "ci_low": mean - half, "ci_high": mean + half,
                         "relative": mean / ref if ref else np.nan,
                         "excludes_zero": bool(half == half and abs(mean) > half),
                         "replications": n})
    return pd.DataFrame(rows, columns=["structure", "baseline", "measure", "difference",
                                       "ci_low", "ci_high", "relative", "excludes_zero",
                                       "replications"])


def summarise(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Mean and confidence interval over replications, one row per structure x measure."""
    rows = []
    measures = [c for c in runs.columns if c not in ("replication", "structure")]
    for structure, df in runs.groupby("structure", sort=False):
        for m in measures:
            mean, half, n = mean_ci(df[m], confidence)
            rows.append({"structure": structure, "measure": m, "mean": mean,
                         "ci_low": mean - half, "ci_high": mean + half, "half_width": half,
                         "replications": n})
    return pd.DataFrame(rows)


def moss_curve(managers: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Active share of free hours by month of tenure: mean over replications with a CI.

    Month of tenure ``k`` covers tenure in ``(k-1, k]`` months at the month's end; each
    replication contributes the hours-weighted share of all its managers in that month,
    so replications, not manager-months, are the independent observations."""
    if managers.empty:
        return pd.DataFrame(columns=["structure", "tenure_month", "active_share", "ci_low",
                                     "ci_high", "replications"])
    df = managers.assign(tenure_month=np.maximum(1, np.ceil(managers["tenure_months"] - 1e-9)
                                                .astype(int)),
                         hours_free=managers["hours_active"] + managers["hours_idle"])
    per_rep = df.groupby(["structure", "tenure_month", "replication"])[
        ["hours_active", "hours_free"]].sum()
    per_rep = (per_rep["hours_active"] / per_rep["hours_free"].replace(0, np.nan)).rename("share")
    rows = []
    for (structure, k), s in per_rep.groupby(level=[0, 1]):
        mean, half, n = mean_ci(s, confidence)
        rows.append({"structure": structure, "tenure_month": int(k), "active_share": mean,
                     "ci_low": mean - half, "ci_high": mean + half, "replications": n})
    return pd.DataFrame(rows)


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


def cumulative_difference(monthly: pd.DataFrame, baseline: str, measure: str = "contribution",
                          confidence: float = 0.95) -> pd.DataFrame:
    """Cumulative paired difference of ``measure`` against ``baseline`` by month, from
    the switch (month 1) on: mean over replications with a Student-t band. Months before
    the switch (0 and below, the warm-up's last year where it is kept) are identical for
    every structure and give a difference of 0 there."""
    columns = ["structure", "month", "difference", "ci_low", "ci_high", "replications"]
    wide = monthly.pivot_table(index=["replication", "month"], columns="structure",
                               values=measure, aggfunc="sum")
    if baseline not in wide.columns:
        return pd.DataFrame(columns=columns)
    rows = []
    for structure in [s for s in monthly["structure"].unique() if s != baseline]:
        diff = (wide[structure] - wide[baseline]).unstack("replication").sort_index()
        diff.loc[diff.index <= 0] = 0.0
        cum = diff.cumsum()
        for month, values in cum.iterrows():
            mean, half, n = mean_ci(values.to_numpy(), confidence)
            half = 0.0 if half != half else half
            rows.append({"structure": structure, "month": int(month), "difference": mean,
                         "ci_low": mean - half, "ci_high": mean + half, "replications": n})
    return pd.DataFrame(rows, columns=columns)


def first_month_staying_positive(months: np.ndarray, values: np.ndarray) -> float:
    """The first month from which ``values`` stay above zero to the horizon's end (NaN
    when they end at or below zero: not within the horizon).

    >>> first_month_staying_positive(np.arange(1, 6), np.array([-3., 1., -1., 2., 4.]))
    4.0
    >>> first_month_staying_positive(np.arange(1, 4), np.array([1., 2., 3.]))
    1.0
    >>> first_month_staying_positive(np.arange(1, 4), np.array([-1., 2., -3.]))
    nan
    """
    above = values > 0
    if len(values) == 0 or not above[-1]:
        return float("nan")
    below = np.flatnonzero(~above)
    return float(months[below[-1] + 1] if len(below) else months[0])


def payback_and_dip(curve: pd.DataFrame) -> pd.DataFrame:
    """From :func:`cumulative_difference`: each structure's payback month (the first
    month from which the mean cumulative difference stays above zero; its interval from
    the band's upper and lower edges, NaN where an edge never stays above zero within
    the horizon) and its dip (the lowest mean cumulative difference, its band, and the
    month it happens)."""
    rows = []
    for structure, c in curve[curve["month"] > 0].groupby("structure", sort=False):
        c = c.sort_values("month")
        m = c["month"].to_numpy()
        low = int(np.argmin(c["difference"].to_numpy()))
        rows.append({
            "structure": structure,
            "payback_month": first_month_staying_positive(m, c["difference"].to_numpy()),
            "payback_early": first_month_staying_positive(m, c["ci_high"].to_numpy()),
            "payback_late": first_month_staying_positive(m, c["ci_low"].to_numpy()),
            "dip": float(c["difference"].iloc[low]), "dip_ci_low": float(c["ci_low"].iloc[low]),
            "dip_ci_high": float(c["ci_high"].iloc[low]), "dip_month": int(m[low])})
    return pd.DataFrame(rows, columns=["structure", "payback_month", "payback_early",
                                       "payback_late", "dip", "dip_ci_low", "dip_ci_high",
                                       "dip_month"])
