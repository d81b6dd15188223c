"""The HubSpot adapter: a HubSpot deals export read as deals.csv.

It maps the deal property labels HubSpot writes as column headers (Record ID, Deal Stage,
Create Date, Close Date, Deal owner, Amount, Deal Type, the associated company, the
original traffic source) to the project's deal columns, and HubSpot's analytics sources
to the project's lead sources (:data:`HUBSPOT_LEAD_SOURCES`, the table docs/crm.md
documents). The result is checked by the same rules as any deals.csv
(:mod:`sim.crm.format`).
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

__all__ = ["HUBSPOT_LEAD_SOURCES"]

# HubSpot deals export: the column headers are the property labels, as in HubSpot's
# knowledge base (knowledge.hubspot.com/crm-deals/hubspots-default-deal-properties) and
# real exports ("Record ID", "Deal Stage", "Create Date", "Close Date", "Deal owner",
# "Amount", "Deal Type", "Associated Company IDs (Primary)"). "Original Source" was
# relabelled "Original Traffic Source"; both are read. Its internal values (ORGANIC_SEARCH,
# ..., OFFLINE) are those of HubSpot's analytics source type (hs_analytics_source).
_HS_REQUIRED = ("Record ID", "Deal Stage", "Create Date", "Close Date", "Deal owner")
_HS_COMPANY = ("Associated Company IDs (Primary)", "Associated Company IDs")
_HS_SOURCE = ("Original Traffic Source", "Original Source")
#: HubSpot's original (traffic) source, internal value or label -> lead_source.
HUBSPOT_LEAD_SOURCES = MappingProxyType({
    "organic_search": "inbound", "direct_traffic": "inbound",
    "referrals": "referral",
    "paid_search": "marketing", "paid_social": "marketing", "email_marketing": "marketing",
    "social_media": "marketing", "organic_social": "marketing",
    "other_campaigns": "marketing",
    "offline": "outbound", "offline_sources": "outbound",
    **{s: s for s in LEAD_SOURCES},
})


def _hubspot(raw: _Table, problems: _Problems, notes: list[str]) -> _Table | None:
    f = raw.frame
    cols = {n: _column(f, n) for n in (*_HS_REQUIRED, "Amount", "Deal Type")}
    cols["Currency"] = _column(f, "Currency", "Deal currency code")
    company = _column(f, *_HS_COMPANY)
    origin = _column(f, *_HS_SOURCE)
    missing = [n for n in _HS_REQUIRED if cols[n] is None]
    if company is None:
        missing.append(_HS_COMPANY[0])
    if missing:
        problems.add(f"{raw.name}: {_missing(missing)} (a HubSpot deals export needs "
                     f"{', '.join(_HS_REQUIRED)} and {_HS_COMPANY[0]}; columns found: "
                     f"{_listing(list(f.columns))})")
        return None
    _one_currency(raw, cols["Currency"], problems, notes)  # multi-currency portals
    table = _Table(raw.name, pd.DataFrame(index=f.index), raw.lines, labels={
        "deal_id": cols["Record ID"], "account_id": company, "owner_id": cols["Deal owner"],
        "created_date": cols["Create Date"], "closed_date": cols["Close Date"],
        "stage": cols["Deal Stage"], "amount": cols["Amount"] or "Amount",
        "lead_source": "/".join(c for c in (cols["Deal Type"], origin) if c)
        or "Original Traffic Source"})
    key = f[cols["Deal Stage"]].str.casefold().str.replace(r"[\s_]+", "", regex=True)
    stage = pd.Series(np.where(key == "closedwon", "won",
                               np.where(key == "closedlost", "lost", "open")), index=f.index)
    stage = stage.where(key != "", "")
    if not (stage == "won").any():
        notes.append(f"{raw.name}: no deal is in a stage named Closed Won (closedwon): "
                     f"a custom pipeline's won stage is read as open")
    companies = f[company].str.split(";").str[0].str.strip()
    several = f[company].str.contains(";", regex=False)
    if several.any():
        notes.append(f"{raw.name}: {int(several.sum())} deals have several companies in "
                     f"{company}: the first is taken")
    _fill_deals(table, f, cols, ("Record ID", "Deal owner", "Create Date", "Close Date",
                                 "Amount"), companies, stage, notes)
    source = pd.Series("", index=f.index, dtype=str)
    if origin:
        source, unmapped = _map_labels(
            f[origin], HUBSPOT_LEAD_SOURCES,
            lambda s: s.str.casefold().str.strip().str.replace(r"\s+", "_", regex=True))
        if note := _unmapped_note(table, origin, unmapped):
            notes.append(note)
    if cols["Deal Type"]:
        existing = f[cols["Deal Type"]].str.casefold().str.replace(" ", "") == "existingbusiness"
        source = source.where(~existing, "repeat")
    if not (origin or cols["Deal Type"]):
        notes.append(f"{raw.name}: no Original Traffic Source or Deal Type column: every "
                     f"lead_source is empty")
    table.frame["lead_source"] = source
    table.frame = table.frame[list(DEALS_COLUMNS)]
    notes.insert(0, f"{raw.name} read as a HubSpot deals export")
    if note := _extra_columns_note(raw, [c for c in (*cols.values(), company, origin) if c]):
        notes.append(note)
    return table
