"""The CRM export format in the project's own columns: what each file holds, and its checks.

A CRM is a folder of deals.csv, accounts.csv and owners.csv. This module holds the
format's specification (columns, stages, lead sources, what each column may hold), the
validated result (:class:`Crm`) and its error (:class:`CrmError`), the problem collector
that lists every defect with its file, line, column and value, and the checks themselves,
column by column with vectorised pandas operations. Reading files (:mod:`sim.crm.io`) and
the vendor adapters (:mod:`sim.crm.salesforce`, :mod:`sim.crm.hubspot`) all end here, so
a file on disk and frames made in memory meet exactly the same rules. Names with a
leading underscore are shared inside :mod:`sim.crm` only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from sim.crm.conventions import (
    FIRST_YEAR,
    LAST_YEAR,
    Conventions,
    decimal_comma,
    parse_dates,
)

__all__ = ["ACCOUNTS_COLUMNS", "DEALS_COLUMNS", "FORMATS", "LEAD_SOURCES", "MAX_PROBLEMS",
           "OWNERS_COLUMNS", "STAGES", "Crm", "CrmError"]

DEALS_COLUMNS = ("deal_id", "account_id", "owner_id", "created_date", "closed_date", "stage",
                 "amount", "lead_source")
ACCOUNTS_COLUMNS = ("account_id", "created_date", "segment", "lost_date")
OWNERS_COLUMNS = ("owner_id", "hire_date", "leave_date")
STAGES = ("won", "lost", "open")
LEAD_SOURCES = ("outbound", "inbound", "referral", "marketing", "repeat")
#: The forms deals.csv may take: the project's own, or a vendor export.
FORMATS = ("salesim", "salesforce", "hubspot", "amocrm", "bitrix24")

#: Problems a :class:`CrmError` lists before it only counts the rest.
MAX_PROBLEMS = 20
DATE_FORMATS = ("YYYY-MM-DD or DD.MM.YYYY, either with a time HH:MM[:SS] or not, or ISO 8601 "
                "with T (2024-03-15T10:22:00.000+0000); only the date is kept")

# What each column holds: (name, kind, value required). Kinds: id (unique), ref (an id of
# another file), date, stage, source (lead_source), amount, text.
_Spec = tuple[tuple[str, str, bool], ...]
_DEALS_SPEC: _Spec = (("deal_id", "id", True), ("account_id", "ref", True),
                      ("owner_id", "ref", True), ("created_date", "date", True),
                      ("closed_date", "date", False), ("stage", "stage", True),
                      ("amount", "amount", False), ("lead_source", "source", False))
_ACCOUNTS_SPEC: _Spec = (("account_id", "id", True), ("created_date", "date", True),
                         ("segment", "text", False), ("lost_date", "date", False))
_OWNERS_SPEC: _Spec = (("owner_id", "id", True), ("hire_date", "date", True),
                       ("leave_date", "date", False))
_SPECS = MappingProxyType({"deals": _DEALS_SPEC, "accounts": _ACCOUNTS_SPEC,
                           "owners": _OWNERS_SPEC})
_COLUMNS = MappingProxyType({"deals": DEALS_COLUMNS, "accounts": ACCOUNTS_COLUMNS,
                             "owners": OWNERS_COLUMNS})
_TABLES = ("deals", "accounts", "owners")


class CrmError(ValueError):
    """A CRM folder or frames that cannot be used; ``problems`` lists each defect.

    At most :data:`MAX_PROBLEMS` are listed; a last entry "... and N more" counts the rest.
    """

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(problems))


@dataclass(frozen=True, eq=False)
class Crm:
    """A validated CRM: typed frames in the project's columns, and what was incomplete.

    ``deals`` has :data:`DEALS_COLUMNS`: ids and stage as str, dates as datetime64[ns]
    (NaT where empty), amount as float (NaN where empty), lead_source str or None.
    ``accounts`` has :data:`ACCOUNTS_COLUMNS` (segment str or None), ``owners``
    :data:`OWNERS_COLUMNS`. ``incomplete`` counts the rows kept with a gap, by a phrase
    such as "won deals without amount"; ``notes`` says what else the read did (the format
    detected, each file's encoding, delimiter, decimal mark and date forms, labels it could
    not map, columns it ignored, rows dropped); ``files`` holds each file's conventions as
    data (:class:`sim.crm.conventions.Conventions`).
    """

    deals: pd.DataFrame
    accounts: pd.DataFrame
    owners: pd.DataFrame
    incomplete: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    source: str = ""
    format: str = "salesim"
    files: tuple[Conventions, ...] = ()


# --------------------------------------------------------------------------- problems

class _Problems:
    """Collects problems: keeps the first MAX_PROBLEMS messages and counts all of them."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.total = 0

    def add(self, message: str) -> None:
        self.total += 1
        if len(self.messages) < MAX_PROBLEMS:
            self.messages.append(message)

    def rows(self, table: _Table, mask: np.ndarray | pd.Series, column: str,
             describe: Callable[[int], str]) -> None:
        """One problem per row where ``mask`` holds; only the reported ones are formatted."""
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        room = max(MAX_PROBLEMS - len(self.messages), 0)
        for i in where[:room]:
            self.messages.append(f"{table.where(i)}, {table.label(column)}: {describe(i)}")
        self.total += len(where)

    def column(self, table: _Table, mask: np.ndarray | pd.Series, column: str, what: str,
               describe: Callable[[int], str]) -> None:
        """One problem for one cause in a column: the row itself if there is one, else
        the count and the first row ("5,740 values are not dates ...; first at line 2")."""
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(where) == 1:
            self.rows(table, mask, column, describe)
        elif len(where):
            i = where[0]
            value = table.value(column, i)
            self.add(f"{table.name}, {table.label(column)}: {len(where):,} values {what}; "
                     f"first at {table.unit} {table.lines[i]}" + (f": '{value}'" if value else ""))

    def raise_if_any(self, source: str) -> None:
        if self.total:
            more = self.total - len(self.messages)
            listed = self.messages + ([f"... and {more} more"] if more else [])
            raise CrmError(listed, source)


@dataclass
class _Table:
    """One file (or frame) as text, in the project's columns, with its line numbers."""

    name: str                 # "deals.csv", or "deals" for a frame
    frame: pd.DataFrame       # str columns, "" where empty
    lines: np.ndarray         # the CSV line of each row (header is line 1)
    unit: str = "line"        # "line" for a file, "row" for a frame or a workbook
    labels: Mapping[str, str] = field(default_factory=dict)  # column -> name in the file
    read: Conventions | None = None  # how the file was written (None for a frame)

    def where(self, i: int) -> str:
        return f"{self.name} {self.unit} {self.lines[i]}"

    def label(self, column: str) -> str:
        return self.labels.get(column, column)

    def value(self, column: str, i: int) -> str:
        return self.frame[column].iat[i]


def _listing(names: Sequence[str], limit: int = 30) -> str:
    shown = ", ".join(names[:limit]) if names else "none"
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")



# --------------------------------------------------------------------------- columns

def _check_columns(table: _Table, columns: Sequence[str], problems: _Problems,
                   hint: str = "") -> bool:
    found = list(table.frame.columns)
    missing = [c for c in columns if c not in found]
    if missing:
        problems.add(f"{table.name}: {_missing(missing)} (columns found: {_listing(found)}){hint}")
    return not missing


def _missing(columns: Sequence[str]) -> str:
    if len(columns) == 1:
        return f"required column {columns[0]} is missing"
    return f"required columns {', '.join(columns)} are missing"


def _extra_columns_note(table: _Table, used: Sequence[str]) -> str | None:
    lowered = {u.casefold() for u in used}
    extra = [c for c in table.frame.columns if c.casefold() not in lowered]
    if not extra:
        return None
    return f"{table.name}: ignored columns: {_listing(extra, 12)}"


# --------------------------------------------------------------------------- validation

def _found(table: _Table, **seen: object) -> None:
    """Adds what a column showed (date forms, a decimal comma) to the file's conventions."""
    if table.read is None:
        return
    forms = {*table.read.date_forms, *seen.pop("date_forms", ())}
    table.read = replace(table.read, date_forms=tuple(sorted(forms)), **seen)


def _check_values(table: _Table, spec: _Spec, problems: _Problems) -> dict[str, pd.Series]:
    """Checks each column on its own; returns the typed columns (dates, amount)."""
    f = table.frame
    typed: dict[str, pd.Series] = {}
    for column, kind, required in spec:
        values = f[column]
        empty = (values == "").to_numpy()
        if required:
            label = table.label(column)
            problems.column(table, empty, column, f"are empty ({label} is required)",
                            lambda i, c=label: f"empty ({c} is required)")
        if kind == "id":
            repeated = values.duplicated().to_numpy() & ~empty
            if repeated.any():
                first = pd.Series(table.lines, index=values.index).groupby(values).transform("min")
                problems.rows(table, repeated, column, lambda i, v=values, fl=first: (
                    f"{v.iat[i]} is also on {table.unit} {fl.iat[i]} (ids must be unique)"))
        elif kind == "date":
            typed[column], bad, outside, forms = parse_dates(values)
            problems.column(table, bad, column, f"are not dates (allowed: {DATE_FORMATS})",
                            lambda i, v=values: (
                                f"'{v.iat[i]}' is not a date (allowed: {DATE_FORMATS})"))
            _found(table, date_forms=forms)
            problems.rows(table, outside, column, lambda i, v=values: (
                f"{v.iat[i]} is not between {FIRST_YEAR} and {LAST_YEAR} (leave it empty "
                f"if there is no such date)"))
        elif kind in ("stage", "source"):
            allowed = STAGES if kind == "stage" else LEAD_SOURCES
            folded = values.str.casefold()
            bad = (~folded.isin(allowed)).to_numpy() & ~empty
            problems.column(table, bad, column, f"are not one of {', '.join(allowed)}",
                            lambda i, v=values, a=allowed: (
                                f"'{v.iat[i]}' is not one of {', '.join(a)}"))
            typed[column] = folded
        elif kind == "amount":
            comma = decimal_comma(values)
            if comma is not None:
                _found(table, decimal_comma=True)
            numbers = pd.to_numeric((values if comma is None else comma).where(~empty),
                                    errors="coerce").astype(float)
            not_number = (numbers.isna().to_numpy() | np.isinf(numbers.to_numpy())) & ~empty
            problems.column(table, not_number, column, "are not numbers (write 1234.5 or "
                            "1234,5: no currency sign; thousands grouped by spaces or not "
                            "at all)", lambda i, v=values: (
                                f"'{v.iat[i]}' is not a number (write 1234.5 or 1234,5: no "
                                f"currency sign; thousands grouped by spaces or not at all)"))
            negative = (numbers < 0).to_numpy() & ~not_number
            problems.rows(table, negative, column, lambda i, v=values: (
                f"{v.iat[i]} is negative (an amount is a number >= 0)"))
            typed[column] = numbers.where(~not_number & ~negative)
    return typed


def _check_order(table: _Table, typed: Mapping[str, pd.Series], later: str, earlier: str,
                 problems: _Problems) -> None:
    before = (typed[later] < typed[earlier]).to_numpy(dtype=bool)
    problems.rows(table, before, later, lambda i: (
        f"{table.value(later, i)} is before {table.label(earlier)} {table.value(earlier, i)}"))


def _check_refs(table: _Table, column: str, target: _Table, problems: _Problems) -> None:
    """One problem per id missing from ``target``, at its first row, counting the others."""
    values = table.frame[column]
    unknown = (~values.isin(target.frame[column])).to_numpy() & (values != "").to_numpy()
    rows = pd.Series(np.flatnonzero(unknown))
    named = values.iloc[rows].to_numpy()
    first = ~pd.Series(named).duplicated().to_numpy()
    uses = pd.Series(named).map(pd.Series(named).value_counts()).to_numpy()
    mask = np.zeros(len(values), dtype=bool)
    mask[rows[first]] = True
    count = dict(zip(rows[first], uses[first], strict=True))
    problems.rows(table, mask, column, lambda i: f"{values.iat[i]} is not in {target.name}" + (
        f" (nor on the {count[i] - 1:,} other {table.unit}s that name it)"
        if count[i] > 1 else ""))


def _text_or_none(values: pd.Series) -> pd.Series:
    out = values.astype(object)
    out[(values == "").to_numpy()] = None
    return out


def _validate(tables: Mapping[str, _Table], problems: _Problems, notes: list[str],
              source: str, form: str) -> Crm:
    deals, accounts, owners = (tables[n] for n in _TABLES)
    typed = {n: _check_values(tables[n], _SPECS[n], problems) for n in _TABLES}
    d = typed["deals"]
    _check_order(deals, d, "closed_date", "created_date", problems)
    _check_order(accounts, typed["accounts"], "lost_date", "created_date", problems)
    _check_order(owners, typed["owners"], "leave_date", "hire_date", problems)
    closed_open = ((d["stage"] == "open") & (deals.frame["closed_date"] != "")).to_numpy()
    problems.rows(deals, closed_open, "closed_date", lambda i: (
        f"{deals.value('closed_date', i)} is set on an open deal (an open deal has no "
        f"closed_date: leave it empty, or set stage to won or lost)"))
    _check_refs(deals, "owner_id", owners, problems)
    _check_refs(deals, "account_id", accounts, problems)
    problems.raise_if_any(source)

    def build(name: str) -> pd.DataFrame:
        frame = tables[name].frame.reset_index(drop=True)
        out = pd.DataFrame(index=frame.index)
        for column, kind, _ in _SPECS[name]:
            if kind in ("date", "amount"):
                out[column] = typed[name][column].reset_index(drop=True)
            elif kind == "stage":
                out[column] = typed[name][column].reset_index(drop=True).astype(str)
            elif kind == "source":
                out[column] = _text_or_none(typed[name][column].reset_index(drop=True))
            elif kind == "text":
                out[column] = _text_or_none(frame[column])
            else:
                out[column] = frame[column].astype(str)
        return out

    out = {n: build(n) for n in _TABLES}
    dd = out["deals"]
    closed = dd["stage"].isin(("won", "lost"))
    incomplete = {
        "won deals without amount": int(((dd["stage"] == "won") & dd["amount"].isna()).sum()),
        "deals without lead_source": int(dd["lead_source"].isna().sum()),
        "closed deals without closed_date": int((closed & dd["closed_date"].isna()).sum()),
        "accounts without segment": int(out["accounts"]["segment"].isna().sum()),
    }
    files = tuple(tables[n].read for n in _TABLES if tables[n].read is not None)
    notes.extend(f.describe() for f in files if not f.plain)
    return Crm(out["deals"], out["accounts"], out["owners"], incomplete, tuple(notes),
               source, form, files)
