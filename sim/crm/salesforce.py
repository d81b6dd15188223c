"""The Salesforce adapter: a Salesforce Opportunity export read as deals.csv.

It maps the Opportunity API fields (Id, AccountId, OwnerId, CreatedDate, CloseDate,
StageName, IsClosed, IsWon, Amount, LeadSource, Type) to the project's deal columns, and
Salesforce's standard LeadSource picklist to the project's lead sources
(:data:`SALESFORCE_LEAD_SOURCES`, the table docs/crm.md documents). The result is
checked by the same rules as any deals.csv (:mod:`sim.crm.format`).
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from sim.crm.adapters import (
    _column,
    _fill_deals,
    _map_labels,
    _one_currency,
    _unmapped_note,
)
from sim.crm.format import (
    DEALS_COLUMNS,
    LEAD_SOURCES,
    _extra_columns_note,
    _listing,
    _missing,
    _Problems,
    _Table,
)

__all__ = ["SALESFORCE_LEAD_SOURCES"]

# Salesforce Opportunity API field names, from the Salesforce field reference
# (developer.salesforce.com/docs/platform/field-reference/references/field-reference/
# salesforce-field-reference-opportunity.html): Id, AccountId, OwnerId, CreatedDate,
# CloseDate, StageName, IsClosed, IsWon, Amount, LeadSource, Type. Some export tools write
# them in capitals, so names are matched without regard to case. Report exports use
# display labels that the documentation does not fix, so only API names are read.
_SF_REQUIRED = ("Id", "AccountId", "OwnerId", "CreatedDate", "CloseDate", "StageName")
#: Salesforce's standard LeadSource picklist (and two common additions) -> lead_source.
SALESFORCE_LEAD_SOURCES = MappingProxyType({
    "web": "inbound", "phone inquiry": "inbound",
    "partner referral": "referral", "employee referral": "referral",
    "external referral": "referral", "partner": "referral", "word of mouth": "referral",
    "purchased list": "marketing", "advertisement": "marketing",
    "seminar - internal": "marketing", "seminar - partner": "marketing",
    "trade show": "marketing", "public relations": "marketing",
    "cold call": "outbound", "outbound": "outbound",
    **{s: s for s in LEAD_SOURCES},
})
# Booleans as Data Loader reads them (Data Loader guide, "Data Types Supported").
_TRUE, _FALSE = ("true", "1", "yes", "y", "on"), ("false", "0", "no", "n", "off")


def _salesforce(raw: _Table, problems: _Problems, notes: list[str]) -> _Table | None:
    f = raw.frame
    cols = {n: _column(f, n) for n in (*_SF_REQUIRED, "IsClosed", "IsWon", "Amount",
                                       "LeadSource", "Type", "CurrencyIsoCode")}
    missing = [n for n in _SF_REQUIRED if cols[n] is None]
    if missing:
        problems.add(f"{raw.name}: {_missing(missing)} (a Salesforce Opportunity export needs "
                     f"{', '.join(_SF_REQUIRED)}; columns found: {_listing(list(f.columns))})")
        return None
    _one_currency(raw, cols["CurrencyIsoCode"], problems, notes)  # multi-currency orgs
    table = _Table(raw.name, pd.DataFrame(index=f.index), raw.lines, labels={
        "deal_id": cols["Id"], "account_id": cols["AccountId"], "owner_id": cols["OwnerId"],
        "created_date": cols["CreatedDate"], "closed_date": cols["CloseDate"],
        "stage": "/".join(cols[n] for n in ("StageName", "IsClosed", "IsWon") if cols[n]),
        "amount": cols["Amount"] or "Amount",
        "lead_source": "/".join(cols[n] for n in ("Type", "LeadSource") if cols[n])
        or "LeadSource"})
    name = f[cols["StageName"]].str.casefold().str.replace(r"\s+", " ", regex=True)
    stage = pd.Series(np.where(name == "closed won", "won",
                               np.where(name == "closed lost", "lost", "open")), index=f.index)
    stage = stage.where(name != "", "")
    if cols["IsClosed"] and cols["IsWon"]:
        flags = {}
        for n in ("IsClosed", "IsWon"):
            v = f[cols[n]].str.casefold()
            bad = (v != "") & ~v.isin(_TRUE + _FALSE)
            problems.rows(table, bad, cols[n], lambda i, n=n: (
                f"'{f[cols[n]].iat[i]}' is not true/false, yes/no or 1/0"))
            flags[n] = v
        closed, won = flags["IsClosed"], flags["IsWon"]
        known = closed.isin(_TRUE + _FALSE)
        by_flag = np.where(closed.isin(_TRUE), np.where(won.isin(_TRUE), "won", "lost"), "open")
        stage = stage.where(~known, pd.Series(by_flag, index=f.index))
    _fill_deals(table, f, cols, ("Id", "OwnerId", "CreatedDate", "CloseDate", "Amount"),
                f[cols["AccountId"]], stage, notes)
    source = pd.Series("", index=f.index, dtype=str)
    if cols["LeadSource"]:
        source, unmapped = _map_labels(
            f[cols["LeadSource"]], SALESFORCE_LEAD_SOURCES,
            lambda s: s.str.casefold().str.replace(r"\s+", " ", regex=True))
        if note := _unmapped_note(table, cols["LeadSource"], unmapped):
            notes.append(note)
    if cols["Type"]:
        existing = f[cols["Type"]].str.casefold().str.startswith("existing")
        source = source.where(~existing, "repeat")
    if not (cols["LeadSource"] or cols["Type"]):
        notes.append(f"{raw.name}: no LeadSource or Type column: every lead_source is empty")
    table.frame["lead_source"] = source
    table.frame = table.frame[list(DEALS_COLUMNS)]
    notes.insert(0, f"{raw.name} read as a Salesforce Opportunity export")
    if note := _extra_columns_note(raw, [c for c in cols.values() if c]):
        notes.append(note)
    return table
