"""The CRM input of ``salesim calibrate``: a folder of deals.csv, accounts.csv and owners.csv.

Everything is read as text first and checked once, column by column with vectorised
pandas operations (a folder of 300,000 deals reads in seconds), so that a file on disk
(:func:`read_crm`) and frames made in memory (:func:`frames_to_crm`) meet exactly the same
rules. A defect fails the whole read with :class:`CrmError`, which lists every problem
with its file, line, column, value and what is allowed; a row that is merely incomplete
(a won deal without amount, say) is kept and counted in :attr:`Crm.incomplete`.

deals.csv may also be a Salesforce Opportunity export or a HubSpot deals export: its
header tells which, and an adapter maps it to the project's columns. docs/crm.md holds
the format, the errors and the adapters' mapping tables.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

__all__ = ["ACCOUNTS_COLUMNS", "DEALS_COLUMNS", "FORMATS", "LEAD_SOURCES", "OWNERS_COLUMNS",
           "STAGES", "Crm", "CrmError", "frames_to_crm", "read_crm", "write_crm"]

DEALS_COLUMNS = ("deal_id", "account_id", "owner_id", "created_date", "closed_date", "stage",
                 "amount", "lead_source")
ACCOUNTS_COLUMNS = ("account_id", "created_date", "segment", "lost_date")
OWNERS_COLUMNS = ("owner_id", "hire_date", "leave_date")
STAGES = ("won", "lost", "open")
LEAD_SOURCES = ("outbound", "inbound", "referral", "marketing", "repeat")
#: The forms deals.csv may take: the project's own, or a vendor export.
FORMATS = ("salesim", "salesforce", "hubspot")

#: Problems a :class:`CrmError` lists before it only counts the rest.
MAX_PROBLEMS = 20
DATE_FORMATS = ("YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], or ISO 8601 with T "
                "(2024-03-15T10:22:00.000+0000); only the date is kept")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100
_DATE_SHAPE = (r"\d{4}-\d{2}-\d{2}"
               r"(?:[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?"
               r"(?:\s?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?)?")

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
    detected, labels it could not map, columns it ignored).
    """

    deals: pd.DataFrame
    accounts: pd.DataFrame
    owners: pd.DataFrame
    incomplete: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    source: str = ""
    format: str = "salesim"


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
    unit: str = "line"        # "line" for a file, "row" for a frame
    labels: Mapping[str, str] = field(default_factory=dict)  # column -> name in the file

    def where(self, i: int) -> str:
        return f"{self.name} {self.unit} {self.lines[i]}"

    def label(self, column: str) -> str:
        return self.labels.get(column, column)

    def value(self, column: str, i: int) -> str:
        return self.frame[column].iat[i]


def _listing(names: Sequence[str], limit: int = 30) -> str:
    shown = ", ".join(names[:limit]) if names else "none"
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# --------------------------------------------------------------------------- reading files

_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_text_csv(path: Path, problems: _Problems) -> _Table | None:
    """A CSV file as a frame of stripped strings, or None (with the problem recorded)."""
    name = path.name
    if not path.is_file():
        problems.add(f"{name} is missing from the CRM folder {path.parent} "
                     f"(a CRM folder holds deals.csv, accounts.csv and owners.csv)")
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        problems.add(f"{name} is not a UTF-8 text file (line {line} holds the byte "
                     f"0x{data[e.start]:02x}); save it as CSV in UTF-8")
        return None
    if "\x00" in text:
        problems.add(f"{name} is not a UTF-8 text file (it holds NUL bytes: a spreadsheet "
                     f"or binary file?); save it as CSV in UTF-8")
        return None
    if not text.strip():
        problems.add(f"{name} is empty: expected a header line, then one line per row")
        return None
    header = [h.strip() for h in next(csv.reader(io.StringIO(text)))]
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            problems.add(f"{name} line 1: column {h} appears more than once in the header")
            return None
        seen.add(h)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as e:
        m = _FIELDS.search(str(e))
        if m:
            expected, line, saw = m.groups()
            problems.add(f"{name} line {line}: {saw} fields where the header has {expected} "
                         f"(a value with a comma must be in double quotes)")
        else:
            problems.add(f"{name} is not a comma-separated file with a header line")
        return None
    frame.columns = [h or f"(unnamed column {k + 1})" for k, h in enumerate(header)]
    frame = frame.fillna("")
    for column in frame.columns:
        frame[column] = frame[column].astype(str).str.strip()
    blank = (frame == "").all(axis=1).to_numpy()
    lines = np.flatnonzero(~blank) + 2
    frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty:
        problems.add(f"{name} has a header but no rows")
        return None
    return _Table(name, frame, lines)


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


# --------------------------------------------------------------------------- adapters

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
                                       "LeadSource", "Type")}
    missing = [n for n in _SF_REQUIRED if cols[n] is None]
    if missing:
        problems.add(f"{raw.name}: {_missing(missing)} (a Salesforce Opportunity export needs "
                     f"{', '.join(_SF_REQUIRED)}; columns found: {_listing(list(f.columns))})")
        return None
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


def _detect(frame: pd.DataFrame) -> str:
    """The form of deals.csv, from its header."""
    if "deal_id" in frame.columns:
        return "salesim"
    folded = {c.casefold() for c in frame.columns}
    if folded & {"stagename", "iswon", "accountid"}:
        return "salesforce"
    if folded & {"deal stage", "record id"}:
        return "hubspot"
    return "salesim"


def _adapt_deals(raw: _Table, problems: _Problems, notes: list[str]) -> tuple[_Table | None, str]:
    form = _detect(raw.frame)
    if form == "salesforce":
        return _salesforce(raw, problems, notes), form
    if form == "hubspot":
        return _hubspot(raw, problems, notes), form
    hint = ("" if "deal_id" in raw.frame.columns else
            "; nor is it a Salesforce Opportunity or HubSpot deals export (docs/crm.md)")
    if not _check_columns(raw, DEALS_COLUMNS, problems, hint):
        return None, form
    if note := _extra_columns_note(raw, DEALS_COLUMNS):
        notes.append(note)
    raw.frame = raw.frame[list(DEALS_COLUMNS)]
    return raw, form


# --------------------------------------------------------------------------- validation

def _parse_dates(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Dates (datetime64[ns], NaT where empty or bad), and the masks of the non-empty
    values that are not dates and of the dates outside the years the project reads."""
    filled = (values != "").to_numpy()
    shaped = values.str.fullmatch(_DATE_SHAPE).to_numpy(dtype=bool) & filled
    day = values.str.slice(0, 10).where(shaped)
    dates = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    parsed = dates.notna().to_numpy()
    years = dates.dt.year
    in_range = ((years >= _FIRST_YEAR) & (years <= _LAST_YEAR)).to_numpy(dtype=bool)
    dates = dates.where(in_range)
    return dates.astype("datetime64[ns]"), filled & ~parsed, parsed & ~in_range


def _check_values(table: _Table, spec: _Spec, problems: _Problems) -> dict[str, pd.Series]:
    """Checks each column on its own; returns the typed columns (dates, amount)."""
    f = table.frame
    typed: dict[str, pd.Series] = {}
    for column, kind, required in spec:
        values = f[column]
        empty = (values == "").to_numpy()
        if required:
            problems.rows(table, empty, column, lambda i, c=column: f"empty ({c} is required)")
        if kind == "id":
            repeated = values.duplicated().to_numpy() & ~empty
            if repeated.any():
                first = pd.Series(table.lines, index=values.index).groupby(values).transform("min")
                problems.rows(table, repeated, column, lambda i, v=values, fl=first: (
                    f"{v.iat[i]} is also on {table.unit} {fl.iat[i]} (ids must be unique)"))
        elif kind == "date":
            typed[column], bad, outside = _parse_dates(values)
            problems.rows(table, bad, column, lambda i, v=values: (
                f"'{v.iat[i]}' is not a date (allowed: {DATE_FORMATS})"))
            problems.rows(table, outside, column, lambda i, v=values: (
                f"{v.iat[i]} is not between {_FIRST_YEAR} and {_LAST_YEAR} (leave it empty "
                f"if there is no such date)"))
        elif kind in ("stage", "source"):
            allowed = STAGES if kind == "stage" else LEAD_SOURCES
            folded = values.str.casefold()
            bad = (~folded.isin(allowed)).to_numpy() & ~empty
            problems.rows(table, bad, column, lambda i, v=values, a=allowed: (
                f"'{v.iat[i]}' is not one of {', '.join(a)}"))
            typed[column] = folded
        elif kind == "amount":
            numbers = pd.to_numeric(values.where(~empty), errors="coerce").astype(float)
            not_number = (numbers.isna().to_numpy() | np.isinf(numbers.to_numpy())) & ~empty
            problems.rows(table, not_number, column, lambda i, v=values: (
                f"'{v.iat[i]}' is not a number (write 1234.5: no currency sign or "
                f"thousands separator)"))
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
    values = table.frame[column]
    unknown = (~values.isin(target.frame[column])).to_numpy() & (values != "").to_numpy()
    problems.rows(table, unknown, column, lambda i: f"{values.iat[i]} is not in {target.name}")


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
    return Crm(out["deals"], out["accounts"], out["owners"], incomplete, tuple(notes),
               source, form)


# --------------------------------------------------------------------------- public API

def read_crm(folder: str | Path) -> Crm:
    """Reads and validates a CRM folder; deals.csv may be a Salesforce or HubSpot export.

    Raises :class:`CrmError` listing every defect (up to :data:`MAX_PROBLEMS`).
    """
    folder = Path(folder)
    if not folder.exists():
        raise CrmError([f"the CRM folder {folder} does not exist"])
    if not folder.is_dir():
        raise CrmError([f"{folder} is not a folder: a CRM is a folder holding deals.csv, "
                        f"accounts.csv and owners.csv"])
    problems = _Problems()
    raw = {n: _read_text_csv(folder / f"{n}.csv", problems) for n in _TABLES}
    problems.raise_if_any(str(folder))
    notes: list[str] = []
    deals, form = _adapt_deals(raw["deals"], problems, notes)
    tables: dict[str, _Table] = {}
    for n in ("accounts", "owners"):
        table = raw[n]
        if _check_columns(table, _COLUMNS[n], problems):
            if note := _extra_columns_note(table, _COLUMNS[n]):
                notes.append(note)
            table.frame = table.frame[list(_COLUMNS[n])]
        tables[n] = table
    source = f"{folder} ({form})"
    problems.raise_if_any(source)
    tables["deals"] = deals
    return _validate(tables, problems, notes, source, form)


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of any dtypes as the text a CSV file would hold ("" where missing)."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        s = frame[column]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d")
        else:
            text = s.astype(object).where(s.notna()).map(str, na_action="ignore")
        out[str(column)] = text.astype(object).fillna("").astype(str).str.strip()
    return out


def frames_to_crm(deals: pd.DataFrame, accounts: pd.DataFrame, owners: pd.DataFrame) -> Crm:
    """Validates frames made in memory by the rules of :func:`read_crm` (salesim form).

    Values may be of any dtype (dates as datetime64 or text, amounts as numbers); problems
    name the frame ("deals") and the row as ``row index + 2``, as if it were a CSV line.
    """
    problems = _Problems()
    notes: list[str] = []
    tables: dict[str, _Table] = {}
    for n, frame in zip(_TABLES, (deals, accounts, owners), strict=True):
        table = _Table(n, _strings(frame).reset_index(drop=True),
                       np.arange(len(frame)) + 2, unit="row")
        if _check_columns(table, _COLUMNS[n], problems):
            if note := _extra_columns_note(table, _COLUMNS[n]):
                notes.append(note)
            table.frame = table.frame[list(_COLUMNS[n])]
        tables[n] = table
    problems.raise_if_any("frames")
    return _validate(tables, problems, notes, "frames (salesim)", "salesim")


def write_crm(crm_or_frames: Crm | Sequence[pd.DataFrame] | Mapping[str, pd.DataFrame],
              folder: str | Path) -> None:
    """Writes a CRM folder in salesim form, atomically: all three files or nothing.

    Frames (deals, accounts, owners, as a sequence or a mapping) are validated first. The
    files are written to a temporary sibling folder that is then renamed into place; a
    ``folder`` that exists and is not empty is refused with FileExistsError.
    """
    if isinstance(crm_or_frames, Crm):
        crm = crm_or_frames
    elif isinstance(crm_or_frames, Mapping):
        crm = frames_to_crm(*(crm_or_frames[n] for n in _TABLES))
    else:
        crm = frames_to_crm(*crm_or_frames)
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(f"{folder} exists and is not an empty folder: the CRM is "
                              f"written to a new or empty folder only")
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp",
                                      dir=folder.parent))
    try:
        for n, frame in zip(_TABLES, (crm.deals, crm.accounts, crm.owners), strict=True):
            frame[list(_COLUMNS[n])].to_csv(temporary / f"{n}.csv", index=False,
                                            date_format="%Y-%m-%d", na_rep="",
                                            encoding="utf-8", lineterminator="\n")
        if folder.exists():
            folder.rmdir()
        temporary.rename(folder)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
