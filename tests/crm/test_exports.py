"""Exports as they come (sim/crm/conventions.py, files.py, plausible.py, the amoCRM and
Bitrix24 adapters): encodings, delimiters, decimal commas, dd.mm.yyyy dates, workbooks,
and the data a calibration cannot use.

Folders in tests/crm_cases/ with a note.txt are accepted, and one of the read's notes (or
the calibration's remarks) holds every fragment of it (separated by "|"); folders with an
unusable.txt are read, then refused as too thin to calibrate from with one message.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
import pytest

from sim.crm.calibration.enough import remarks, shortfalls
from sim.crm.conventions import (
    NotText,
    decimal_comma,
    decode,
    parse_dates,
    sniff_delimiter,
)
from sim.crm.io import read_crm

from tests.helpers import ROOT

FOLDERS = sorted(p for p in (ROOT / "tests" / "crm_cases").iterdir() if p.is_dir())
ACCEPTED = [p for p in FOLDERS if (p / "note.txt").is_file()]
UNUSABLE = [p for p in FOLDERS if (p / "unusable.txt").is_file()]


def fragments(path: Path) -> list[str]:
    return [f.strip() for f in path.read_text(encoding="utf-8").strip().split("|")]


def test_every_case_says_what_it_expects():
    kinds = [sum((p / f).is_file() for f in ("expect.txt", "note.txt", "unusable.txt"))
             for p in FOLDERS]
    assert kinds == [1] * len(FOLDERS)
    assert len(ACCEPTED) >= 8 and len(UNUSABLE) >= 2


@pytest.mark.parametrize("case", ACCEPTED, ids=[p.name for p in ACCEPTED])
def test_an_accepted_oddity_is_in_the_notes(case):
    crm = read_crm(case)
    said = [*crm.notes, *remarks(crm)]
    want = fragments(case / "note.txt")
    assert any(all(f in note for f in want) for note in said), (want, said)
    assert len(crm.deals) >= 4 and set(crm.deals["stage"]) <= {"won", "lost", "open"}


@pytest.mark.parametrize("case", UNUSABLE, ids=[p.name for p in UNUSABLE])
def test_a_thin_export_is_refused_with_one_message(case):
    problems = shortfalls(read_crm(case))
    assert len(problems) == 1, problems
    for f in fragments(case / "unusable.txt"):
        assert f in problems[0], (f, problems[0])


# --------------------------------------------------------------------------- conventions

def test_encodings_are_told_by_mark_or_by_guess():
    text = "ID;Ответственный\n1;Иван Петров\n"
    assert decode(codecs.BOM_UTF8 + text.encode("utf-8")) == (
        text, "UTF-8 with a byte-order mark", False)
    assert decode(text.encode("utf-16"))[:2] == (text, "UTF-16 with a byte-order mark")
    assert decode(text.encode("utf-8")) == (text, "UTF-8", False)
    assert decode(text.encode("cp1251")) == (text, "cp1251 (Windows Cyrillic)", True)
    with pytest.raises(NotText, match="UTF-8 byte-order mark, but line 1 is not UTF-8"):
        decode(codecs.BOM_UTF8 + text.encode("cp1251"))


@pytest.mark.parametrize(("header", "delimiter"), [
    ("deal_id,account_id,owner_id", ","), ("Id;AccountId;OwnerId", ";"),
    ("ID\tНазвание\tСумма", "\t"), ("single", ","),
    ("ID;Название;Сумма\n1;Лампы, 20 шт;12000,50\n2;Стол;300", ";"),
    ("ID;Название;Сумма\n1;Лампы, 20 шт, белые;12000,50\n", ";")])
def test_the_delimiter_is_sniffed_from_the_header(header, delimiter):
    assert sniff_delimiter(header + "\n") == delimiter


def test_decimal_commas_are_read_only_where_unambiguous():
    values = pd.Series(["12 000,50", "8000", "", "0,5", "1\u00a0234\u00a0567,1"])
    assert decimal_comma(values).tolist() == ["12000.50", "8000", "", "0.5", "1234567.1"]
    assert decimal_comma(pd.Series(["1234.5", "1,5"])) is None  # a dot: not this form
    assert decimal_comma(pd.Series(["1200", "30"])) is None  # nothing to convert
    assert decimal_comma(pd.Series(["30k", "1,5"])).tolist() == ["30k", "1.5"]  # 30k: refused
    assert decimal_comma(pd.Series(["12,000", "8,500"])) is None  # thousands, in English


def test_dates_in_both_forms_keep_the_day_and_name_their_forms():
    values = pd.Series(["2024-03-15", "15.03.2024 10:22:00", "5.3.2024", "", "31.02.2024",
                        "15/03/2024", "01.01.1850"])
    dates, bad, outside, forms = parse_dates(values)
    assert list(dates[:3]) == [pd.Timestamp("2024-03-15")] * 2 + [pd.Timestamp("2024-03-05")]
    assert bad.tolist() == [False, False, False, False, True, True, False]
    assert outside.tolist() == [False] * 6 + [True]
    assert forms == ("YYYY-MM-DD", "DD.MM.YYYY")


# --------------------------------------------------------------------------- Russian CRMs

def test_an_amocrm_export_in_russian_excel_conventions_maps_as_documented():
    crm = read_crm(ROOT / "tests" / "crm_cases" / "36_amocrm_cp1251")
    assert crm.format == "amocrm"
    assert crm.notes[0] == "deals.csv read as an amoCRM deals export"
    d = crm.deals.set_index("deal_id")
    assert d["stage"].to_dict() == {"1001": "won", "1002": "lost", "1003": "open",
                                    "1004": "won"}
    assert d.loc["1001", "amount"] == 12000.5
    assert d.loc["1001", "created_date"] == pd.Timestamp("2024-01-08")
    assert d.loc["1004", "account_id"] == "Пётр Иванов"  # no company: the contact
    assert d.loc["1001", "owner_id"] == "Иван Петров"
    deals_file = crm.files[0]
    assert (deals_file.file, deals_file.encoding, deals_file.detected, deals_file.delimiter,
            deals_file.decimal_comma, deals_file.date_forms) == (
        "deals.csv", "cp1251 (Windows Cyrillic)", True, ";", True, ("DD.MM.YYYY",))
    assert [f.file for f in crm.files] == ["deals.csv", "accounts.csv", "owners.csv"]


def test_a_bitrix24_workbook_maps_as_documented():
    crm = read_crm(ROOT / "tests" / "crm_cases" / "37_bitrix24_xlsx")
    assert crm.format == "bitrix24"
    d = crm.deals.set_index("deal_id")
    assert d["stage"].to_dict() == {"1": "won", "2": "lost", "3": "open", "4": "won"}
    assert d["lead_source"].to_dict() == {"1": "inbound", "2": "inbound", "3": "repeat",
                                          "4": "referral"}
    assert d.loc["1", "amount"] == 12000.5
    assert d.loc["1", "created_date"] == pd.Timestamp("2024-01-08")  # a datetime cell
    assert pd.isna(d.loc["3", "closed_date"])  # open: its expected close date dropped
    assert any("every amount is in RUB" in n for n in crm.notes)
    assert any("Дата завершения dropped on 1 open deals" in n for n in crm.notes)
    assert crm.files[0].encoding == "Excel workbook"


def test_a_workbook_problem_names_the_sheet_row(tmp_path):
    import shutil

    import openpyxl

    folder = tmp_path / "crm"
    shutil.copytree(ROOT / "tests" / "crm_cases" / "37_bitrix24_xlsx", folder)
    book = openpyxl.load_workbook(folder / "deals.xlsx")
    book.active["F3"] = "O9"  # the second deal's owner
    book.save(folder / "deals.xlsx")
    from sim.crm.format import CrmError

    with pytest.raises(CrmError) as e:
        read_crm(folder)
    assert e.value.problems == ["deals.xlsx row 3, Ответственный: O9 is not in owners.csv"]


def test_a_folder_with_two_forms_of_one_file_is_refused(tmp_path):
    import shutil

    from sim.crm.format import CrmError

    folder = tmp_path / "crm"
    shutil.copytree(ROOT / "tests" / "crm_cases" / "32_utf8_bom", folder)
    (folder / "deals.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CrmError) as e:
        read_crm(folder)
    assert e.value.problems == [f"deals.csv and deals.txt are both in the CRM folder "
                                f"{folder}: keep one of them"]


def test_an_old_excel_file_is_told_how_to_save_it(tmp_path):
    import shutil

    from sim.crm.format import CrmError

    folder = tmp_path / "crm"
    shutil.copytree(ROOT / "tests" / "crm_cases" / "32_utf8_bom", folder)
    (folder / "deals.csv").rename(folder / "deals.xls")
    with pytest.raises(CrmError) as e:
        read_crm(folder)
    assert e.value.problems[0].startswith("deals.xls is an old Excel file or an HTML table")
    assert "save it as deals.xlsx or as CSV" in e.value.problems[0]


def test_the_shipped_default_scenario_is_scenarios_default_yaml():
    from sim.config.shipped import default_scenario_path

    shipped = default_scenario_path()
    assert shipped.read_bytes() == (ROOT / "scenarios" / "default.yaml").read_bytes()


# --------------------------------------------------------------------------- writing forms

@pytest.mark.parametrize("dialect", ["plain", "excel-ru", "excel-ru-utf8"])
@pytest.mark.parametrize("form", ["salesim", "salesforce", "hubspot", "amocrm", "bitrix24"])
def test_an_export_written_in_a_form_reads_back_the_same(tmp_path, form, dialect):
    from sim.crm.forms import write_export

    crm = read_crm(ROOT / "tests" / "crm_cases" / "32_utf8_bom")
    back = read_crm(write_export(crm, tmp_path / "crm", form, dialect))
    assert back.format == form
    same = ["stage", "amount", "created_date", "closed_date", "lead_source"]
    pd.testing.assert_frame_equal(back.deals[same], crm.deals[same])
    assert (back.deals["owner_id"].factorize()[0] == crm.deals["owner_id"].factorize()[0]).all()
    if dialect != "plain":
        assert back.files[0].delimiter == ";" and back.files[0].date_forms == ("DD.MM.YYYY",)
    if dialect == "excel-ru" and form in ("amocrm", "bitrix24"):  # ASCII alone is UTF-8 too
        assert back.files[0].encoding == "cp1251 (Windows Cyrillic)"


@pytest.mark.parametrize(("heading", "vendor"), [("| Источник (amoCRM)", "amocrm"),
                                                 ("| Источник (Bitrix24)", "bitrix24")])
def test_the_documented_source_tables_are_the_ones_applied(heading, vendor):
    from sim.crm.amocrm import AMOCRM_LEAD_SOURCES
    from sim.crm.bitrix24 import BITRIX24_LEAD_SOURCES
    from sim.crm.format import LEAD_SOURCES

    doc = (ROOT / "docs" / "crm.md").read_text(encoding="utf-8")
    table = doc.split(heading, 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    documented = {label.strip().casefold(): source.strip().strip("`")
                  for labels, source in rows for label in labels.split(",")}
    applied = dict(AMOCRM_LEAD_SOURCES if vendor == "amocrm" else BITRIX24_LEAD_SOURCES)
    assert {k: applied.get(k) for k in documented} == documented
    assert set(applied) - set(documented) <= set(LEAD_SOURCES)
