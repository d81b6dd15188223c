"""What a CRM export shows: the statistics a calibration matches, each with its error.

One function, :func:`moments`, reads the three CRM frames (deals, accounts, owners) and
returns a tidy frame of statistics (``name``, ``group``, ``value``, ``se``, ``n``). The
calibration applies the same function to the client's export and to the synthetic
exports of simulated departments, so observed and simulated numbers are always
measured the same way, gaps and all (rows without a segment or an amount only drop
out of the statistics that need them).

Time is counted in working days (Monday to Friday, :func:`numpy.busday_count`), 252 to
a year, as in the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config.settings import DAYS_PER_MONTH, DAYS_PER_YEAR

#: Tenure bins in months for the patterns that reveal drift (new clients and base size
#: by tenure) and for the ramp-up of new managers.
TENURE_BINS = (0, 6, 12, 24, 48, 1_000)
RAMP_BINS = (0, 3, 6, 9, 12, 18, 24, 1_000)
#: Bins of the clients a manager served in a month (the book behind their income).
BOOK_BINS = (0, 10, 20, 35, 50, 1_000)
#: A client counts as new for a year after it is won (the model's new_client_window_days).
NEW_WINDOW_DAYS = DAYS_PER_YEAR


@dataclass(frozen=True)
class Window:
    """The export's period: its first day and the day after its last."""

    start: np.datetime64
    end: np.datetime64

    @property
    def days(self) -> int:
        return int(np.busday_count(self.start, self.end))

    @property
    def last(self) -> np.datetime64:
        """The export's last working day."""
        return np.busday_offset(self.end, -1, roll="backward")

    @classmethod
    def of(cls, deals: pd.DataFrame, accounts: pd.DataFrame, owners: pd.DataFrame,
           start: str | None = None) -> Window:
        """From the first closed deal to the day after the last date of the export."""
        closed = deals["closed_date"].dropna()
        if closed.empty:
            raise ValueError("deals.csv: no deal has a closed_date, so the export shows "
                             "no period to calibrate to")
        first = (np.datetime64(start, "D") if start is not None
                 else np.datetime64(closed.min().date(), "D"))
        dates = pd.concat([deals["created_date"], closed, accounts["lost_date"].dropna(),
                           owners["leave_date"].dropna()])
        last = np.datetime64(dates.max().date(), "D")
        w = cls(np.busday_offset(first, 0, roll="forward"),
                np.busday_offset(last, 1, roll="backward"))
        if w.days < DAYS_PER_MONTH:
            raise ValueError(f"--start: the export's window from {w.start} to its last "
                             f"date {last} is shorter than a month ({w.days} working days); "
                             "allowed: a start at least a month before the last date")
        return w


def is_new_business(deals: pd.DataFrame) -> pd.Series:
    """Deals from a known source other than ``repeat`` (a deal without a lead source
    is neither new business nor an order: it counts in no statistic that needs which)."""
    return deals["lead_source"].notna() & (deals["lead_source"] != "repeat")


def working_days(dates: pd.Series, origin: np.datetime64) -> np.ndarray:
    """Working days from ``origin`` to each date (NaN where the date is missing)."""
    out = np.full(len(dates), np.nan)
    ok = dates.notna().to_numpy()
    d = dates[ok].to_numpy().astype("datetime64[D]")
    out[ok] = np.busday_count(origin, d)
    return out


def _rate(name: str, group: str, events: float, exposure: float) -> dict:
    """A Poisson rate: events per unit exposure, its standard error."""
    value = events / exposure if exposure > 0 else np.nan
    se = np.sqrt(max(events, 1.0)) / exposure if exposure > 0 else np.nan
    return {"name": name, "group": group, "value": value, "se": se, "n": events}


def _share(name: str, group: str, hits: float, total: float) -> dict:
    p = hits / total if total > 0 else np.nan
    se = np.sqrt(max(p * (1 - p), 0.25 / max(total, 1.0)) / total) if total > 0 else np.nan
    return {"name": name, "group": group, "value": p, "se": se, "n": total}


def _mean(name: str, group: str, x: np.ndarray) -> dict:
    x = x[np.isfinite(x)]
    n = len(x)
    value = float(x.mean()) if n else np.nan
    se = float(x.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    return {"name": name, "group": group, "value": value, "se": se, "n": n}


def _bins(tenure_months: np.ndarray, edges: tuple[int, ...]) -> np.ndarray:
    return np.digitize(tenure_months, edges[1:-1])


def bin_label(edges: tuple[int, ...], i: int) -> str:
    lo, hi = edges[i], edges[i + 1]
    return f"{lo}+" if hi >= 1_000 else f"{lo}-{hi}"


def client_spells(deals: pd.DataFrame, accounts: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Each client account's latest time as a client, in working days from the window
    start: from its last new-business win within the window before it was lost (or,
    without one, its creation) to its loss or the end of the window.

    A client is an account with a loss on record, or a win or an order within the
    window. Nothing dated before the window is used but the accounts' own dates, so an
    export with years of earlier history is measured like one without."""
    acc = accounts.set_index("account_id")
    lost = pd.Series(working_days(acc["lost_date"], w.start), index=acc.index)
    created = pd.Series(working_days(acc["created_date"], w.start), index=acc.index)
    closed = pd.Series(working_days(deals["closed_date"], w.start), index=deals.index)
    inside = (closed >= 0) & (closed < w.days) & (deals["stage"] == "won")
    new = inside & is_new_business(deals)
    won = pd.Series(closed[new].to_numpy(), index=deals.loc[new, "account_id"].to_numpy())
    limit = lost.reindex(won.index).fillna(np.inf).to_numpy()
    won = won[won.to_numpy() <= limit]
    last_won = won.groupby(level=0).max().reindex(acc.index)
    ordered = acc.index.isin(deals.loc[inside & ~new, "account_id"])
    is_client = last_won.notna().to_numpy() | ordered | lost.notna().to_numpy()
    start = last_won.fillna(created)
    end = lost.fillna(float(w.days))
    frame = pd.DataFrame({"segment": acc["segment"], "start": start, "end": end,
                          "lost": lost.notna()})
    return frame[is_client]


def moments(deals: pd.DataFrame, accounts: pd.DataFrame, owners: pd.DataFrame,
            w: Window, segments: list[str]) -> pd.DataFrame:
    """The statistics of one export (see the module docstring); rows per segment where
    the model has a parameter per segment."""
    days = w.days
    rows: list[dict] = []
    d = deals.copy()
    d["t_created"] = working_days(d["created_date"], w.start)
    d["t_closed"] = working_days(d["closed_date"], w.start)
    seg_of = accounts.set_index("account_id")["segment"]
    d["segment"] = d["account_id"].map(seg_of)
    closed_in = (d["t_closed"] >= 0) & (d["t_closed"] < days)
    repeat = d["lead_source"] == "repeat"
    new_business = is_new_business(d)
    new_deals = d[closed_in & new_business & d["stage"].isin(["won", "lost"])]
    won_new = new_deals[new_deals["stage"] == "won"]
    orders = d[closed_in & repeat & d["stage"].isin(["won", "lost"])]

    # People: headcount, quits, vacancies.
    o = owners.copy()
    hired = working_days(o["hire_date"], w.start)
    left = working_days(o["leave_date"], w.start)
    stay_lo = np.clip(hired, 0, days)
    stay_hi = np.clip(np.where(np.isnan(left), days, left), 0, days)
    person_days = np.maximum(stay_hi - stay_lo, 0.0)
    rows.append({"name": "headcount", "group": "", "value": person_days.sum() / days,
                 "se": 0.0, "n": len(o)})
    leaves = np.isfinite(left) & (left >= 0) & (left < days)
    rows.append(_rate("quits_per_year", "", leaves.sum(), person_days.sum() / DAYS_PER_YEAR))
    at_start = (hired <= 0) & (np.isnan(left) | (left > 0))
    rows.append({"name": "longest_tenure_years", "group": "",
                 "value": float(-hired[at_start].min() / DAYS_PER_YEAR) if at_start.any()
                 else 0.0, "se": np.nan, "n": int(at_start.sum())})
    gaps = []
    later = np.sort(hired[(hired >= 0)])
    used = np.zeros(len(later), dtype=bool)
    for t in np.sort(left[leaves]):
        free = np.flatnonzero((later >= t) & ~used)
        if len(free):
            used[free[0]] = True
            gaps.append(later[free[0]] - t)
    rows.append(_mean("vacancy_days", "", np.array(gaps, dtype=float)))

    # Clients: mix, churn, orders, values.
    spells = client_spells(deals, accounts, w)
    lo = spells["start"].clip(0, days)
    hi = spells["end"].clip(0, days)
    spells = spells.assign(exposure=np.maximum(hi - lo, 0.0) / DAYS_PER_YEAR,
                           churned=spells["lost"] & (spells["end"] >= 0)
                           & (spells["end"] < days))
    known_new = won_new[won_new["segment"].notna()]
    order_amounts = d[closed_in & (d["stage"] == "won") & d["amount"].notna()]
    per_account = order_amounts.groupby("account_id")["amount"].agg(["mean", "count"])
    per_account["segment"] = per_account.index.map(seg_of)
    within = order_amounts[order_amounts["lead_source"] == "repeat"].groupby("account_id")[
        "amount"]
    for s in segments:
        rows.append(_share("new_client_mix", s, (known_new["segment"] == s).sum(),
                           len(known_new)))
        sp = spells[spells["segment"] == s]
        rows.append(_rate("churn_per_year", s, sp["churned"].sum(), sp["exposure"].sum()))
        n_orders = (orders["segment"] == s).sum()
        rows.append(_rate("orders_per_client_year", s, n_orders, sp["exposure"].sum()))
        nd = new_deals[new_deals["segment"] == s]
        rows.append(_share("win_rate", s, (nd["stage"] == "won").sum(), len(nd)))
        rows.append(_mean("cycle_days", s, (nd["t_closed"] - nd["t_created"]).to_numpy()))
        pa = per_account[per_account["segment"] == s]
        logs = np.log(pa["mean"].to_numpy()[pa["mean"].to_numpy() > 0])
        med = float(np.exp(np.median(logs))) if len(logs) else np.nan
        rows.append({"name": "order_value_median", "group": s, "value": med,
                     "se": med * 1.2533 * logs.std(ddof=1) / np.sqrt(len(logs))
                     if len(logs) > 1 else np.nan, "n": len(logs)})
        # Spread of values across accounts, less what averaging n noisy orders adds.
        cv2 = _within_cv2(within, pa.index)
        noise = np.log1p(cv2) / pa["count"].to_numpy()[pa["mean"].to_numpy() > 0]
        var = logs.var(ddof=1) - noise.mean() if len(logs) > 2 else np.nan
        rows.append({"name": "value_sigma", "group": s,
                     "value": float(np.sqrt(max(var, 0.0))) if np.isfinite(var) else np.nan,
                     "se": float(np.sqrt(max(var, 1e-9) / (2 * len(logs)))) if len(logs) > 2
                     else np.nan, "n": len(logs)})
        dof = float((within.count().reindex(pa.index).fillna(0) - 1).clip(lower=0).sum())
        rows.append({"name": "order_value_cv", "group": s,
                     "value": float(np.sqrt(cv2)) if np.isfinite(cv2) else np.nan,
                     "se": float(np.sqrt(cv2 / (2 * dof))) if dof > 0 and np.isfinite(cv2)
                     else np.nan, "n": dof})
    cycles = new_deals[new_deals["segment"].notna()]
    cyc = cycles["t_closed"] - cycles["t_created"]
    seg_mean = cyc.groupby(cycles["segment"]).transform("mean")
    rel = (cyc / seg_mean).to_numpy()
    rel = rel[np.isfinite(rel)]
    rows.append({"name": "cycle_shape", "group": "",
                 "value": float(1.0 / rel.var(ddof=1)) if len(rel) > 2 else np.nan,
                 "se": float(np.sqrt(2.0 / len(rel)) / rel.var(ddof=1)) if len(rel) > 2
                 else np.nan, "n": len(rel)})
    # Demand: new-business deals by source.
    clients_years = spells["exposure"].sum()
    for source in ("inbound", "referral"):
        k = (new_deals["lead_source"] == source).sum()
        if source == "inbound":
            rows.append(_rate("inbound_deals_per_day", "", k, days))
        else:
            rows.append(_rate("referral_deals_per_client_month", "", k,
                              clients_years * 12))

    # Patterns that reveal drift: by the owner's tenure.
    rows += _by_tenure(d, won_new, orders, o, hired, left, w)
    rows += _ramp(rows)
    rows += _revenue_share_new(d, spells, w, closed_in)
    won = d[closed_in & (d["stage"] == "won")]
    month = (won["t_closed"] // DAYS_PER_MONTH).astype(int)
    # Won deals without an amount are taken at the month's mean amount (an export with
    # gaps is compared with simulated ones without).
    by = won.groupby(month)["amount"].agg(["sum", "count", "size"])
    monthly = by["sum"] * by["size"] / by["count"].clip(lower=1)
    rows += [{"name": "revenue_by_month", "group": str(m + 1), "value": float(monthly.get(m, 0)),
              "se": np.nan, "n": 1} for m in range(int(days // DAYS_PER_MONTH))]
    churned = spells[spells["churned"]]
    by_month = churned.groupby((churned["end"] // DAYS_PER_MONTH).astype(int)).size()
    rows += [{"name": "lost_clients_by_month", "group": str(m + 1),
              "value": float(by_month.get(m, 0)), "se": np.nan, "n": 1}
             for m in range(int(days // DAYS_PER_MONTH))]
    return pd.DataFrame(rows, columns=["name", "group", "value", "se", "n"])


def _within_cv2(within, accounts: pd.Index) -> float:
    """Pooled squared coefficient of variation of order amounts within accounts."""
    stats = within.agg(["mean", "var", "count"])
    stats = stats[(stats["count"] >= 3) & stats.index.isin(accounts)]
    if stats.empty:
        return np.nan
    return float(np.average(stats["var"] / stats["mean"] ** 2, weights=stats["count"] - 1))


def _by_tenure(d: pd.DataFrame, won_new: pd.DataFrame, orders: pd.DataFrame,
               owners: pd.DataFrame, hired: np.ndarray, left: np.ndarray,
               w: Window) -> list[dict]:
    """New clients per manager-month and clients served per manager by tenure, and the
    win rate of new business by tenure relative to managers past two years (ramp-up)."""
    days = w.days
    months = int(days // DAYS_PER_MONTH)
    hire_of = pd.Series(hired, index=owners["owner_id"].values)
    # Manager-months by tenure bin: each month a person is present for.
    t0 = np.arange(months) * DAYS_PER_MONTH
    present = ((hired[:, None] <= t0[None, :])
               & (np.isnan(left)[:, None] | (left[:, None] > t0[None, :] + DAYS_PER_MONTH)))
    tenure = (t0[None, :] - hired[:, None]) / DAYS_PER_MONTH
    rows: list[dict] = []
    bins = _bins(tenure, TENURE_BINS)
    month_of_won = (won_new["t_closed"] // DAYS_PER_MONTH).to_numpy(dtype=float)
    # As floats even when no deal is won (an empty map is of object dtype).
    won_tenure = (won_new["t_closed"].to_numpy(dtype=float)
                  - won_new["owner_id"].map(hire_of).to_numpy(dtype=float)) / DAYS_PER_MONTH
    won_bin = _bins(won_tenure, TENURE_BINS)
    # Clients served: distinct accounts with an order in a month, per person present.
    od = orders[orders["stage"] == "won"]
    om = (od["t_closed"] // DAYS_PER_MONTH).astype(int)
    served = od.groupby([od["owner_id"], om])["account_id"].nunique()
    owner_index = {k: i for i, k in enumerate(owners["owner_id"])}
    book = np.zeros(present.shape)  # clients each person served in each month
    for (owner, m), k in served.items():
        i = owner_index.get(owner)
        if i is not None and 0 <= m < months:
            book[i, m] = k
    for b in range(len(TENURE_BINS) - 1):
        cell = present & (bins == b)
        label = bin_label(TENURE_BINS, b)
        events = float(((won_bin == b) & np.isfinite(won_tenure) & (month_of_won >= 0)
                        & (month_of_won < months)).sum())
        rows.append(_rate("new_clients_per_manager_month", label, events, float(cell.sum())))
        rows.append(_rate("clients_served_per_manager_month", label, float(book[cell].sum()),
                          float(cell.sum())))
    # New clients by the size of the book served: income targeting slows hunting as the
    # book (the income) grows, habituation as tenure grows; the two profiles tell them
    # apart. Months a person is present for, by the clients they served in it.
    won_at = pd.DataFrame({"i": won_new["owner_id"].map(owner_index).to_numpy(),
                           "m": month_of_won})
    won_at = won_at[won_at["i"].notna() & (won_at["m"] >= 0) & (won_at["m"] < months)]
    new_count = np.zeros(present.shape)
    np.add.at(new_count, (won_at["i"].astype(int).to_numpy(),
                          won_at["m"].astype(int).to_numpy()), 1.0)
    book_bin = _bins(book, BOOK_BINS)
    for b in range(len(BOOK_BINS) - 1):
        cell = present & (book_bin == b)
        rows.append(_rate("new_clients_by_book", bin_label(BOOK_BINS, b),
                          float(new_count[cell].sum()), float(cell.sum())))
    # Ramp-up: win rate of new business by tenure at the close.
    nd = d[is_new_business(d) & d["stage"].isin(["won", "lost"])
           & (d["t_closed"] >= 0) & (d["t_closed"] < days)]
    ten = (nd["t_closed"].to_numpy() - nd["owner_id"].map(hire_of).to_numpy()) / DAYS_PER_MONTH
    ok = np.isfinite(ten)
    won = (nd["stage"] == "won").to_numpy()
    rb = _bins(ten, RAMP_BINS)
    for b in range(len(RAMP_BINS) - 1):
        m = ok & (rb == b)
        rows.append(_share("win_rate_by_tenure", bin_label(RAMP_BINS, b), won[m].sum(),
                           m.sum()))
    return rows


def _revenue_share_new(d: pd.DataFrame, spells: pd.DataFrame, w: Window,
                       closed_in: pd.Series) -> list[dict]:
    """Share of the revenue of won deals that comes from clients won within a year."""
    won = d[closed_in & (d["stage"] == "won") & d["amount"].notna()]
    start = won["account_id"].map(spells["start"]).to_numpy()
    new = (won["t_closed"].to_numpy() - start) <= NEW_WINDOW_DAYS
    amount = won["amount"].to_numpy()
    total = amount.sum()
    share = float(amount[new].sum() / total) if total > 0 else np.nan
    # Standard error by month blocks (revenue is lumpy): the spread of monthly shares.
    month = (won["t_closed"].to_numpy() // DAYS_PER_MONTH).astype(int)
    frame = pd.DataFrame({"m": month, "new": np.where(new, amount, 0.0), "all": amount})
    by = frame.groupby("m")[["new", "all"]].sum()
    ratios = by["new"] / by["all"]
    se = float(ratios.std(ddof=1) / np.sqrt(len(ratios))) if len(ratios) > 1 else np.nan
    return [{"name": "revenue_share_new_clients", "group": "", "value": share, "se": se,
             "n": len(won)}]


def _ramp(rows: list[dict]) -> list[dict]:
    """The ramp-up of new managers: the win rate by tenure (relative to managers past
    two years) fitted with the model's learning curve ``1 - (1 - start) exp(-t / T)``
    (weighted least squares, scipy.optimize.curve_fit); ``ramp_start`` is the relative
    win rate at hire and ``ramp_months`` the time constant T."""
    from scipy.optimize import curve_fit

    by = [r for r in rows if r["name"] == "win_rate_by_tenure"]
    t = np.array([(RAMP_BINS[i] + min(RAMP_BINS[i + 1], 36)) / 2 for i in range(len(by))])
    p = np.array([r["value"] for r in by])
    se = np.array([r["se"] for r in by])
    nan = [{"name": n, "group": "", "value": np.nan, "se": np.nan, "n": 0}
           for n in ("ramp_start", "ramp_months")]
    ok = np.isfinite(p) & np.isfinite(se) & (se > 0)
    if ok.sum() < 3 or not np.isfinite(p[-1]) or p[-1] <= 0:
        return nan

    def curve(t, c, start, months):
        return c * (1.0 - (1.0 - start) * np.exp(-t / months))

    try:
        est, cov = curve_fit(curve, t[ok], p[ok], p0=(p[-1], 0.5, 4.0), sigma=se[ok],
                             absolute_sigma=True, bounds=([0, 0, 0.1], [1, 1, 60]))
    except (RuntimeError, ValueError):
        return nan
    err = np.sqrt(np.clip(np.diag(cov), 0, None))
    n = float(sum(r["n"] for r in by))
    return [{"name": "ramp_start", "group": "", "value": est[1], "se": err[1], "n": n},
            {"name": "ramp_months", "group": "", "value": est[2], "se": err[2], "n": n}]
