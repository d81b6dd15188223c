"""A CRM written as a vendor exports it: the deals in Salesforce, HubSpot, amoCRM or
Bitrix24 columns, and every file in a spreadsheet's conventions.

``salesim synth-crm --form amocrm --dialect excel-ru`` uses it so that the tutorials and
the tests can walk an export as a client would send it, and so that each adapter is
tested on what the writer here produced from known frames (a round trip). The labels
written are the ones each adapter reads (docs/crm.md). In the amoCRM and Bitrix24 forms
owners and companies are names, as those CRMs export them: "Менеджер 2", "Компания 17".
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from sim.crm.format import Crm
from sim.study.staging import temporary_folder

__all__ = ["DIALECTS", "WRITTEN_FORMS", "write_export"]

#: The forms deals.csv can be written in.
WRITTEN_FORMS = ("salesim", "salesforce", "hubspot", "amocrm", "bitrix24")
#: Spreadsheet conventions: (delimiter, decimal mark, date format, encoding). excel-ru is
#: Excel's "CSV (semicolon delimited)" in a Russian locale (Windows Cyrillic);
#: excel-ru-utf8 its "CSV UTF-8" (with a byte-order mark).
DIALECTS = MappingProxyType({
    "plain": (",", ".", "%Y-%m-%d", "utf-8"),
    "excel-ru": (";", ",", "%d.%m.%Y", "cp1251"),
    "excel-ru-utf8": (";", ",", "%d.%m.%Y", "utf-8-sig"),
})
_SOURCES = MappingProxyType({  # lead_source -> a label each adapter maps back
    "salesforce": {"inbound": "Web", "referral": "Partner Referral", "marketing": "Trade Show",
                   "outbound": "Cold Call", "repeat": ""},
    "hubspot": {"inbound": "Organic Search", "referral": "Referrals",
                "marketing": "Paid Search", "outbound": "Offline Sources",
                "repeat": "Offline Sources"},
    "amocrm": {"inbound": "Сайт", "referral": "Рекомендация", "marketing": "Реклама",
               "outbound": "Холодный звонок", "repeat": "Повторная продажа"},
    "bitrix24": {"inbound": "Веб-сайт", "referral": "По рекомендации",
                 "marketing": "Реклама", "outbound": "Холодный звонок",
                 "repeat": "Существующий клиент"},
})
_STAGES = MappingProxyType({
    "salesforce": {"won": "Closed Won", "lost": "Closed Lost", "open": "Negotiation/Review"},
    "hubspot": {"won": "Closed Won", "lost": "Closed Lost", "open": "Appointment Scheduled"},
    "amocrm": {"won": "Успешно реализовано", "lost": "Закрыто и не реализовано",
               "open": "Переговоры"},
    "bitrix24": {"won": "Сделка успешна", "lost": "Сделка провалена", "open": "В работе"},
})


def _names(ids: pd.Series, word: str) -> pd.Series:
    """Ids such as M2 or A17 as the names a Russian CRM exports ("Менеджер 2")."""
    return word + " " + ids.astype(str).str.lstrip("MAO")


def _vendor_deals(d: pd.DataFrame, form: str) -> pd.DataFrame:
    """The deals in a vendor's columns, values still typed (dates, floats)."""
    stage = d["stage"].map(_STAGES[form])
    source = d["lead_source"].map(_SOURCES[form]).fillna("")
    repeat = d["lead_source"] == "repeat"
    if form == "salesforce":
        return pd.DataFrame({
            "Id": d["deal_id"], "AccountId": d["account_id"], "OwnerId": d["owner_id"],
            "Name": "Deal " + d["deal_id"], "CreatedDate": d["created_date"],
            "CloseDate": d["closed_date"], "StageName": stage,
            "IsClosed": np.where(d["stage"] == "open", "false", "true"),
            "IsWon": np.where(d["stage"] == "won", "true", "false"), "Amount": d["amount"],
            "LeadSource": source,
            "Type": np.where(repeat, "Existing Customer - Upgrade", "New Customer")})
    if form == "hubspot":
        return pd.DataFrame({
            "Record ID": d["deal_id"], "Deal Name": "Deal " + d["deal_id"],
            "Deal Stage": stage, "Create Date": d["created_date"],
            "Close Date": d["closed_date"], "Deal owner": d["owner_id"], "Amount": d["amount"],
            "Deal Type": np.where(repeat, "Existing Business", "New Business"),
            "Associated Company IDs (Primary)": d["account_id"],
            "Original Traffic Source": source})
    owner, company = _names(d["owner_id"], "Менеджер"), _names(d["account_id"], "Компания")
    if form == "amocrm":
        return pd.DataFrame({
            "ID": d["deal_id"].str.lstrip("D"), "Название сделки": "Сделка " + d["deal_id"],
            "Бюджет": d["amount"], "Ответственный": owner, "Этап сделки": stage,
            "Воронка": "Продажи", "Дата создания": d["created_date"],
            "Дата закрытия": d["closed_date"], "Компания": company, "Источник": source})
    return pd.DataFrame({
        "ID": d["deal_id"].str.lstrip("D"), "Название": "Сделка " + d["deal_id"],
        "Стадия сделки": stage, "Сумма": d["amount"], "Валюта": "RUB",
        "Ответственный": owner, "Дата создания": d["created_date"],
        "Дата завершения": d["closed_date"], "Компания": company, "Источник": source})


def _frames(crm: Crm, form: str) -> dict[str, pd.DataFrame]:
    accounts, owners = crm.accounts.copy(), crm.owners.copy()
    if form in ("amocrm", "bitrix24"):
        accounts["account_id"] = _names(accounts["account_id"], "Компания")
        owners["owner_id"] = _names(owners["owner_id"], "Менеджер")
    deals = crm.deals if form == "salesim" else _vendor_deals(crm.deals, form)
    return {"deals": deals, "accounts": accounts, "owners": owners}


def _text(frame: pd.DataFrame, decimal: str, date_format: str) -> pd.DataFrame:
    """Each column as the text the dialect writes ("" where missing)."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        s = frame[column]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime(date_format)
        elif pd.api.types.is_float_dtype(s):
            text = s.map(lambda v: f"{v:.2f}".replace(".", decimal), na_action="ignore")
        else:
            text = s.astype(object)
        out[column] = text.astype(object).where(text.notna(), "")
    return out


def write_export(crm: Crm, folder: str | Path, form: str = "salesim",
                 dialect: str = "plain") -> Path:
    """Writes ``crm`` as deals.csv in ``form`` with accounts.csv and owners.csv, all in
    ``dialect``, atomically into ``folder`` (which must not exist or be empty)."""
    if form not in WRITTEN_FORMS:
        raise ValueError(f"form: {form!r} is not one of {', '.join(WRITTEN_FORMS)}")
    if dialect not in DIALECTS:
        raise ValueError(f"dialect: {dialect!r} is not one of {', '.join(DIALECTS)}")
    delimiter, decimal, date_format, encoding = DIALECTS[dialect]
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(f"{folder} exists and is not an empty folder")
    temporary = temporary_folder(folder)
    try:
        for name, frame in _frames(crm, form).items():
            _text(frame, decimal, date_format).to_csv(
                temporary / f"{name}.csv", sep=delimiter, index=False, encoding=encoding,
                lineterminator="\r\n" if dialect != "plain" else "\n")
        if folder.exists():
            folder.rmdir()
        temporary.rename(folder)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return folder
