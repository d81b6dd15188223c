"""Numbers written for an owner: money in thousands or millions with the scenario's
currency, signs on differences, shares, hours and months, the decimal mark of the
language (:class:`Numbers`), and the scenario's language and currency that pick them
(:func:`numbers_for`). Every sentence, table and chart of the report writes its numbers
through here, so a number reads the same wherever it appears. Digits, grouping, the
decimal mark and plural forms come from Babel (CLDR), one convention per language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from babel import Locale
from babel.numbers import format_decimal

from sim.report.texts import PLURALS, STRUCTURES, text

MINUS = "\u2212"


@dataclass(frozen=True)
class Numbers:
    """Numbers written for an owner: money in thousands or millions with the scenario's
    currency, signs on differences, the decimal mark of the language."""

    language: str = "en"
    currency: str | None = None

    def t(self, key: str, **values: object) -> str:
        return text(self.language, key, **values)

    def _digits(self, value: float, digits: int, trim: bool = False) -> str:
        """``abs(value)`` with ``digits`` decimals, grouped, in the language's CLDR
        convention (``1,234.5``; ``1 234,5``); ``trim`` drops trailing zeros."""
        pattern = "#,##0" + ("." + ("#" if trim else "0") * digits if digits else "")
        return format_decimal(round(abs(value), digits), format=pattern,
                              locale=self.language)

    def decimal(self, value: float, digits: int = 3) -> str:
        """A plain number with up to ``digits`` decimals (parameters, scales, seconds),
        signed, in the language's convention: ``0.25``; ``0,25``."""
        if not finite(value):
            return self.t("n.na")
        return self._sign(round(value, digits), False) + self._digits(value, digits, True)

    def plural(self, key: str, count: float) -> str:
        """``count`` and the word under ``key`` in the plural form the language's CLDR
        rule gives it: ``4 replications``; ``4 прогона``, ``5 прогонов``."""
        forms = PLURALS[self.language][key]
        form = Locale.parse(self.language).plural_form(abs(count))
        number = self.decimal(count, 2) if not float(count).is_integer() \
            else self._sign(count, False) + self._digits(count, 0)
        return forms.get(form, forms["other"]).format(count=number)

    def structure(self, code: str) -> str:
        """A structure's plain name (``Process and norm``), or its code where the
        catalogue has none (a scenario's hybrid)."""
        return STRUCTURES[self.language].get(code, (code, ""))[0]

    def structure_line(self, code: str) -> str:
        """A structure's one-line description (empty for a scenario's hybrid)."""
        return STRUCTURES[self.language].get(code, (code, ""))[1]

    @staticmethod
    def _sign(value: float, signed: bool) -> str:
        if value < 0:
            return MINUS
        return "+" if signed and value > 0 else ""

    def money(self, value: float, signed: bool = False, trim: bool = False) -> str:
        """``+€1.25M``, ``−€350k`` (en); ``+1,25 млн ₽`` (ru); ``trim``: without
        trailing zeros (axis ticks: ``5M``, not ``5.00M``)."""
        if not finite(value):
            return self.t("n.na")
        a = abs(value)
        if a >= 999_500:
            scaled, unit = value / 1e6, self.t("n.million")
            digits = 2 if abs(scaled) < 9.995 else 1 if abs(scaled) < 99.95 else 0
        elif a >= 999.5:
            scaled, unit = value / 1e3, self.t("n.thousand")
            digits = 1 if abs(scaled) < 99.95 else 0
        else:
            scaled, unit, digits = value, "", 0
        number = self._digits(scaled, digits, trim)
        sign = self._sign(value if round(scaled, digits) else 0.0, signed)
        cur = self.currency
        if self.language == "ru":
            return "\u00a0".join(p for p in (f"{sign}{number}", unit, cur or "") if p)
        if cur and cur.isascii() and cur.isalpha():  # a code: 1.2M RUB
            return f"{sign}{number}{unit}\u00a0{cur}"
        return f"{sign}{cur or ''}{number}{unit}"  # a symbol: €1.2M

    def count(self, value: float, signed: bool = False) -> str:
        if not finite(value):
            return self.t("n.na")
        digits = 0 if abs(value) >= 100 or float(value).is_integer() else 1
        return self._sign(round(value, digits), signed) + self._digits(value, digits)

    def share(self, value: float, signed: bool = False) -> str:
        """A share as percent, or a difference of shares in percentage points."""
        if not finite(value):
            return self.t("n.na")
        number = self._sign(round(100 * value, 1), signed) + self._digits(100 * value, 1)
        return f"{number} {self.t('n.pp')}" if signed else f"{number} %"

    def hours(self, value: float, signed: bool = False) -> str:
        """Working hours, or minutes below one hour: ``1.5 h``, ``12 min``."""
        if not finite(value):
            return self.t("n.na")
        if abs(value) < 0.995:
            minutes = 60 * value
            return (f"{self._sign(round(minutes), signed)}{self._digits(minutes, 0)}"
                    f"\u00a0{self.t('n.minutes')}")
        return f"{self._sign(round(value, 1), signed)}{self._digits(value, 1)}\u00a0" \
               f"{self.t('n.hours')}"

    def percent(self, value: float) -> str:
        """A relative difference: ``+8.1 %``."""
        if not finite(value):
            return self.t("n.na")
        return f"{self._sign(round(100 * value, 1), True)}{self._digits(100 * value, 1)} %"

    def format(self, value: float, kind: str, signed: bool = False) -> str:
        return {"money": self.money, "count": self.count, "share": self.share,
                "hours": self.hours}[kind](value, signed)

    def interval(self, low: float, high: float, kind: str, signed: bool = True) -> str:
        return self.t("n.interval", low=self.format(low, kind, signed),
                      high=self.format(high, kind, signed))

    def month(self, value: float, months: int) -> str:
        """``month 7``, or ``not within 36 months`` for NaN."""
        if not finite(value):
            return self.t("n.not_within", months=months)
        return self.t("n.month", month=int(value))


def finite(value: object) -> bool:
    """Whether ``value`` is a number that can be written (not NaN, infinite, None or
    text)."""
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def numbers_for(scenario) -> Numbers:
    """The scenario's language and currency, for charts and sentences."""
    report = getattr(scenario, "report", None)
    return Numbers(getattr(report, "language", "en"), getattr(scenario, "currency", None))
