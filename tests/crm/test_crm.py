"""The CRM input of ``salesim calibrate`` (sim/crm/): format, errors, incomplete rows,
the Salesforce and HubSpot adapters, and the atomic writer.

Each folder in tests/crm_cases/ with an expect.txt is a complete CRM but for one defect;
expect.txt holds the fragments (separated by "|") that the one problem reported must
contain. (Folders with note.txt or unusable.txt: tests/crm/test_exports.py.)
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.crm.format import (
    ACCOUNTS_COLUMNS,
    DEALS_COLUMNS,
    LEAD_SOURCES,
    MAX_PROBLEMS,
    OWNERS_COLUMNS,
    Crm,
    CrmError,
)
from sim.crm.io import frames_to_crm, read_crm, write_crm
from sim.crm.salesforce import SALESFORCE_LEAD_SOURCES

from tests.helpers import ROOT

# Folders refused by the read (expect.txt); tests/crm/test_exports.py takes the others.
CASES = sorted(p for p in (ROOT / "tests" / "crm_cases").iterdir()
               if (p / "expect.txt").is_file())

DEALS = """deal_id,account_id,owner_id,created_date,closed_date,stage,amount,lead_source
D1,A1,O1,2024-01-08,2024-02-12,won,12000,outbound
D2,A2,O1,2024-01-15,2024-03-01,lost,8000,inbound
D3,A1,O2,2024-03-04,,open,5000,repeat
D4,A3,O2,2024-02-05,2024-04-10,won,30000,referral
"""
ACCOUNTS = """account_id,created_date,segment,lost_date
A1,2024-02-12,smb,
A2,2023-06-01,mid,2024-05-31
A3,2024-04-10,enterprise,
"""
OWNERS = """owner_id,hire_date,leave_date
O1,2021-09-01,
O2,2023-01-16,
"""


def folder_with(tmp_path: Path, deals: str = DEALS, accounts: str = ACCOUNTS,
                owners: str = OWNERS) -> Path:
    folder = tmp_path / "crm"
    folder.mkdir()
    for name, text in (("deals", deals), ("accounts", accounts), ("owners", owners)):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# --------------------------------------------------------------------------- the format

def test_a_valid_folder_reads_into_typed_frames(tmp_path):
    crm = read_crm(folder_with(tmp_path))
    assert tuple(crm.deals.columns) == DEALS_COLUMNS
    assert tuple(crm.accounts.columns) == ACCOUNTS_COLUMNS
    assert tuple(crm.owners.columns) == OWNERS_COLUMNS
    assert crm.deals["created_date"].dtype == "datetime64[ns]"
    assert crm.deals["amount"].dtype == "float64"
    assert crm.deals["closed_date"].isna().tolist() == [False, False, True, False]
    assert crm.deals["stage"].tolist() == ["won", "lost", "open", "won"]
    assert crm.accounts["lost_date"].iloc[1] == day("2024-05-31")
    assert crm.format == "salesim" and crm.source.endswith("(salesim)")
    assert all(n == 0 for n in crm.incomplete.values())


def test_write_then_read_gives_equal_frames(tmp_path):
    deals = pd.DataFrame({
        "deal_id": ["D1", "D2", "D3", "D4"], "account_id": ["A1", "A2", "A1", "A3"],
        "owner_id": ["O1", "O1", "O2", "O2"],
        "created_date": pd.to_datetime(["2024-01-08", "2024-01-15", "2024-03-04",
                                        "2024-02-05"]),
        "closed_date": pd.to_datetime(["2024-02-12", "2024-03-01", None, None]),
        "stage": ["won", "lost", "open", "won"],
        "amount": [12000.5, np.nan, 5000.0, 1 / 3],
        "lead_source": ["outbound", None, "repeat", "referral"],
    })
    accounts = pd.DataFrame({
        "account_id": ["A1", "A2", "A3"],
        "created_date": ["2024-02-12", "2023-06-01", "2024-04-10"],
        "segment": ["smb", None, "enterprise"], "lost_date": [None, "2024-05-31", None]})
    owners = pd.DataFrame({"owner_id": ["O1", "O2"],
                           "hire_date": pd.to_datetime(["2021-09-01", "2023-01-16"]),
                           "leave_date": [pd.NaT, pd.Timestamp("2024-12-31")]})
    crm = frames_to_crm(deals, accounts, owners)
    write_crm(crm, tmp_path / "out")
    again = read_crm(tmp_path / "out")
    for name in ("deals", "accounts", "owners"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(crm, name))
    assert again.incomplete == crm.incomplete
    assert again.incomplete["won deals without amount"] == 0
    assert again.incomplete["closed deals without closed_date"] == 1  # D4
    assert again.deals["amount"].iloc[3] == 1 / 3  # written at full precision
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "accounts.csv", "deals.csv", "owners.csv"]


def test_frames_are_validated_by_the_same_rules_with_rows_named():
    deals = pd.read_csv(io.StringIO(DEALS), dtype=str, keep_default_na=False)
    accounts = pd.read_csv(io.StringIO(ACCOUNTS), dtype=str, keep_default_na=False)
    owners = pd.read_csv(io.StringIO(OWNERS), dtype=str, keep_default_na=False)
    deals.loc[1, "owner_id"] = "O7"
    with pytest.raises(CrmError) as e:
        frames_to_crm(deals, accounts, owners)
    assert e.value.problems == ["deals row 3, owner_id: O7 is not in owners"]


def test_date_forms_keep_the_date(tmp_path):
    deals = DEALS.replace("2024-01-08,2024-02-12", "2024-01-08 09:30,2024-02-12T17:45:10Z")
    deals = deals.replace("2024-01-15,2024-03-01",
                          "2024-01-15 09:30:12,2024-03-01T23:10:00.000+0000")
    crm = read_crm(folder_with(tmp_path, deals=deals))
    assert crm.deals["created_date"].iloc[:2].tolist() == [day("2024-01-08"), day("2024-01-15")]
    assert crm.deals["closed_date"].iloc[:2].tolist() == [day("2024-02-12"), day("2024-03-01")]


def test_extra_columns_and_blank_lines_are_ignored_and_noted(tmp_path):
    deals = DEALS.replace("lead_source\n", "lead_source,deal_name\n", 1)
    deals = deals.replace("outbound\n", "outbound,Big one\n\n")
    crm = read_crm(folder_with(tmp_path, deals=deals))
    assert len(crm.deals) == 4
    assert "deals.csv: ignored columns: deal_name" in crm.notes
    assert "deals.csv: 1 blank line skipped" in crm.notes


def test_incomplete_rows_are_kept_and_counted(tmp_path):
    deals = DEALS + ("D5,A2,O1,2024-04-01,,won,,marketing\n"
                     "D6,A3,O2,2024-04-02,2024-05-01,won,,\n"
                     "D7,A3,O2,2024-04-03,,lost,100,\n")
    accounts = ACCOUNTS.replace("A3,2024-04-10,enterprise,", "A3,2024-04-10,,")
    crm = read_crm(folder_with(tmp_path, deals=deals, accounts=accounts))
    assert len(crm.deals) == 7 and len(crm.accounts) == 3
    assert crm.incomplete == {"won deals without amount": 2, "deals without lead_source": 2,
                              "closed deals without closed_date": 2,
                              "accounts without segment": 1}
    d5 = crm.deals.set_index("deal_id").loc["D5"]
    assert math.isnan(d5["amount"]) and pd.isna(d5["closed_date"])
    assert crm.deals.set_index("deal_id").loc["D6", "lead_source"] is None
    assert crm.accounts["segment"].iloc[2] is None


# --------------------------------------------------------------------------- errors

def fragments(case: Path) -> list[str]:
    line = (case / "expect.txt").read_text(encoding="utf-8").strip()
    return [part.strip() for part in line.split("|")]


def test_the_catalogue_covers_the_errors():
    assert len(CASES) >= 15
    assert all((case / "expect.txt").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_bad_case_names_its_one_defect(case):
    with pytest.raises(CrmError) as e:
        read_crm(case)
    problems = e.value.problems
    assert len(problems) == 1, problems  # a complete CRM but for one defect
    for fragment in fragments(case):
        assert fragment in problems[0], (fragment, problems[0])
    assert "Traceback" not in problems[0] and "pandas" not in problems[0]


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(CrmError) as e:
        read_crm(tmp_path / "nowhere")
    assert e.value.problems == [f"the CRM folder {tmp_path / 'nowhere'} does not exist"]


def test_every_file_is_checked_before_failing(tmp_path):
    folder = folder_with(tmp_path)
    (folder / "deals.csv").unlink()
    (folder / "owners.csv").write_text("", encoding="utf-8")
    with pytest.raises(CrmError) as e:
        read_crm(folder)
    assert len(e.value.problems) == 2
    assert e.value.problems[0].startswith("deals.csv is missing")
    assert e.value.problems[1].startswith("owners.csv is empty")


def test_many_problems_are_listed_up_to_the_limit_then_counted(tmp_path):
    rows = "".join(f"X{i},A1,O9{i},2024-01-01,,open,,\n" for i in range(30))
    with pytest.raises(CrmError) as e:
        read_crm(folder_with(tmp_path, deals=DEALS + rows))
    problems = e.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == "deals.csv line 6, owner_id: O90 is not in owners.csv"
    assert problems[MAX_PROBLEMS - 1].startswith("deals.csv line 25,")
    assert problems[-1] == "... and 10 more"


def test_one_cause_on_many_rows_is_one_problem(tmp_path):
    rows = "".join(f"X{i},A1,O9,2024-01-01,,open,,\n" for i in range(30))
    rows += "".join(f"Y{i},,O1,2024-01-01,,open,,\n" for i in range(5))
    with pytest.raises(CrmError) as e:
        read_crm(folder_with(tmp_path, deals=DEALS + rows))
    assert sorted(e.value.problems) == [
        "deals.csv line 6, owner_id: O9 is not in owners.csv (nor on the 29 other lines "
        "that name it)",
        "deals.csv, account_id: 5 values are empty (account_id is required); first at line 36"]


def test_two_defects_in_one_row_are_both_reported(tmp_path):
    deals = DEALS.replace("D2,A2,O1,2024-01-15,2024-03-01,lost,8000,inbound",
                          "D2,A2,O1,2024-01-15,2024-03-01,lost,-1,Inbound Call")
    with pytest.raises(CrmError) as e:
        read_crm(folder_with(tmp_path, deals=deals))
    assert len(e.value.problems) == 2
    assert any("amount: -1 is negative" in p for p in e.value.problems)
    assert any("lead_source: 'Inbound Call'" in p for p in e.value.problems)


# --------------------------------------------------------------------------- adapters

SALESFORCE = '''"ID","ACCOUNTID","OWNERID","NAME","CREATEDDATE","CLOSEDATE","STAGENAME","ISCLOSED","ISWON","AMOUNT","LEADSOURCE","TYPE"
"0065g00000AbCdEAA1","0015g00000XyZ01AAA","0055g00000Own01AAA","Acme - 50 seats","2024-01-08T09:12:44.000Z","2024-02-12","Closed Won","true","true","12000.00","Web","New Customer"
"0065g00000AbCdEAA2","0015g00000XyZ02AAA","0055g00000Own01AAA","Globex renewal","2024-01-15T14:40:00.000+0000","2024-03-01","Closed Lost","true","false","8000.00","Trade Show","Existing Customer - Upgrade"
"0065g00000AbCdEAA3","0015g00000XyZ01AAA","0055g00000Own02AAA","Acme add-on","2024-03-04T08:05:00.000+0000","2024-06-30","Negotiation/Review","false","false","5000.00","Other","New Customer"
"0065g00000AbCdEAA4","0015g00000XyZ03AAA","0055g00000Own02AAA","Initech","2024-02-05T11:30:00.000+0000","2024-04-10","Closed Won","1","1","","Partner Referral",""
"0065g00000AbCdEAA5","0015g00000XyZ03AAA","0055g00000Own02AAA","Initech pilot","2024-02-06T10:00:00.000+0000","2024-02-20","Closed Lost","","","1500","Cold Call",""
"0065g00000AbCdEAA6","0015g00000XyZ02AAA","0055g00000Own01AAA","Globex, EMEA","2024-04-01T10:00:00.000+0000","2024-05-15","Prospecting","false","false","2500.5","Webinar",""
'''  # noqa: E501 (an export as the vendor writes it)
SF_ACCOUNTS = """account_id,created_date,segment,lost_date
0015g00000XyZ01AAA,2024-02-12,smb,
0015g00000XyZ02AAA,2023-06-01,mid,
0015g00000XyZ03AAA,2024-04-10,,
"""
SF_OWNERS = """owner_id,hire_date,leave_date
0055g00000Own01AAA,2021-09-01,
0055g00000Own02AAA,2023-01-16,
"""


def test_salesforce_export_maps_as_documented(tmp_path):
    crm = read_crm(folder_with(tmp_path, SALESFORCE, SF_ACCOUNTS, SF_OWNERS))
    d = crm.deals.set_index("deal_id")
    assert crm.format == "salesforce"
    assert d["stage"].tolist() == ["won", "lost", "open", "won", "lost", "open"]
    # Type "Existing Customer - ..." wins over LeadSource; the rest by the table.
    assert d["lead_source"].tolist() == ["inbound", "repeat", None, "referral", "outbound", None]
    assert d.loc["0065g00000AbCdEAA1", "created_date"] == day("2024-01-08")
    assert d.loc["0065g00000AbCdEAA1", "closed_date"] == day("2024-02-12")
    # An open opportunity's CloseDate is the expected one: dropped.
    assert pd.isna(d.loc["0065g00000AbCdEAA3", "closed_date"])
    assert pd.isna(d.loc["0065g00000AbCdEAA6", "closed_date"])
    assert d.loc["0065g00000AbCdEAA2", "account_id"] == "0015g00000XyZ02AAA"
    assert d.loc["0065g00000AbCdEAA5", "owner_id"] == "0055g00000Own02AAA"
    assert d.loc["0065g00000AbCdEAA6", "amount"] == 2500.5
    assert crm.incomplete["won deals without amount"] == 1
    assert crm.incomplete["deals without lead_source"] == 2
    assert crm.notes[0] == "deals.csv read as a Salesforce Opportunity export"
    unmapped = next(n for n in crm.notes if "could not be mapped" in n)
    assert "2 LEADSOURCE labels" in unmapped
    assert "'Other' (1 deal)" in unmapped and "'Webinar' (1 deal)" in unmapped
    assert any("CLOSEDATE dropped on 2 open deals" in n for n in crm.notes)
    assert "deals.csv: ignored columns: NAME" in crm.notes


def test_salesforce_stage_name_decides_without_the_flags(tmp_path):
    export = """Id,AccountId,OwnerId,CreatedDate,CloseDate,StageName,Amount
006A,0015g00000XyZ01AAA,0055g00000Own01AAA,2024-01-08T09:12:44.000Z,2024-02-12,Closed Won,10
006B,0015g00000XyZ01AAA,0055g00000Own01AAA,2024-01-09T09:12:44.000Z,2024-02-13,closed lost,10
006C,0015g00000XyZ01AAA,0055g00000Own01AAA,2024-01-10T09:12:44.000Z,2024-02-14,Qualification,10
"""
    crm = read_crm(folder_with(tmp_path, export, SF_ACCOUNTS, SF_OWNERS))
    assert crm.deals["stage"].tolist() == ["won", "lost", "open"]
    assert crm.deals["closed_date"].notna().tolist() == [True, True, False]
    assert crm.incomplete["deals without lead_source"] == 3
    assert any("no LeadSource or Type column" in n for n in crm.notes)


def test_salesforce_problems_name_the_vendor_column(tmp_path):
    export = SALESFORCE.replace('"2024-02-12","Closed Won"', '"2024-01-02","Closed Won"')
    with pytest.raises(CrmError) as e:
        read_crm(folder_with(tmp_path, export, SF_ACCOUNTS, SF_OWNERS))
    assert e.value.problems == [
        "deals.csv line 2, CLOSEDATE: 2024-01-02 is before CREATEDDATE 2024-01-08T09:12:44.000Z"]


HUBSPOT = '''"Record ID","Deal Name","Deal Stage","Create Date","Close Date","Deal owner","Amount","Deal Type","Original Traffic Source","Associated Company IDs (Primary)","Pipeline"
"15432100001","Acme - 50 seats","Closed Won","2024-01-08 09:12","2024-02-12 16:00","Jane Doe","12000","New Business","Organic Search","9876501","Sales Pipeline"
"15432100002","Globex renewal","Closed Lost","2024-01-15 14:40","2024-03-01 10:00","Jane Doe","8000","Existing Business","Paid Social","9876502","Sales Pipeline"
"15432100003","Acme add-on","Appointment Scheduled","2024-03-04 08:05","2024-06-30 00:00","Raj Patel","5000","New Business","REFERRALS","9876501","Sales Pipeline"
"15432100004","Initech","closedwon","2024-02-05 11:30","2024-04-10 12:00","Raj Patel","","newbusiness","Offline Sources","9876503","Sales Pipeline"
"15432100005","Initech pilot","closedlost","2024-02-06 10:00","2024-02-20 12:00","Raj Patel","1500","","AI Referrals","9876503","Sales Pipeline"
"15432100006","Globex EMEA","Contract Sent","2024-04-01 10:00","","Jane Doe","2500","existingbusiness","DIRECT_TRAFFIC","9876502","Sales Pipeline"
"15432100007","Umbrella","Closed Won","2024-04-02 10:00","2024-05-02 09:00","Jane Doe","700","","EMAIL_MARKETING","9876503","Sales Pipeline"
'''  # noqa: E501 (an export as the vendor writes it)
HS_ACCOUNTS = """account_id,created_date,segment,lost_date
9876501,2024-02-12,smb,
9876502,2023-06-01,mid,
9876503,2024-04-10,smb,
"""
HS_OWNERS = """owner_id,hire_date,leave_date
Jane Doe,2021-09-01,
Raj Patel,2023-01-16,
"""


def test_hubspot_export_maps_as_documented(tmp_path):
    crm = read_crm(folder_with(tmp_path, HUBSPOT, HS_ACCOUNTS, HS_OWNERS))
    d = crm.deals.set_index("deal_id")
    assert crm.format == "hubspot"
    assert d["stage"].tolist() == ["won", "lost", "open", "won", "lost", "open", "won"]
    assert d["lead_source"].tolist() == ["inbound", "repeat", "referral", "outbound", None,
                                         "repeat", "marketing"]
    assert d.loc["15432100001", "created_date"] == day("2024-01-08")
    assert d.loc["15432100001", "closed_date"] == day("2024-02-12")
    assert pd.isna(d.loc["15432100003", "closed_date"])  # open: expected date dropped
    assert d.loc["15432100004", "account_id"] == "9876503"
    assert d.loc["15432100003", "owner_id"] == "Raj Patel"
    assert crm.incomplete["won deals without amount"] == 1
    assert crm.incomplete["deals without lead_source"] == 1
    assert crm.notes[0] == "deals.csv read as a HubSpot deals export"
    assert any("1 Original Traffic Source label could not be mapped" in n
               and "'AI Referrals' (1 deal)" in n for n in crm.notes)
    assert any("ignored columns: Deal Name, Pipeline" in n for n in crm.notes)


def test_hubspot_several_companies_take_the_first(tmp_path):
    export = ('Record ID,Deal Stage,Create Date,Close Date,Deal owner,Associated Company IDs\n'
              '1,Closed Won,2024-01-08 09:12,2024-02-12 16:00,Jane Doe,9876502;9876501\n')
    crm = read_crm(folder_with(tmp_path, export, HS_ACCOUNTS, HS_OWNERS))
    assert crm.deals["account_id"].tolist() == ["9876502"]
    assert any("several companies" in n for n in crm.notes)
    assert crm.incomplete["won deals without amount"] == 1


# --------------------------------------------------------------------------- writing

def test_write_refuses_a_folder_that_is_not_empty(tmp_path):
    crm = read_crm(folder_with(tmp_path))
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_crm(crm, target)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm", "taken"]  # no temporary


def test_write_fills_an_empty_folder_and_leaves_nothing_else(tmp_path):
    crm = read_crm(folder_with(tmp_path))
    (tmp_path / "empty").mkdir()
    write_crm(crm, tmp_path / "empty")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm", "empty"]
    assert isinstance(read_crm(tmp_path / "empty"), Crm)


def test_a_failed_write_leaves_no_folder_behind(tmp_path, monkeypatch):
    crm = read_crm(folder_with(tmp_path))
    calls = []

    def failing_to_csv(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    original = pd.DataFrame.to_csv
    monkeypatch.setattr(pd.DataFrame, "to_csv", failing_to_csv)
    with pytest.raises(OSError, match="disk full"):
        write_crm(crm, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm"]


def test_write_validates_frames_first(tmp_path):
    crm = read_crm(folder_with(tmp_path))
    deals = crm.deals.copy()
    deals.loc[0, "stage"] = "maybe"
    with pytest.raises(CrmError):
        write_crm((deals, crm.accounts, crm.owners), tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- the documentation

DOC = (ROOT / "docs" / "crm.md").read_text(encoding="utf-8")


def test_the_documented_example_reads_as_documented(tmp_path):
    deals, accounts, owners = re.findall(r"```csv\n(.*?)```", DOC, flags=re.S)
    crm = read_crm(folder_with(tmp_path, deals, accounts, owners))
    assert crm.deals.groupby("stage").size().to_dict() == {"lost": 1, "open": 1, "won": 2}
    assert crm.incomplete["won deals without amount"] == 1


def test_the_documented_salesforce_table_is_the_one_applied():
    table = DOC.split("| LeadSource (standard picklist", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    documented = {label.strip().casefold(): source.strip().strip("`")
                  for labels, source in rows if not labels.strip().startswith("Other")
                  for label in labels.split(",")}
    applied = dict(SALESFORCE_LEAD_SOURCES)
    assert {k: applied.get(k) for k in documented} == documented
    assert set(applied) - set(documented) <= set(LEAD_SOURCES)  # each one itself
