"""One file of a CRM folder found and read as text: deals, accounts or owners, each as a
CSV or text file (.csv, .txt) or as an Excel workbook (.xlsx).

A text file is decoded and split by the conventions :mod:`sim.crm.conventions` recognises
(encoding, delimiter); a workbook's first sheet is read through pandas and openpyxl. Both
end as a :class:`sim.crm.format._Table` of stripped strings with each row's line (for a
workbook: its row in the sheet), blank rows dropped, so the checks that follow do not know
where the values came from.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from sim.crm.conventions import Conventions, NotText, decode, sniff_delimiter
from sim.crm.format import _Problems, _Table

#: The forms a file of a CRM folder may take, by its name's suffix.
SUFFIXES = (".csv", ".txt", ".xlsx")
_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_ZIP = b"PK\x03\x04"  # an .xlsx workbook is a zip archive
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def read_table(folder: Path, stem: str, problems: _Problems, notes: list[str]) -> _Table | None:
    """The file ``stem`` (deals, accounts, owners) of a CRM folder, or None (with the
    problem recorded): ``stem.csv``, ``stem.txt`` or ``stem.xlsx``, exactly one of them."""
    found = [folder / f"{stem}{s}" for s in SUFFIXES if (folder / f"{stem}{s}").is_file()]
    if not found and (folder / f"{stem}.xls").is_file():
        problems.add(f"{stem}.xls is an old Excel file or an HTML table (as Bitrix24's "
                     f"Excel export is), which is not read: open it in a spreadsheet and "
                     f"save it as {stem}.xlsx or as CSV")
        return None
    if not found:
        problems.add(f"{stem}.csv is missing from the CRM folder {folder} (a CRM folder holds "
                     f"deals.csv, accounts.csv and owners.csv; each may instead be a .txt "
                     f"text file or an .xlsx workbook)")
        return None
    if len(found) > 1:
        problems.add(f"{' and '.join(p.name for p in found)} are both in the CRM folder "
                     f"{folder}: keep one of them")
        return None
    path = found[0]
    if path.suffix == ".xlsx":
        return _read_workbook(path, problems, notes)
    return _read_text(path, problems, notes)


def _read_text(path: Path, problems: _Problems, notes: list[str]) -> _Table | None:
    name = path.name
    data = path.read_bytes()
    if data.startswith(_ZIP):
        problems.add(f"{name} is not a text file but a zip archive (an Excel workbook?): "
                     f"name a workbook {path.stem}.xlsx, or save it as CSV")
        return None
    try:
        text, encoding, guessed = decode(data)
    except NotText as e:
        problems.add(f"{name} is not a text file ({e}: a spreadsheet or binary file?); "
                     f"save it as CSV, in UTF-8 or the system's code page, or as .xlsx")
        return None
    if not text.strip():
        problems.add(f"{name} is empty: expected a header line, then one line per row")
        return None
    delimiter = sniff_delimiter(text)
    header = [h.strip() for h in next(csv.reader(io.StringIO(text), delimiter=delimiter))]
    if not _unique_header(name, header, problems):
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str,
                            keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as e:
        m = _FIELDS.search(str(e))
        if m:
            expected, line, saw = m.groups()
            problems.add(f"{name} line {line}: {saw} fields where the header has {expected} "
                         f"(a value with a {_DELIMITER_NAMES.get(delimiter, delimiter)} must "
                         f"be in double quotes)")
        else:
            problems.add(f"{name} is not a delimited text file with a header line")
        return None
    read = Conventions(name, encoding, guessed, delimiter)
    return _table(name, header, frame, np.arange(len(frame)) + 2, problems, notes, read,
                  "line")


def _read_workbook(path: Path, problems: _Problems, notes: list[str]) -> _Table | None:
    name = path.name
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheets = book.sheet_names
            frame = pd.read_excel(book, sheet_name=sheets[0], header=None, dtype=str)
    except Exception as e:  # noqa: BLE001 (openpyxl raises many kinds for a damaged file)
        problems.add(f"{name} cannot be read as an Excel workbook ({type(e).__name__}): "
                     f"save it again as .xlsx, or as CSV")
        return None
    if len(sheets) > 1:
        notes.append(f"{name}: only its first sheet, {sheets[0]!r}, was read "
                     f"(the others: {', '.join(sheets[1:])})")
    if frame.empty:
        problems.add(f"{name} is empty: expected a header row, then one row per record")
        return None
    frame = frame.fillna("")
    header = [str(h).strip() for h in frame.iloc[0]]
    if not _unique_header(name, header, problems, unit="row"):
        return None
    body = frame.iloc[1:].reset_index(drop=True)
    lines = frame.index.to_numpy()[1:] + 1  # the sheet's row numbers
    read = Conventions(name, "Excel workbook", False, "")
    return _table(name, header, body, lines, problems, notes, read, "row")


def _unique_header(name: str, header: list[str], problems: _Problems,
                   unit: str = "line") -> bool:
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            problems.add(f"{name} {unit} 1: column {h} appears more than once in the header")
            return False
        seen.add(h)
    return True


def _table(name: str, header: list[str], frame: pd.DataFrame, lines: np.ndarray,
           problems: _Problems, notes: list[str], read: Conventions,
           unit: str) -> _Table | None:
    """Stripped strings, unnamed columns named, blank rows dropped (lines kept, the drop
    noted: a spreadsheet often leaves rows of empty cells)."""
    frame.columns = [h or f"(unnamed column {k + 1})" for k, h in enumerate(header)]
    frame = frame.fillna("")
    for column in frame.columns:
        frame[column] = frame[column].astype(str).str.strip()
    blank = (frame == "").all(axis=1).to_numpy()
    lines = np.asarray(lines)[~blank]
    frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty:
        problems.add(f"{name} has a header but no rows")
        return None
    if blank.any():
        notes.append(f"{name}: {int(blank.sum())} blank {unit}{'s' if blank.sum() > 1 else ''} "
                     f"skipped")
    return _Table(name, frame, lines, unit=unit, read=read)
