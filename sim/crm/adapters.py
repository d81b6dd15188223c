"""What the vendor adapters share: columns found without regard to case, label mapping,
the salesim deal columns filled from a vendor's, the one-currency check, and which form a
deals.csv header shows.

deals.csv may be a Salesforce Opportunity export (:mod:`sim.crm.salesforce`), a HubSpot
deals export (:mod:`sim.crm.hubspot`), or an amoCRM or Bitrix24 deals export
(:mod:`sim.crm.amocrm`, :mod:`sim.crm.bitrix24`); each adapter maps it to the project's
columns with the helpers here. :func:`_detect` tells the form from the header alone, without either
adapter, so that the reader (:mod:`sim.crm.io`) picks one and neither vendor module
imports the other. docs/crm.md holds the adapters' mapping tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from sim.crm.format import _listing, _Problems, _Table


def _column(frame: pd.DataFrame, *names: str) -> str | None:
    """The first of ``names`` in the frame's header, matched without regard to case."""
    by_fold = {c.casefold(): c for c in frame.columns}
    for n in names:
        if n.casefold() in by_fold:
            return by_fold[n.casefold()]
    return None


def _map_labels(values: pd.Series, table: Mapping[str, str],
                key: Callable[[pd.Series], pd.Series]) -> tuple[pd.Series, pd.Series]:
    """Vendor labels -> lead sources ("" where unmapped); also the unmapped labels' counts."""
    mapped = key(values).map(dict(table)).fillna("").astype(str)
    unmapped = values[(values != "") & (mapped == "")].value_counts()
    return mapped, unmapped


def _unmapped_note(table: _Table, column: str, unmapped: pd.Series) -> str | None:
    if unmapped.empty:
        return None
    labels = ", ".join(f"'{label}' ({n} deal{'s' if n != 1 else ''})"
                       for label, n in unmapped.head(12).items())
    more = f" and {len(unmapped) - 12} more" if len(unmapped) > 12 else ""
    return (f"{table.name}: {len(unmapped)} {column} label{'s' if len(unmapped) != 1 else ''} "
            f"could not be mapped to a lead_source and were left empty: {labels}{more}")


def _drop_open_close_dates(stage: pd.Series, closed: pd.Series, table: _Table,
                           column: str, notes: list[str]) -> pd.Series:
    """An open deal's close date in a vendor CRM is the expected one: it is dropped."""
    dropped = (stage == "open") & (closed != "")
    if dropped.any():
        notes.append(f"{table.name}: {column} dropped on {int(dropped.sum())} open deals "
                     f"(there it is the expected close date, not a closing)")
    return closed.where(~dropped, "")


def _fill_deals(table: _Table, f: pd.DataFrame, cols: Mapping[str, str | None],
                names: tuple[str, str, str, str, str], account: pd.Series,
                stage: pd.Series, notes: list[str]) -> None:
    """The salesim deal columns from a vendor's: ``names`` are its deal id, owner,
    created, close date and amount columns (keys of ``cols``), ``account`` its account ids."""
    deal_id, owner, created, close, amount = names
    table.frame["deal_id"] = f[cols[deal_id]]
    table.frame["account_id"] = account
    table.frame["owner_id"] = f[cols[owner]]
    table.frame["created_date"] = f[cols[created]]
    table.frame["stage"] = stage.astype(str)
    table.frame["closed_date"] = _drop_open_close_dates(stage, f[cols[close]], table,
                                                        cols[close], notes)
    table.frame["amount"] = f[cols[amount]] if cols[amount] else ""


def _one_currency(raw: _Table, column: str | None, problems: _Problems,
                  notes: list[str]) -> None:
    """Amounts in several currencies cannot be summed or compared: refused, naming them."""
    if column is None:
        return
    values = raw.frame[column].str.upper()
    counts = values[values != ""].value_counts()
    if len(counts) > 1:
        first = int(np.flatnonzero((values != counts.index[0]) & (values != ""))[0])
        listed = _listing([f"{c} ({n} deal{'s' if n != 1 else ''})" for c, n in counts.items()])
        problems.add(f"{raw.name}, {column}: the amounts are in {len(counts)} currencies, "
                     f"{listed}; first {values.iat[first]} at {raw.unit} {raw.lines[first]}: "
                     f"convert them to one currency, or export one currency's deals")
    elif len(counts) == 1:
        notes.append(f"{raw.name}: every amount is in {counts.index[0]} ({column})")


def _no_closed_stage(raw: _Table, column: str, stage: pd.Series, won: str, lost: str,
                     problems: _Problems) -> None:
    """A pipeline whose won and lost stages were renamed reads as all open: refused."""
    if stage.isin(("won", "lost")).any():
        return
    found = raw.frame[column].value_counts()
    listed = _listing([f"'{v}' ({n})" for v, n in found.items() if v], 12)
    problems.add(f"{raw.name}, {column}: no deal is in a won or lost stage (won: {won}; "
                 f"lost: {lost}); stages found: {listed}")


def _detect(frame: pd.DataFrame) -> str:
    """The form of deals.csv, from its header."""
    if "deal_id" in frame.columns:
        return "salesim"
    folded = {c.casefold() for c in frame.columns}
    if folded & {"stagename", "iswon", "accountid"}:
        return "salesforce"
    if folded & {"deal stage", "record id"}:
        return "hubspot"
    if folded & {"стадия сделки", "стадия"}:
        return "bitrix24"
    if folded & {"этап сделки", "бюджет", "статус сделки"}:
        return "amocrm"
    return "salesim"
