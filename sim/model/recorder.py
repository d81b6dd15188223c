"""Collects measures cheaply during a run and returns tidy frames at the end.

Department-level counts add into preallocated monthly lists of floats (cheaper to
update than numpy elements, which matters on the request path); per-manager rows are
appended to columns once per manager-month. Frames are built once, when the run ends.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.settings import DAYS_PER_MONTH

#: Counters summed over each month (names and units in docs/outputs.md).
COUNTERS = (
    "revenue_new", "revenue_repeat",
    "new_clients_outbound", "new_clients_inbound", "new_clients_referral",
    "new_clients_marketing",
    "lost_clients_neglect", "lost_clients_lost_order", "lost_clients_manager_left",
    "lost_clients_natural", "lost_clients_handoff", "lost_clients_contact",
    "leads_marketing_paid", "leads_word_of_mouth", "meetings_booked", "handoffs_lost",
    "opportunities_opened", "opportunities_won", "opportunities_lost",
    "leads_received", "leads_answered", "leads_qualified", "leads_lost", "leads_waited",
    "leads_word_of_mouth_expected",
    "orders_received", "orders_handled", "orders_lost",
    "lead_wait_hours_sum", "lead_waits", "order_wait_hours_sum", "order_waits",
    "hours_reactive", "hours_care", "hours_prospecting", "hours_idle",
    "manager_days", "hires", "quits", "layoffs",
    "payroll", "marketing_spend", "overhead_cost", "vacant_seat_days", "transition_cost",
)
#: Levels taken at each month's end.
LEVELS = ("active_clients", "prospects", "opportunities", "lost_accounts", "managers",
          "key_person_revenue_at_risk")

SOURCES = ("outbound", "inbound", "referral", "marketing")
LOSS_CAUSES = ("neglect", "lost_order", "manager_left", "natural", "handoff", "contact")


class Recorder:
    def __init__(self, months: int):
        self.months = months
        self.month = 0
        # Plain Python floats: the request path adds to them several times a request,
        # and a list item is several times cheaper to update than a numpy one.
        self.counts: dict[str, list[float]] = {name: [0.0] * months for name in COUNTERS}
        self.levels = {name: np.zeros(months) for name in LEVELS}
        # One list per column of the manager-month rows (see :func:`manager_row`).
        self.manager_columns: dict[str, list] = {c: [] for c in MANAGER_COLUMNS}

    def add(self, name: str, amount: float = 1.0) -> None:
        if self.month < self.months:
            self.counts[name][self.month] += amount

    @property
    def c(self) -> dict[str, np.ndarray]:
        """The monthly counters as arrays (a copy: add through :meth:`add`)."""
        return {name: np.array(v) for name, v in self.counts.items()}

    def add_manager_row(self, row: tuple) -> None:
        """Append one manager-month row (values in ``MANAGER_COLUMNS`` order)."""
        for column, value in zip(self.manager_columns.values(), row, strict=True):
            column.append(value)

    def set_level(self, name: str, value: float) -> None:
        self.levels[name][self.month] = value

    def monthly_frame(self, gross_margin: float) -> pd.DataFrame:
        c = self.c
        cols: dict[str, np.ndarray] = {"month": np.arange(1, self.months + 1)}
        cols.update((name, c[name]) for name in COUNTERS if not name.endswith("_hours_sum"))
        cols.update(self.levels)
        cols["revenue"] = c["revenue_new"] + c["revenue_repeat"]
        cols["new_clients"] = np.sum([c[f"new_clients_{s}"] for s in SOURCES], axis=0)
        cols["lost_clients"] = np.sum([c[f"lost_clients_{k}"] for k in LOSS_CAUSES], axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            cols["lead_wait_hours_mean"] = c["lead_wait_hours_sum"] / c["lead_waits"]
            cols["order_wait_hours_mean"] = c["order_wait_hours_sum"] / c["order_waits"]
            active = c["hours_care"] + c["hours_prospecting"]
            cols["active_share"] = active / (active + c["hours_idle"])
        cols["contribution"] = (cols["revenue"] * gross_margin - c["payroll"]
                                - c["marketing_spend"] - c["overhead_cost"]
                                - c["transition_cost"])
        return pd.DataFrame({k: np.array(v, copy=True) for k, v in cols.items()})

    def managers_frame(self) -> pd.DataFrame:
        return pd.DataFrame({c: np.array(values, dtype=_dtype(c))
                             for c, values in self.manager_columns.items()})


MANAGER_COLUMNS = (
    "month", "manager_id", "desk", "role", "tenure_months", "skill", "base_clients",
    "hours_reactive", "hours_care", "hours_prospecting", "hours_active", "hours_idle",
    "active_share", "propensity", "revenue", "new_clients", "income", "base_income_ratio",
    "tasks", "days_worked", "left", "reward_per_active_hour", "propensity_prospecting",
    "propensity_care", "ability",
)


def empty_stats() -> dict[str, float]:
    """A person's running totals for the month (see :func:`manager_row`)."""
    return {"reactive": 0.0, "care": 0.0, "prospecting": 0.0, "idle": 0.0, "days": 0.0,
            "revenue": 0.0, "new_clients": 0.0, "propensity": 0.0, "meetings": 0.0,
            "tasks": 0.0, "norm_pay": 0.0, "reward": 0.0, "pi_prospecting": 0.0,
            "pi_care": 0.0}


def manager_row(month: int, person, desk: int, tenure_days: float, base_clients: int,
                stats: dict[str, float], income: float, left: bool) -> tuple:
    """The one schema of a manager-month row, from the month's stats: the values in
    ``MANAGER_COLUMNS`` order (a tuple, so the rows are held as columns)."""
    free = stats["care"] + stats["prospecting"] + stats["idle"]
    active = stats["care"] + stats["prospecting"]
    days = stats["days"]
    return (
        month,  # month
        person.person_id,  # manager_id
        desk,  # desk
        person.role,  # role
        tenure_days / DAYS_PER_MONTH,  # tenure_months
        person.skill,  # skill
        base_clients,  # base_clients
        stats["reactive"],  # hours_reactive
        stats["care"],  # hours_care
        stats["prospecting"],  # hours_prospecting
        active,  # hours_active
        stats["idle"],  # hours_idle
        active / free if free > 0 else np.nan,  # active_share
        stats["propensity"] / days if days else np.nan,  # propensity
        stats["revenue"],  # revenue
        int(stats["new_clients"]),  # new_clients
        income,  # income
        person.base_income,  # base_income_ratio
        stats["tasks"],  # tasks
        days,  # days_worked
        left,  # left
        stats["reward"] / days if days else np.nan,  # reward_per_active_hour
        stats["pi_prospecting"] / days if days else np.nan,  # propensity_prospecting
        stats["pi_care"] / days if days else np.nan,  # propensity_care
        person.ability,  # ability
    )


def _dtype(column: str) -> str:
    if column == "role":
        return "object"
    if column == "left":
        return "bool"
    if column in ("month", "manager_id", "desk", "base_clients", "new_clients"):
        return "int64"
    return "float64"
