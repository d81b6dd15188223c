"""How a file of an export is written: its encoding, delimiter, decimal mark and date form.

Exports come as their CRM and Excel write them: UTF-8 with or without a byte-order mark,
Windows code pages (cp1251 in a Russian locale), UTF-16 ("Unicode text" from Excel),
commas, semicolons or tabs between values, decimal commas and dd.mm.yyyy dates. This
module recognises each convention with a well-kept tool (a byte-order mark, then strict
UTF-8, then charset-normalizer for a code page; csv.Sniffer for the delimiter), and
converts values to the project's form (amounts as ``1234.5``, dates as
``datetime64``). What it recognised is returned as :class:`Conventions`, which the reader
states in its notes.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DATE_FORMS", "FIRST_YEAR", "LAST_YEAR", "Conventions"]

#: The date forms read, as the documentation and the messages name them.
DATE_FORMS = ("YYYY-MM-DD", "DD.MM.YYYY")
#: The years a date may fall in; outside them it is a typo or a placeholder (1899-12-30).
FIRST_YEAR, LAST_YEAR = 1900, 2100
_TIME = (r"(?:[ T](?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?"
         r"(?:\s?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?)?")
_ISO = r"\d{4}-\d{2}-\d{2}" + _TIME
_DMY = r"\d{1,2}\.\d{1,2}\.\d{4}" + _TIME
# Code pages a spreadsheet saves text in when it is not Unicode: Windows Cyrillic and
# Windows Western. charset-normalizer chooses between them by the language the text reads as.
_CODE_PAGES = ("cp1251", "cp1252")
_CODE_PAGE_NAMES = {"cp1251": "cp1251 (Windows Cyrillic)", "cp1252": "cp1252 (Windows Western)"}
_DELIMITERS = ",;\t|"
_SNIFF_LINES = 20
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
# A decimal comma: digits, optionally grouped by spaces (as Russian Excel writes thousands),
# a comma and one or more decimals; or a plain whole number.
_GROUPED = r"-?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)"
_COMMA_NUMBER = _GROUPED + r"(?:,\d+)?"


@dataclass(frozen=True)
class Conventions:
    """What one file of an export was read as: data a study can list.

    ``encoding`` names the encoding ("UTF-8", "UTF-8 with a byte-order mark",
    "UTF-16 with a byte-order mark", "cp1251 (Windows Cyrillic)", or "Excel workbook" for
    an .xlsx file); ``detected`` is True when it was a guess from the bytes (a code
    page), not certain; ``delimiter`` is "," ";" or a tab ("" for a workbook);
    ``decimal_comma`` whether amounts were written 1234,5; ``date_forms`` the date forms
    found (a subset of :data:`DATE_FORMS`).
    """

    file: str
    encoding: str = "UTF-8"
    detected: bool = False
    delimiter: str = ","
    decimal_comma: bool = False
    date_forms: tuple[str, ...] = ()

    @property
    def plain(self) -> bool:
        """Written in the project's own conventions: UTF-8, commas, 1234.5, YYYY-MM-DD."""
        return (self.encoding == "UTF-8" and self.delimiter == "," and not self.decimal_comma
                and set(self.date_forms) <= {"YYYY-MM-DD"})

    def describe(self) -> str:
        """One line for the notes, e.g. "deals.csv: cp1251 (detected), semicolons"."""
        parts = [self.encoding + (" (detected)" if self.detected else "")]
        if self.delimiter:
            name = _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))
            parts.append(f"values separated by {name}")
        if self.decimal_comma:
            parts.append("decimal comma")
        if self.date_forms:
            parts.append("dates " + " and ".join(f.lower() if f != "YYYY-MM-DD" else f
                                                for f in self.date_forms))
        if not self.delimiter:  # a workbook: its cells hold numbers and dates as such
            return f"{self.file} read as an {', '.join(parts)}"
        return f"{self.file} read as " + ", ".join(parts)


class NotText(ValueError):
    """Bytes that are no text in any encoding an export is written in."""


def decode(data: bytes) -> tuple[str, str, bool]:
    """The text of a file, the name of its encoding, and whether that was a guess.

    A byte-order mark decides (UTF-8 or UTF-16, as Excel writes "Unicode text"); else
    strict UTF-8; else the code page charset-normalizer finds most plausible. Raises
    :class:`NotText` for bytes that are none of these (a binary file)."""
    marked = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
              (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
    for bom, codec, name in marked:
        if data.startswith(bom):
            try:
                return data.decode(codec), f"{name} with a byte-order mark", False
            except UnicodeDecodeError as e:
                line = data[:e.start].count(b"\n") + 1
                raise NotText(f"it starts with a {name} byte-order mark, but line {line} "
                              f"is not {name}") from None
    try:
        return data.decode("utf-8"), "UTF-8", False
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise NotText("it holds NUL bytes")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_CODE_PAGES)).best()
    if best is None or best.encoding not in _CODE_PAGES:
        raise NotText("it is not UTF-8, UTF-16, cp1251 or cp1252 text")
    return str(best), _CODE_PAGE_NAMES[best.encoding], True


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text, from its first lines (csv.Sniffer: the character
    that splits them consistently), "," if unsure."""
    lines = text.splitlines()
    for head in ("\n".join(lines[:_SNIFF_LINES]), lines[0]):  # then the header alone
        try:
            return csv.Sniffer().sniff(head, delimiters=_DELIMITERS).delimiter
        except csv.Error:
            continue
    return ","


def decimal_comma(values: pd.Series) -> pd.Series | None:
    """Amounts written with a decimal comma (``1 234,5``) as ``1234.5``; None if the
    column is not in that form: some value has a dot, none has a comma or a space group,
    or every comma is followed by exactly three digits (``12,000``: thousands, in the
    English convention). Values of neither form are left as they are, to be refused."""
    filled = values[values != ""]
    if filled.empty or filled.str.contains(".", regex=False).any():
        return None
    fits = filled.str.fullmatch(_COMMA_NUMBER)
    marked = fits & filled.str.contains(r"[,\s\u00a0\u202f]", regex=True)
    if not marked.any():
        return None
    decimals = filled[fits].str.extract(r",(\d+)$")[0].dropna().str.len()
    if len(decimals) and (decimals == 3).all():
        return None
    fits = fits.reindex(values.index, fill_value=False)
    converted = values.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(",", ".")
    return converted.where(fits, values)


def parse_dates(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Dates of a text column: YYYY-MM-DD or DD.MM.YYYY, each with an optional time.

    Returns the dates (datetime64[ns], NaT where empty or bad), the masks of the
    non-empty values that are not dates and of the dates outside the years read, and the
    forms found. Only the date is kept, as written: a time zone is not converted."""
    filled = (values != "").to_numpy()
    iso = values.str.fullmatch(_ISO).to_numpy(dtype=bool) & filled
    dmy = values.str.fullmatch(_DMY).to_numpy(dtype=bool) & filled
    day = values.str.split(r"[ T]", n=1, regex=True).str[0]
    dates = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if iso.any():
        dates[iso] = pd.to_datetime(day[iso], format="%Y-%m-%d", errors="coerce")
    if dmy.any():
        dates[dmy] = pd.to_datetime(day[dmy], format="%d.%m.%Y", errors="coerce")
    parsed = dates.notna().to_numpy()
    years = dates.dt.year
    in_range = ((years >= FIRST_YEAR) & (years <= LAST_YEAR)).to_numpy(dtype=bool)
    dates = dates.where(in_range)
    forms = tuple(f for f, m in zip(DATE_FORMS, (iso, dmy), strict=True) if m.any())
    return dates.astype("datetime64[ns]"), filled & ~parsed, parsed & ~in_range, forms
