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

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.crm.adapters import _detect
from sim.crm.amocrm import _amocrm
from sim.crm.bitrix24 import _bitrix24
from sim.crm.files import read_table
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
from sim.crm.plausible import check_dates
from sim.crm.salesforce import _salesforce
from sim.study.staging import temporary_folder

__all__ = ["frames_to_crm", "read_crm", "write_crm"]

# --------------------------------------------------------------------------- adapters

_ADAPTERS = {"salesforce": _salesforce, "hubspot": _hubspot, "amocrm": _amocrm,
             "bitrix24": _bitrix24}


def _adapt_deals(raw: _Table, problems: _Problems, notes: list[str]) -> tuple[_Table | None, str]:
    form = _detect(raw.frame)
    if form in _ADAPTERS:
        table = _ADAPTERS[form](raw, problems, notes)
        if table is not None:
            table.unit, table.read = raw.unit, raw.read
        return table, form
    hint = ("" if "deal_id" in raw.frame.columns else
            "; nor is it a Salesforce, HubSpot, amoCRM or Bitrix24 deals export "
            "(docs/crm.md)")
    if not _check_columns(raw, DEALS_COLUMNS, problems, hint):
        return None, form
    if note := _extra_columns_note(raw, DEALS_COLUMNS):
        notes.append(note)
    raw.frame = raw.frame[list(DEALS_COLUMNS)]
    return raw, form


# --------------------------------------------------------------------------- public API

def read_crm(folder: str | Path) -> Crm:
    """Reads and validates a CRM folder; deals.csv may be a Salesforce, HubSpot, amoCRM or
    Bitrix24 export, and each file a CSV in any of the conventions of
    :mod:`sim.crm.conventions` or an .xlsx workbook (:mod:`sim.crm.files`).

    Raises :class:`CrmError` listing every defect (up to :data:`MAX_PROBLEMS`, one per
    cause). What was accepted but odd (encodings, delimiters, decimal commas, date forms,
    dropped dates, ignored columns) is in the result's ``notes``, and each file's
    conventions in its ``files``.
    """
    folder = Path(folder)
    if not folder.exists():
        raise CrmError([f"the CRM folder {folder} does not exist"])
    if not folder.is_dir():
        raise CrmError([f"{folder} is not a folder: a CRM is a folder holding deals.csv, "
                        f"accounts.csv and owners.csv"])
    problems = _Problems()
    notes: list[str] = []
    raw = {n: read_table(folder, n, problems, notes) for n in _TABLES}
    problems.raise_if_any(str(folder))
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
    crm = _validate(tables, problems, notes, source, form)
    check_dates(crm, deals, _export_day(folder, raw["deals"].name), problems)
    problems.raise_if_any(source)
    return crm


def _export_day(folder: Path, name: str) -> np.datetime64:
    """The latest day the export can have been made: its deals file's last change."""
    stamp = (folder / name).stat().st_mtime
    return np.datetime64(int(stamp), "s").astype("datetime64[D]")


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
