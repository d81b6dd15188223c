"""The amoCRM adapter: an amoCRM deals export (Сделки -> Экспорт, CSV or Excel) read as deals.

amoCRM writes the labels of its interface as headers: ID, Название сделки, Бюджет,
Ответственный, Дата создания, Дата закрытия, Этап сделки (Статус in older exports),
Компания, Основной контакт. Every pipeline ends in the same two system stages,
«Успешно реализовано» (status 142) and «Закрыто и не реализовано» (143); any other
stage is open. The owner and the company are names, so owners and accounts list the
same names. The table docs/crm.md documents is the one applied here.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from sim.crm.adapters import (
    _column,
    _fill_deals,
    _map_labels,
    _no_closed_stage,
    _unmapped_note,
)
from sim.crm.format import (
    DEALS_COLUMNS,
    LEAD_SOURCES,
    _extra_columns_note,
    _listing,
    _missing,
    _Problems,
    _Table,
)

__all__ = ["AMOCRM_LEAD_SOURCES", "AMOCRM_LOST", "AMOCRM_WON"]

_AMO_REQUIRED = ("ID", "Ответственный", "Дата создания", "Дата закрытия", "Компания")
_AMO_STAGE = ("Этап сделки", "Статус сделки", "Статус", "Этап")
_AMO_CONTACT = ("Основной контакт", "Контакт")
#: The system stages that close a deal, in the Russian and the English interface.
AMOCRM_WON = ("успешно реализовано", "closed - won", "closed – won")
AMOCRM_LOST = ("закрыто и не реализовано", "closed - lost", "closed – lost")
#: Labels of a source field a department keeps (amoCRM has no standard one) -> lead_source.
AMOCRM_LEAD_SOURCES = MappingProxyType({
    "сайт": "inbound", "заявка с сайта": "inbound", "входящий звонок": "inbound",
    "входящая заявка": "inbound", "почта": "inbound",
    "рекомендация": "referral", "по рекомендации": "referral", "партнёр": "referral",
    "партнер": "referral",
    "реклама": "marketing", "выставка": "marketing", "рассылка": "marketing",
    "холодный звонок": "outbound", "исходящий звонок": "outbound",
    "повторная продажа": "repeat", "существующий клиент": "repeat",
    **{s: s for s in LEAD_SOURCES},
})


def _key(values: pd.Series) -> pd.Series:
    return values.str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()


def _amocrm(raw: _Table, problems: _Problems, notes: list[str]) -> _Table | None:
    f = raw.frame
    cols = {n: _column(f, n) for n in (*_AMO_REQUIRED, "Бюджет", "Источник")}
    cols["stage"] = _column(f, *_AMO_STAGE)
    contact = _column(f, *_AMO_CONTACT)
    missing = [n for n in _AMO_REQUIRED if cols[n] is None]
    if cols["stage"] is None:
        missing.append(_AMO_STAGE[0])
    if missing:
        problems.add(f"{raw.name}: {_missing(missing)} (an amoCRM deals export needs "
                     f"{', '.join(_AMO_REQUIRED)} and {_AMO_STAGE[0]}; columns found: "
                     f"{_listing(list(f.columns))})")
        return None
    company = f[cols["Компания"]]
    if contact is not None:  # a deal with a person and no company: the person is the client
        by_contact = (company == "") & (f[contact] != "")
        if by_contact.any():
            notes.append(f"{raw.name}: {int(by_contact.sum())} deals without a company take "
                         f"their {contact} as the account")
        company = company.where(~by_contact, f[contact])
    table = _Table(raw.name, pd.DataFrame(index=f.index), raw.lines, labels={
        "deal_id": cols["ID"], "account_id": cols["Компания"], "owner_id": cols["Ответственный"],
        "created_date": cols["Дата создания"], "closed_date": cols["Дата закрытия"],
        "stage": cols["stage"], "amount": cols["Бюджет"] or "Бюджет",
        "lead_source": cols["Источник"] or "Источник"})
    key = _key(f[cols["stage"]])
    stage = pd.Series(np.where(key.isin(AMOCRM_WON), "won",
                               np.where(key.isin(AMOCRM_LOST), "lost", "open")), index=f.index)
    stage = stage.where(key != "", "")
    _no_closed_stage(raw, cols["stage"], stage, "Успешно реализовано",
                     "Закрыто и не реализовано", problems)
    cols["amount"] = cols["Бюджет"]
    _fill_deals(table, f, cols, ("ID", "Ответственный", "Дата создания", "Дата закрытия",
                                 "amount"), company, stage, notes)
    source = pd.Series("", index=f.index, dtype=str)
    if cols["Источник"]:
        source, unmapped = _map_labels(f[cols["Источник"]], AMOCRM_LEAD_SOURCES, _key)
        if note := _unmapped_note(table, cols["Источник"], unmapped):
            notes.append(note)
    else:
        notes.append(f"{raw.name}: no Источник column: every lead_source is empty")
    table.frame["lead_source"] = source
    table.frame = table.frame[list(DEALS_COLUMNS)]
    notes.insert(0, f"{raw.name} read as an amoCRM deals export")
    if note := _extra_columns_note(raw, [c for c in (*cols.values(), contact) if c]):
        notes.append(note)
    return table
