"""The Bitrix24 adapter: a Bitrix24 deals export (CRM -> Сделки -> Экспорт, CSV or Excel)
read as deals.

Bitrix24 writes the field labels of its interface as headers: ID, Название (Название
сделки), Стадия сделки, Сумма, Валюта, Ответственный, Дата создания, Дата завершения
(Предполагаемая дата закрытия in some forms), Компания, Контакт, Источник, Тип. A
deal's stage is won when it is the pipeline's success stage («Сделка успешна», id WON or
C<n>:WON) and lost when it is a failure stage («Сделка провалена», LOSE; «Анализ причины
провала», APOLOGY); any other stage is open. The table docs/crm.md documents is the one
applied here.
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
    _one_currency,
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

__all__ = ["BITRIX24_LEAD_SOURCES", "BITRIX24_LOST", "BITRIX24_WON"]

_BX_REQUIRED = ("ID", "Ответственный", "Дата создания", "Компания")
_BX_STAGE = ("Стадия сделки", "Стадия")
_BX_CLOSE = ("Дата завершения", "Предполагаемая дата закрытия")
#: Success and failure stages: names of the default pipeline and their ids.
BITRIX24_WON = ("сделка успешна", "won")
BITRIX24_LOST = ("сделка провалена", "анализ причины провала", "lose", "apology")
#: Bitrix24's standard deal sources (Источник), label or id -> lead_source.
BITRIX24_LEAD_SOURCES = MappingProxyType({
    "звонок": "inbound", "call": "inbound", "обратный звонок": "inbound",
    "callback": "inbound", "веб-сайт": "inbound", "web": "inbound",
    "электронная почта": "inbound", "email": "inbound", "crm-форма": "inbound",
    "webform": "inbound", "интернет-магазин": "inbound", "store": "inbound",
    "по рекомендации": "referral", "recommendation": "referral", "партнер": "referral",
    "партнёр": "referral", "partner": "referral",
    "реклама": "marketing", "advertising": "marketing", "выставка": "marketing",
    "trade_show": "marketing", "e-mail рассылка": "marketing",
    "генератор продаж": "marketing", "rc_generator": "marketing",
    "холодный звонок": "outbound",
    "существующий клиент": "repeat", "повторные продажи": "repeat",
    "repeat_sale": "repeat",
    **{s: s for s in LEAD_SOURCES},
})


def _key(values: pd.Series) -> pd.Series:
    return values.str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()


def _bitrix24(raw: _Table, problems: _Problems, notes: list[str]) -> _Table | None:
    f = raw.frame
    cols = {n: _column(f, n) for n in (*_BX_REQUIRED, "Сумма", "Валюта", "Источник")}
    cols["stage"], cols["close"] = _column(f, *_BX_STAGE), _column(f, *_BX_CLOSE)
    missing = [n for n in _BX_REQUIRED if cols[n] is None]
    missing += [names[0] for k, names in (("stage", _BX_STAGE), ("close", _BX_CLOSE))
                if cols[k] is None]
    if missing:
        problems.add(f"{raw.name}: {_missing(missing)} (a Bitrix24 deals export needs "
                     f"{', '.join(_BX_REQUIRED)}, {_BX_STAGE[0]} and {_BX_CLOSE[0]} or "
                     f"{_BX_CLOSE[1]}; columns found: {_listing(list(f.columns))})")
        return None
    _one_currency(raw, cols["Валюта"], problems, notes)
    table = _Table(raw.name, pd.DataFrame(index=f.index), raw.lines, labels={
        "deal_id": cols["ID"], "account_id": cols["Компания"], "owner_id": cols["Ответственный"],
        "created_date": cols["Дата создания"], "closed_date": cols["close"],
        "stage": cols["stage"], "amount": cols["Сумма"] or "Сумма",
        "lead_source": cols["Источник"] or "Источник"})
    key = _key(f[cols["stage"]]).str.replace(r"^c\d+:", "", regex=True)  # a pipeline's prefix
    stage = pd.Series(np.where(key.isin(BITRIX24_WON), "won",
                               np.where(key.isin(BITRIX24_LOST), "lost", "open")), index=f.index)
    stage = stage.where(key != "", "")
    _no_closed_stage(raw, cols["stage"], stage, "Сделка успешна (WON)",
                     "Сделка провалена (LOSE), Анализ причины провала (APOLOGY)", problems)
    _fill_deals(table, f, cols, ("ID", "Ответственный", "Дата создания", "close", "Сумма"),
                f[cols["Компания"]], stage, notes)
    source = pd.Series("", index=f.index, dtype=str)
    if cols["Источник"]:
        source, unmapped = _map_labels(f[cols["Источник"]], BITRIX24_LEAD_SOURCES, _key)
        if note := _unmapped_note(table, cols["Источник"], unmapped):
            notes.append(note)
    else:
        notes.append(f"{raw.name}: no Источник column: every lead_source is empty")
    table.frame["lead_source"] = source
    table.frame = table.frame[list(DEALS_COLUMNS)]
    notes.insert(0, f"{raw.name} read as a Bitrix24 deals export")
    if note := _extra_columns_note(raw, [c for c in cols.values() if c]):
        notes.append(note)
    return table
