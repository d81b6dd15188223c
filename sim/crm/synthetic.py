"""A synthetic CRM: a simulated classic department's history in the CRM format.

No real client data can ship, so the tests, the calibration tutorial and the recovery
check use a department whose parameters are known. The department grows from its
first hires over the scenario's warm-up, like a real one before its CRM export starts;
the export covers the ``horizon`` after it (deals closed or still open in it, the
accounts and people present in it, with their earlier dates). Working day ``t`` of the
run is the ``t``-th business day (Monday to Friday) counted from the export's first
day, so a calibration reads the dates back as the same working days.

Real exports have gaps; the generator leaves some on purpose, from its own random
stream: accounts without a segment and won deals without an amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.scenario import MONTHS_PER_YEAR, Scenario
from sim.config.settings import DAYS_PER_MONTH
from sim.model.department import Department
from sim.model.journal import DEAL_SOURCES, Journal
from sim.model.streams import Streams
from sim.model.structures import BASELINE, make_structure

#: The first day of a synthetic export unless told otherwise (a Monday).
DEFAULT_START = "2023-01-02"


@dataclass(frozen=True)
class History:
    """One simulated department's journal and the export window, in working days."""

    deals: pd.DataFrame
    spells: pd.DataFrame
    people: pd.DataFrame
    segment_names: tuple[str, ...]
    segment: np.ndarray  # each account's segment (index into segment_names)
    start_day: float  # the export's first working day
    end_day: float  # the run's end: the export's last day is the one before


def warmup_months(scenario: Scenario) -> int:
    """Months of history before the export window: the warm-up of a mature start."""
    ex = scenario.experiment
    if ex.initial_state != "mature":
        return 0
    return max(1, round(ex.warmup_years * MONTHS_PER_YEAR))


def simulate_history(scenario: Scenario, seed: int, replication: int = 0,
                     prefix: str = "crm/") -> History:
    """Run the baseline (classic) department from its first hires to the end of the
    horizon with a journal, drawing from its own streams (``crm/`` for an export;
    calibration simulates from ``calibration/``, so that it never replays the random
    numbers of a synthetic export it is fitted to)."""
    before = warmup_months(scenario)
    spread = (scenario.experiment.warmup_hire_spread_days if before
              else scenario.workforce.hire_spread_days)
    journal = Journal()
    dept = Department(scenario, make_structure(BASELINE, scenario),
                      Streams(seed, replication, prefix=prefix),
                      months=before + scenario.experiment.months, hire_spread_days=spread,
                      journal=journal)
    dept.env.run(until=dept.days + 1e-9)
    deals, spells, people = journal.frames()
    return History(deals, spells, people, dept.acc.segment_names, dept.acc.segment.copy(),
                   float(before * DAYS_PER_MONTH), float(dept.days))


def _dates(days: np.ndarray, start_day: float, start: np.datetime64) -> np.ndarray:
    """Working days of the run as calendar dates (NaN as NaT). Time ``t`` falls in
    working day ``ceil(t) - 1``: what happens at a day's end (time ``k + 1``: decisions,
    churn, quits) belongs to day ``k``, like what happened during it."""
    days = np.asarray(days, dtype=float)
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = np.isfinite(days)
    offsets = (np.ceil(days[ok] - start_day) - 1).astype(np.int64)
    out[ok] = np.busday_offset(start, offsets, roll="forward")
    return out


def history_to_frames(history: History, start: str = DEFAULT_START,
                      rng: np.random.Generator | None = None, missing_segment: float = 0.0,
                      missing_amount: float = 0.0
                      ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The export window of a history as the three CRM frames (dates as datetime64).

    With ``rng``, a share ``missing_segment`` of the accounts loses its segment and a
    share ``missing_amount`` of the won deals its amount."""
    origin = np.datetime64(start, "D")
    if not np.is_busday(origin):
        raise ValueError(f"start: {start} is not a business day (Monday to Friday)")
    h = history
    # Time t falls in day ceil(t) - 1 (see _dates): the window's days 0 .. are the
    # times lo < t <= hi.
    lo, hi = h.start_day, h.end_day
    d = h.deals
    in_window = (d["closed"] > lo) | d["closed"].isna()
    deals = d[in_window & (d["created"] <= hi)]
    first_seen = pd.concat([d.groupby("account")["created"].min(),
                            h.spells.groupby("account")["won_at"].min()], axis=1).min(axis=1)
    sp = h.spells.sort_values(["account", "won_at"])
    last = sp.groupby("account").tail(1).set_index("account")
    live = sp[(sp["won_at"] <= hi) & (sp["lost_at"].isna() | (sp["lost_at"] > lo))]
    accounts = np.union1d(live["account"].unique(), deals["account"].unique())
    segment_values = np.array(h.segment_names, dtype=object)[h.segment[accounts]]
    lost = last["lost_at"].reindex(accounts).to_numpy()
    people = h.people[(h.people["hired_at"] <= hi)
                      & (h.people["left_at"].isna() | (h.people["left_at"] > lo))]
    owners_needed = np.union1d(people["person"], deals["owner"][deals["owner"] >= 0])
    people = h.people[h.people["person"].isin(owners_needed)]
    amount = deals["amount"].to_numpy(dtype=float).copy()
    if rng is not None:
        won = deals["won"].to_numpy() == 1
        amount[won & (rng.random(len(deals)) < missing_amount)] = np.nan
        segment_values[rng.random(len(accounts)) < missing_segment] = None
    stage = np.select([deals["won"] == 1, deals["won"] == 0], ["won", "lost"], "open")
    deals_frame = pd.DataFrame({
        "deal_id": "D" + deals["deal"].astype(str),
        "account_id": "A" + deals["account"].astype(str),
        "owner_id": np.where(deals["owner"] >= 0, "M" + deals["owner"].astype(str), ""),
        "created_date": _dates(deals["created"], lo, origin),
        "closed_date": _dates(deals["closed"], lo, origin),
        "stage": stage,
        "amount": np.round(amount, 2),
        "lead_source": np.array(DEAL_SOURCES, dtype=object)[deals["source"].to_numpy()],
    })
    accounts_frame = pd.DataFrame({
        "account_id": ["A" + str(a) for a in accounts],
        "created_date": _dates(first_seen.reindex(accounts).to_numpy(), lo, origin),
        "segment": segment_values,
        "lost_date": _dates(lost, lo, origin),
    })
    owners_frame = pd.DataFrame({
        "owner_id": "M" + people["person"].astype(str),
        "hire_date": _dates(people["hired_at"], lo, origin),
        "leave_date": _dates(people["left_at"], lo, origin),
    })
    return (deals_frame.reset_index(drop=True), accounts_frame,
            owners_frame.reset_index(drop=True))


def synth_crm(scenario: Scenario, out: str | Path, seed: int | None = None,
              start: str = DEFAULT_START, missing_segment: float = 0.2,
              missing_amount: float = 0.05, form: str = "salesim",
              dialect: str = "plain") -> Path:
    """Write a synthetic CRM export of the scenario's classic department to ``out``:
    deals.csv in ``form`` (salesim, salesforce, hubspot, amocrm, bitrix24) and every file
    in ``dialect`` (plain, excel-ru, excel-ru-utf8: :data:`sim.crm.forms.DIALECTS`)."""
    from sim.crm.forms import write_export
    from sim.crm.io import frames_to_crm, write_crm

    seed = scenario.experiment.seed if seed is None else seed
    history = simulate_history(scenario, seed)
    rng = Streams(seed, 0, prefix="crm/")["gaps"]
    frames = history_to_frames(history, start, rng, missing_segment, missing_amount)
    crm = frames_to_crm(*frames)
    if form == "salesim" and dialect == "plain":
        write_crm(crm, out)
    else:
        write_export(crm, out, form, dialect)
    return Path(out)
