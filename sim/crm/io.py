"""The CRM input of ``salesim calibrate``: a folder of deals.csv, accounts.csv and owners.csv.

Everything is read as text first and checked once, column by column with vectorised
pandas operations (a folder of 300,000 deals reads in seconds), so that a file on disk
(:func:`read_crm`) and frames made in memory (:func:`frames_to_crm`) meet exactly the same
rules (:mod:`sim.crm.format`). A defect fails the whole read with :class:`CrmError`, which
lists every problem with its file, line, column, value and what is allowed; a row that is
merely incomplete (a won deal without amount, say) is kept and counted in
:attr:`Crm.incomplete`. This module holds the reading of the CSV files, the choice of
adapter for deals.csv (a Salesforce or HubSpot export: :mod:`sim.crm.salesforce`,
:mod:`sim.crm.hubspot`) and the atomic writer; docs/crm.md holds the format, the errors
and the adapters' mapping tables.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.crm.adapters import _detect
from sim.crm.format import (
    _COLUMNS,
    _TABLES,
    DEALS_COLUMNS,
    Crm,
    CrmError,
    _check_columns,
    _extra_columns_note,
    _Problems,
    _Table,
    _validate,
)
from sim.crm.hubspot import _hubspot
from sim.crm.salesforce import _salesforce
from sim.study.staging import temporary_folder

__all__ = ["frames_to_crm", "read_crm", "write_crm"]

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


# --------------------------------------------------------------------------- adapters

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
    temporary = temporary_folder(folder)  # with the umask's permissions, unlike mkdtemp
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
