"""Sentences of the owner's report, generated from the numbers, in English and Russian.

Nothing here has an opinion: a sentence says which structure is ahead of the baseline
on a measure, by how much, whether the paired 95 % interval excludes zero, and when the
cumulative contribution difference stays above zero. Where no interval excludes zero,
it says so. Every text, in both languages, lives in :data:`TEXTS` under one key, so a
missing translation is a test failure, not a blank in a report.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

import pandas as pd

LANGUAGES = ("en", "ru")
MINUS = "\u2212"

#: The key figures of the report: (measure, which way is better, how it is written).
KEY_MEASURES = (
    ("revenue", "higher", "money"),
    ("new_clients", "higher", "count"),
    ("contribution", "higher", "money"),
    ("lost_clients", "lower", "count"),
    ("key_person_revenue_at_risk", "lower", "money"),
    ("lead_wait_hours_mean", "lower", "hours"),
)
#: What the headline speaks of, in order.
HEADLINE_MEASURES = (("contribution", "money"), ("new_clients", "count"))

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        # measures
        "m.revenue": "revenue",
        "m.new_clients": "new clients",
        "m.contribution": "contribution",
        "m.lost_clients": "clients lost",
        "m.key_person_revenue_at_risk": "key-person risk",
        "m.lead_wait_hours_mean": "lead wait",
        "m.payback_month": "pays back from",
        "m.dip": "lowest point",
        "m.gross_margin": "revenue x margin",
        "m.payroll": "payroll",
        "m.overhead_cost": "overhead",
        "m.marketing_spend": "marketing",
        "m.transition_cost": "transition",
        "src.outbound": "outbound",
        "src.inbound": "inbound",
        "src.referral": "referral",
        "src.marketing": "marketing",
        "cause.neglect": "neglect",
        "cause.lost_order": "unanswered order",
        "cause.manager_left": "left with a manager",
        "cause.natural": "natural churn",
        "cause.handoff": "hand-off",
        # numbers
        "n.na": "n/a",
        "n.interval": "{low} to {high}",
        "n.thousand": "k",
        "n.million": "M",
        "n.hours": "h",
        "n.minutes": "min",
        "n.pp": "pp",
        "n.month": "month {month}",
        "n.not_within": "not within {months} months",
        "n.payback_band": "95 %: month {early} to month {late}",
        "n.payback_band_open": "95 %: from month {early}; at the low edge, beyond month "
                               "{months}",
        # the headline
        "h.intro": "Against {baseline}, over {months} months after the switch; differences "
                   "are paired by replication ({replications} replications) with 95 % "
                   "intervals.",
        "h.leads": "{structure} leads on {measure}: {difference} against {baseline} "
                   "({relative}), 95 % interval {low} to {high}.",
        "h.also_above": "Also above {baseline} on {measure}, with intervals that exclude "
                        "zero: {items}.",
        "h.none_above": "No structure is above {baseline} on {measure} with an interval "
                        "that excludes zero.",
        "h.below": "Below {baseline} on {measure}, with intervals that exclude zero: "
                   "{items}.",
        "h.unclear": "No clear difference from {baseline} on {measure} for {items}: their "
                     "intervals include zero.",
        "h.none_clear": "No structure differs clearly from {baseline} on {measure}: every "
                        "95 % interval includes zero.",
        "h.payback": "{structure} pays back from month {month}: from then on its "
                     "cumulative contribution stays above {baseline}'s (95 % band: month "
                     "{early} to month {late}).",
        "h.payback_open": "{structure} pays back from month {month}: from then on its "
                          "cumulative contribution stays above {baseline}'s; at the low "
                          "edge of the 95 % band, not within {months} months.",
        "h.no_payback": "{structure}'s cumulative contribution does not stay above "
                        "{baseline}'s within {months} months.",
        "h.no_payback_early": "{structure}'s cumulative contribution does not stay above "
                              "{baseline}'s within {months} months on average; at the "
                              "high edge of the 95 % band, from month {early}.",
        "h.ahead_from_start": "{structure} is ahead of {baseline} on cumulative "
                              "contribution from the first month on.",
        "h.dip": "At its lowest, in month {month}, the cumulative difference from "
                 "{baseline} is {dip} (95 % interval {low} to {high}).",
        "h.item": "{structure} {difference}",
        # chart takeaways
        "t.range": "{what}: {baseline} {base_value}; the others from {low} ({low_structure}) "
                   "to {high} ({high_structure})",
        "t.range_one": "{what}: {baseline} {base_value}, {structure} {value}",
        "t.single": "{what}: {value}",
        "t.spread": "{what}: from {low} ({low_structure}) to {high} ({high_structure})",
        "t.transition": "Cumulative contribution against {baseline} by month {month}: from "
                        "{low} ({low_structure}) to {high} ({high_structure})",
        "t.transition_one": "Cumulative contribution against {baseline} by month {month}: "
                            "{structure} {value}",
        "t.bridge": "Where the contribution difference comes from: for {structure}, "
                    "{value} in all, the largest part {part} ({part_value})",
        "t.summary": "Key measures over {months} months: means with 95 % intervals",
        "w.revenue_month": "Mean revenue per month, months {first}-{last}",
        "w.new_clients_month": "New clients per month, months {first}-{last}",
        "w.new_clients": "New clients over {months} months",
        "w.lost_clients": "Clients lost over {months} months",
        "w.moss": "Free time on active work at {tenure} months of tenure",
        # chart labels
        "c.month": "Month (0 = the month before the switch)",
        "c.month_fresh": "Month of the simulation",
        "c.before": "before the switch",
        "c.switch": "switch",
        "c.start": "start",
        "c.cumulative": "Cumulative contribution against {baseline}",
        "c.baseline": "{baseline} (baseline)",
        "c.revenue_month": "Revenue per month",
        "c.new_clients_month": "New clients per month",
        "c.tenure": "Tenure (months)",
        "c.active_share": "Free time on active work (%)",
        "c.prospecting_share": "Worked hours spent hunting (%)",
        "c.moss_row": "Free time spent on active work (hunting and client care)",
        "c.count": "Clients (mean over replications)",
        "c.effect": "Effect on contribution against {baseline}",
        "c.total": "contribution",
        "c.payback": "pays back from month {month}",
        "c.lowest": "lowest {value}",
        "c.revenue": "Revenue",
        "c.new_clients": "New clients",
        "c.contribution": "Contribution",
        "c.lost_clients": "Clients lost",
        "c.base_per_manager": "Each manager's personal base grows, then levels off "
                              "(replication {replication})",
        "c.clients_owned": "Clients owned",
        "c.one_line": "{structure}: one line per manager",
        "c.left": "manager left",
        # report
        "r.title": "Which structure for the sales department: {scenario}",
        "r.answer": "The answer in brief",
        "r.key_figures": "Key figures",
        "r.key_note": "Means over replications over the horizon; under each, the paired "
                      "difference against {baseline} with its 95 % interval. Blue: better "
                      "than {baseline}, vermillion: worse, each only where the interval "
                      "excludes zero; grey: no clear difference.",
        "r.structure": "structure",
        "r.better": "better",
        "r.worse": "worse",
        "r.unclear": "no clear difference",
        "r.transition": "The transition: before and after the switch",
        "r.transition_note": "Each panel: the cumulative paired difference of contribution "
                             "against {baseline} by month, mean over replications, shaded "
                             "95 % band; the dashed line is {baseline}. Where the line "
                             "crosses it for good, the structure has paid back.",
        "r.revenue_note": "Revenue per month: each structure's mean with its 95 % band; "
                          "the dashed line is {baseline} in every panel.",
        "r.mechanisms": "Why: the mechanisms behind the numbers",
        "r.moss_note": "By months of tenure, all managers of a structure pooled, mean over "
                       "replications with 95 % band; dashed: {baseline}. Care of clients "
                       "counts as active work, so the upper row falls only with drift of "
                       "motivation; the lower row also falls when a growing base fills the "
                       "day.",
        "r.sources_note": "Mean over replications; the dashed line marks {baseline}'s "
                          "total.",
        "r.bridge_note": "Each panel splits a structure's contribution difference against "
                         "{baseline} into its parts, each a paired difference with its 95 % "
                         "interval (lines); coloured only where the interval excludes zero.",
        "r.assumptions": "The assumptions behind the numbers",
        "r.changed": "Parameters this scenario sets differently from the defaults",
        "r.changed_none": "None: every parameter has its default value.",
        "r.parameter": "parameter",
        "r.value": "value",
        "r.default": "default",
        "r.origin": "origin",
        "r.uncertain": "Parameters the scenario marks as uncertain (what a sweep varies)",
        "r.range": "plausible range",
        "r.source": "source of the range",
        "r.origins": "Where the defaults come from",
        "r.origins_note": "Of the {total} numbers of the default scenario: {source} cite a "
                          "source, {calibrated} are calibrated to published figures, "
                          "{assumption} are assumptions and {choice} are choices of the "
                          "model (a unit, a definition, a rule such as first come, first "
                          "served). The full list is at the end.",
        "r.origins_missing": "The default scenario's file with its sources "
                             "(scenarios/default.yaml) was not found beside the package.",
        "o.source": "source",
        "o.calibrated": "calibrated",
        "o.assumption": "assumption",
        "o.choice": "choice of the model",
        "o.scenario": "set in this scenario",
        "o.default_was": "the default: {comment}",
        "r.sensitivity": "Sensitivity: what changes the answer",
        "r.sensitivity_wins": "Share of design points where each structure has the highest "
                              "mean contribution",
        "r.computed": "How it was computed",
        "r.rerun": "To run it again",
        "r.replications": "replications",
        "r.seed": "root seed",
        "r.start": "starting state",
        "r.mature": "a mature department: {years} years of warm-up under classic, then the "
                    "switch",
        "r.fresh": "a new department",
        "r.horizon": "horizon",
        "r.horizon_value": "{years} years ({months} months) after the switch",
        "r.structures": "structures",
        "r.baseline": "baseline",
        "r.created": "created",
        "r.wall": "wall time",
        "r.command": "command",
        "r.versions": "versions",
        "r.platform": "platform",
        "r.pay_scales": "pay parity scales",
        "r.failures": "failed replications",
        "r.download": "The tables as CSV files:",
        "r.appendix": "Appendix: every number of the default scenario and its origin",
        "r.footer": "Generated by salesim {version} on {created} from the files of its "
                    "results folder. Every sentence above is computed from the numbers; "
                    "none is written in advance.",
    },
    "ru": {
        "m.revenue": "выручка",
        "m.new_clients": "новые клиенты",
        "m.contribution": "маржинальная прибыль",
        "m.lost_clients": "потерянные клиенты",
        "m.key_person_revenue_at_risk": "риск ключевого сотрудника",
        "m.lead_wait_hours_mean": "ожидание лида",
        "m.payback_month": "окупается с",
        "m.dip": "худшая точка",
        "m.gross_margin": "выручка x маржа",
        "m.payroll": "фонд оплаты труда",
        "m.overhead_cost": "накладные расходы",
        "m.marketing_spend": "маркетинг",
        "m.transition_cost": "переход",
        "src.outbound": "холодный поиск",
        "src.inbound": "входящие",
        "src.referral": "рекомендации",
        "src.marketing": "маркетинг",
        "cause.neglect": "без внимания",
        "cause.lost_order": "заказ без ответа",
        "cause.manager_left": "ушли с менеджером",
        "cause.natural": "естественный отток",
        "cause.handoff": "при передаче",
        "n.na": "н/д",
        "n.interval": "от {low} до {high}",
        "n.thousand": "тыс.",
        "n.million": "млн",
        "n.hours": "ч",
        "n.minutes": "мин",
        "n.pp": "п.п.",
        "n.month": "месяц {month}",
        "n.not_within": "не в пределах {months} мес.",
        "n.payback_band": "95 %: месяцы {early}-{late}",
        "n.payback_band_open": "95 %: с месяца {early}, по нижней границе - позже "
                               "месяца {months}",
        "h.intro": "Сравнение с {baseline} за {months} мес. после перехода; разности "
                   "парные по прогонам ({replications} прогонов), с 95 % интервалами.",
        "h.leads": "По показателю «{measure}» впереди {structure}: {difference} к "
                   "{baseline} ({relative}), 95 % интервал от {low} до {high}.",
        "h.also_above": "Также выше {baseline} по показателю «{measure}», с интервалами, "
                        "не включающими ноль: {items}.",
        "h.none_above": "Ни одна структура не выше {baseline} по показателю «{measure}» с "
                        "интервалом, не включающим ноль.",
        "h.below": "Ниже {baseline} по показателю «{measure}», с интервалами, не "
                   "включающими ноль: {items}.",
        "h.unclear": "Нет явной разницы с {baseline} по показателю «{measure}» у {items}: "
                     "их интервалы включают ноль.",
        "h.none_clear": "По показателю «{measure}» ни одна структура явно не отличается от "
                        "{baseline}: все 95 % интервалы включают ноль.",
        "h.payback": "{structure} окупается с месяца {month}: начиная с него накопленная "
                     "маржинальная прибыль остаётся выше, чем у {baseline} (95 % полоса: "
                     "месяцы {early}-{late}).",
        "h.payback_open": "{structure} окупается с месяца {month}: начиная с него "
                          "накопленная маржинальная прибыль остаётся выше, чем у "
                          "{baseline}; по нижней границе 95 % полосы - не в пределах "
                          "{months} мес.",
        "h.no_payback": "Накопленная маржинальная прибыль {structure} не остаётся выше, чем "
                        "у {baseline}, в пределах {months} мес.",
        "h.no_payback_early": "В среднем накопленная маржинальная прибыль {structure} не "
                              "остаётся выше, чем у {baseline}, в пределах {months} мес.; "
                              "по верхней границе 95 % полосы - с месяца {early}.",
        "h.ahead_from_start": "{structure} опережает {baseline} по накопленной маржинальной "
                              "прибыли с первого месяца.",
        "h.dip": "В худший момент, в месяце {month}, накопленная разница с {baseline} "
                 "составляет {dip} (95 % интервал от {low} до {high}).",
        "h.item": "{structure} {difference}",
        "t.range": "{what}: {baseline} {base_value}; остальные от {low} ({low_structure}) "
                   "до {high} ({high_structure})",
        "t.range_one": "{what}: {baseline} {base_value}, {structure} {value}",
        "t.single": "{what}: {value}",
        "t.spread": "{what}: от {low} ({low_structure}) до {high} ({high_structure})",
        "t.transition": "Накопленная маржинальная прибыль к {baseline} к месяцу {month}: от "
                        "{low} ({low_structure}) до {high} ({high_structure})",
        "t.transition_one": "Накопленная маржинальная прибыль к {baseline} к месяцу "
                            "{month}: {structure} {value}",
        "t.bridge": "Из чего складывается разница: у {structure} всего {value}, больше "
                    "всего - {part} ({part_value})",
        "t.summary": "Ключевые показатели за {months} мес.: средние с 95 % интервалами",
        "w.revenue_month": "Средняя выручка в месяц, месяцы {first}-{last}",
        "w.new_clients_month": "Новые клиенты в месяц, месяцы {first}-{last}",
        "w.new_clients": "Новые клиенты за {months} мес.",
        "w.lost_clients": "Потерянные клиенты за {months} мес.",
        "w.moss": "Доля свободного времени на активную работу при стаже {tenure} мес.",
        "c.month": "Месяц (0 - месяц перед переходом)",
        "c.month_fresh": "Месяц моделирования",
        "c.before": "до перехода",
        "c.switch": "переход",
        "c.start": "начало",
        "c.cumulative": "Накопленная маржинальная прибыль к {baseline}",
        "c.baseline": "{baseline} (база)",
        "c.revenue_month": "Выручка в месяц",
        "c.new_clients_month": "Новые клиенты в месяц",
        "c.tenure": "Стаж (месяцы)",
        "c.active_share": "Свободное время на активную работу (%)",
        "c.prospecting_share": "Рабочие часы на поиск клиентов (%)",
        "c.moss_row": "Доля свободного времени на активную работу (поиск и забота о клиентах)",
        "c.count": "Клиенты (среднее по прогонам)",
        "c.effect": "Влияние на маржинальную прибыль относительно {baseline}",
        "c.total": "маржинальная прибыль",
        "c.payback": "окупается с месяца {month}",
        "c.lowest": "минимум {value}",
        "c.revenue": "Выручка",
        "c.new_clients": "Новые клиенты",
        "c.contribution": "Маржинальная прибыль",
        "c.lost_clients": "Потерянные клиенты",
        "c.base_per_manager": "Личная база каждого менеджера растёт, затем выходит на "
                              "плато (прогон {replication})",
        "c.clients_owned": "Клиентов в базе",
        "c.one_line": "{structure}: по линии на менеджера",
        "c.left": "менеджер ушёл",
        "r.title": "Какую структуру выбрать для отдела продаж: {scenario}",
        "r.answer": "Коротко",
        "r.key_figures": "Ключевые показатели",
        "r.key_note": "Средние по прогонам за весь горизонт; под каждым - парная разница с "
                      "{baseline} и её 95 % интервал. Синий: лучше, чем {baseline}, "
                      "оранжево-красный: хуже, только если интервал не включает ноль; "
                      "серый: явной разницы нет.",
        "r.structure": "структура",
        "r.better": "лучше",
        "r.worse": "хуже",
        "r.unclear": "нет явной разницы",
        "r.transition": "Переход: до и после смены структуры",
        "r.transition_note": "Каждая панель: накопленная парная разница маржинальной "
                             "прибыли с {baseline} по месяцам, среднее по прогонам, заливка "
                             "- 95 % полоса; пунктир - {baseline}. Где линия окончательно "
                             "поднимается над ним, структура окупилась.",
        "r.revenue_note": "Выручка в месяц: среднее каждой структуры с 95 % полосой; "
                          "пунктир на каждой панели - {baseline}.",
        "r.mechanisms": "Почему: механизмы за цифрами",
        "r.moss_note": "По месяцам стажа, все менеджеры структуры вместе, среднее по "
                       "прогонам с 95 % полосой; пунктир - {baseline}. Забота о клиентах "
                       "считается активной работой, поэтому верхний ряд падает только от "
                       "дрейфа мотивации; нижний падает и тогда, когда растущая база "
                       "заполняет день.",
        "r.sources_note": "Среднее по прогонам; пунктир отмечает итог {baseline}.",
        "r.bridge_note": "Каждая панель раскладывает разницу маржинальной прибыли структуры "
                         "с {baseline} на составляющие, каждая - парная разница с 95 % "
                         "интервалом (линии); цвет только там, где интервал не включает "
                         "ноль.",
        "r.assumptions": "Допущения, на которых стоят цифры",
        "r.changed": "Параметры, которые сценарий задаёт иначе, чем по умолчанию",
        "r.changed_none": "Таких нет: все параметры имеют значения по умолчанию.",
        "r.parameter": "параметр",
        "r.value": "значение",
        "r.default": "по умолчанию",
        "r.origin": "происхождение",
        "r.uncertain": "Параметры, которые сценарий считает неопределёнными (их варьирует "
                       "sweep)",
        "r.range": "правдоподобный диапазон",
        "r.source": "источник диапазона",
        "r.origins": "Откуда взяты значения по умолчанию",
        "r.origins_note": "Из {total} чисел сценария по умолчанию: {source} со ссылкой на "
                          "источник, {calibrated} откалиброваны по опубликованным данным, "
                          "{assumption} - допущения, {choice} - решения модели (единица "
                          "измерения, определение, правило вроде «в порядке очереди»). "
                          "Полный список в конце.",
        "r.origins_missing": "Файл сценария по умолчанию с источниками "
                             "(scenarios/default.yaml) рядом с пакетом не найден.",
        "o.source": "источник",
        "o.calibrated": "калибровка",
        "o.assumption": "допущение",
        "o.choice": "решение модели",
        "o.scenario": "задано в этом сценарии",
        "o.default_was": "значение по умолчанию: {comment}",
        "r.sensitivity": "Чувствительность: что меняет ответ",
        "r.sensitivity_wins": "Доля точек плана, где у структуры наибольшая средняя "
                              "маржинальная прибыль",
        "r.computed": "Как это посчитано",
        "r.rerun": "Чтобы повторить расчёт",
        "r.replications": "прогонов",
        "r.seed": "начальное зерно",
        "r.start": "начальное состояние",
        "r.mature": "сложившийся отдел: {years} лет разогрева в структуре classic, затем "
                    "переход",
        "r.fresh": "новый отдел",
        "r.horizon": "горизонт",
        "r.horizon_value": "{years} лет ({months} мес.) после перехода",
        "r.structures": "структуры",
        "r.baseline": "база сравнения",
        "r.created": "создано",
        "r.wall": "время расчёта",
        "r.command": "команда",
        "r.versions": "версии",
        "r.platform": "платформа",
        "r.pay_scales": "коэффициенты выравнивания оплаты",
        "r.failures": "неудачные прогоны",
        "r.download": "Таблицы в файлах CSV:",
        "r.appendix": "Приложение: все числа сценария по умолчанию и их происхождение",
        "r.footer": "Создано salesim {version} {created} из файлов папки результатов. "
                    "Каждое предложение выше вычислено из цифр; ни одно не написано "
                    "заранее.",
    },
}


def fields(template: str) -> set[str]:
    """The placeholders of a text template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(language: str, key: str, **values: object) -> str:
    """The text under ``key`` in ``language``, with its placeholders filled."""
    return TEXTS[language][key].format(**values)


@dataclass(frozen=True)
class Numbers:
    """Numbers written for an owner: money in thousands or millions with the scenario's
    currency, signs on differences, the decimal mark of the language."""

    language: str = "en"
    currency: str | None = None

    def t(self, key: str, **values: object) -> str:
        return text(self.language, key, **values)

    def _digits(self, value: float, digits: int, trim: bool = False) -> str:
        out = f"{abs(value):,.{digits}f}"
        if trim and "." in out:
            out = out.rstrip("0").rstrip(".")
        if self.language == "ru":
            out = out.replace(",", "\u202f").replace(".", ",")
        return out

    @staticmethod
    def _sign(value: float, signed: bool) -> str:
        if value < 0:
            return MINUS
        return "+" if signed and value > 0 else ""

    def money(self, value: float, signed: bool = False, trim: bool = False) -> str:
        """``+€1.25M``, ``−€350k`` (en); ``+1,25 млн ₽`` (ru); ``trim``: without
        trailing zeros (axis ticks: ``5M``, not ``5.00M``)."""
        if not _finite(value):
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
        if not _finite(value):
            return self.t("n.na")
        digits = 0 if abs(value) >= 100 or float(value).is_integer() else 1
        return self._sign(round(value, digits), signed) + self._digits(value, digits)

    def share(self, value: float, signed: bool = False) -> str:
        """A share as percent, or a difference of shares in percentage points."""
        if not _finite(value):
            return self.t("n.na")
        number = self._sign(round(100 * value, 1), signed) + self._digits(100 * value, 1)
        return f"{number} {self.t('n.pp')}" if signed else f"{number} %"

    def hours(self, value: float, signed: bool = False) -> str:
        """Working hours, or minutes below one hour: ``1.5 h``, ``12 min``."""
        if not _finite(value):
            return self.t("n.na")
        if abs(value) < 0.995:
            minutes = 60 * value
            return (f"{self._sign(round(minutes), signed)}{self._digits(minutes, 0)}"
                    f"\u00a0{self.t('n.minutes')}")
        return f"{self._sign(round(value, 1), signed)}{self._digits(value, 1)}\u00a0" \
               f"{self.t('n.hours')}"

    def percent(self, value: float) -> str:
        """A relative difference: ``+8.1 %``."""
        if not _finite(value):
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
        if not _finite(value):
            return self.t("n.not_within", months=months)
        return self.t("n.month", month=int(value))


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Claim:
    """One sentence of the headline and the number it states (for the report's data
    attributes: a reader, or a test, can check it against ``differences.csv``)."""

    text: str
    measure: str | None = None
    structure: str | None = None
    difference: float | None = None


def _rows(diffs: pd.DataFrame, measure: str, structures: list[str]) -> pd.DataFrame:
    d = diffs[diffs["measure"] == measure].set_index("structure")
    return d.reindex([s for s in structures if s in d.index])


def _clear(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1", "1.0")


def headline(diffs: pd.DataFrame, structures: list[str], baseline: str, months: int,
             replications: int, numbers: Numbers) -> list[Claim]:
    """The answer in a few sentences: for contribution and new clients, which structure
    leads against the baseline with an interval that excludes zero, by how much; which
    are clearly below; which show no clear difference; and when the leader on
    contribution pays back, with its dip. ``diffs`` is ``differences.csv``."""
    n = numbers
    out = [Claim(n.t("h.intro", baseline=baseline, months=months,
                     replications=replications))]
    for measure, kind in HEADLINE_MEASURES:
        d = _rows(diffs, measure, structures)
        if d.empty:
            continue
        name = n.t(f"m.{measure}")
        clear = d["excludes_zero"].map(_clear)
        above = d[clear & (d["difference"] > 0)].sort_values("difference", ascending=False)
        below = d[clear & (d["difference"] < 0)].sort_values("difference")
        unclear = [s for s in d.index if s not in above.index and s not in below.index]

        def items(frame: pd.DataFrame, kind: str = kind) -> str:
            return ", ".join(n.t("h.item", structure=s,
                                 difference=n.format(r.difference, kind, signed=True))
                             for s, r in frame.iterrows())

        if above.empty and below.empty:
            out.append(Claim(n.t("h.none_clear", baseline=baseline, measure=name), measure))
            continue
        if not above.empty:
            s, r = above.index[0], above.iloc[0]
            out.append(Claim(n.t("h.leads", structure=s, measure=name, baseline=baseline,
                                 difference=n.format(r.difference, kind, signed=True),
                                 relative=n.percent(r.relative),
                                 low=n.format(r.ci_low, kind, signed=True),
                                 high=n.format(r.ci_high, kind, signed=True)),
                             measure, s, float(r.difference)))
            if len(above) > 1:
                out.append(Claim(n.t("h.also_above", baseline=baseline, measure=name,
                                     items=items(above.iloc[1:])), measure))
            if measure == "contribution":
                out += payback_claims(diffs, s, baseline, months, n)
        else:
            out.append(Claim(n.t("h.none_above", baseline=baseline, measure=name), measure))
        if not below.empty:
            out.append(Claim(n.t("h.below", baseline=baseline, measure=name,
                                 items=items(below)), measure))
        if unclear:
            out.append(Claim(n.t("h.unclear", baseline=baseline, measure=name,
                                 items=", ".join(unclear)), measure))
    return out


def payback_claims(diffs: pd.DataFrame, structure: str, baseline: str, months: int,
                   numbers: Numbers) -> list[Claim]:
    """When ``structure`` pays back against the baseline (the first month from which the
    mean cumulative contribution difference stays above zero, with the months the 95 %
    band's edges give) and its dip, from the ``payback_month``, ``dip`` and
    ``dip_month`` rows of ``differences.csv``."""
    n = numbers
    d = diffs[diffs["structure"] == structure].set_index("measure")
    if "payback_month" not in d.index:
        return []
    p = d.loc["payback_month"]
    month, early, late = p["difference"], p["ci_low"], p["ci_high"]
    out = []
    dip = d.loc["dip"] if "dip" in d.index else None
    dip_month = d.loc["dip_month", "difference"] if "dip_month" in d.index else float("nan")
    if _finite(month) and int(month) == 1 and (dip is None or dip["difference"] >= 0):
        out.append(Claim(n.t("h.ahead_from_start", structure=structure, baseline=baseline),
                         "payback_month", structure, 1.0))
        return out
    if _finite(month):
        key = "h.payback" if _finite(late) else "h.payback_open"
        out.append(Claim(n.t(key, structure=structure, baseline=baseline, month=int(month),
                             early=int(early) if _finite(early) else int(month),
                             late=int(late) if _finite(late) else "", months=months),
                         "payback_month", structure, float(month)))
    elif _finite(early):
        out.append(Claim(n.t("h.no_payback_early", structure=structure, baseline=baseline,
                             months=months, early=int(early)), "payback_month", structure))
    else:
        out.append(Claim(n.t("h.no_payback", structure=structure, baseline=baseline,
                             months=months), "payback_month", structure))
    if dip is not None and _finite(dip["difference"]) and dip["difference"] < 0:
        out.append(Claim(n.t("h.dip", baseline=baseline, month=int(dip_month),
                             dip=n.money(dip["difference"], signed=True),
                             low=n.money(dip["ci_low"], signed=True),
                             high=n.money(dip["ci_high"], signed=True)),
                         "dip", structure, float(dip["difference"])))
    return out


def range_title(what: str, values: dict[str, float], baseline: str | None, kind: str,
                numbers: Numbers) -> str:
    """A chart's takeaway: the baseline's value and the range of the others."""
    n = numbers
    values = {s: v for s, v in values.items() if _finite(v)}
    if not values:
        return what
    if len(values) == 1:
        return n.t("t.single", what=what, value=n.format(next(iter(values.values())), kind))
    if baseline not in values:
        low, high = min(values, key=values.get), max(values, key=values.get)
        return n.t("t.spread", what=what, low=n.format(values[low], kind), low_structure=low,
                   high=n.format(values[high], kind), high_structure=high)
    others = {s: v for s, v in values.items() if s != baseline}
    base = n.format(values[baseline], kind)
    if len(others) == 1:
        (s, v), = others.items()
        return n.t("t.range_one", what=what, baseline=baseline, base_value=base, structure=s,
                   value=n.format(v, kind))
    low, high = min(others, key=others.get), max(others, key=others.get)
    return n.t("t.range", what=what, baseline=baseline, base_value=base,
               low=n.format(others[low], kind), low_structure=low,
               high=n.format(others[high], kind), high_structure=high)


def transition_title(curve: pd.DataFrame, baseline: str, numbers: Numbers) -> str:
    """The transition chart's takeaway: where each structure ends against the baseline."""
    n = numbers
    if curve.empty:
        return n.t("c.cumulative", baseline=baseline)
    last = int(curve["month"].max())
    end = curve[curve["month"] == last].set_index("structure")["difference"]
    if len(end) == 1:
        return n.t("t.transition_one", baseline=baseline, month=last, structure=end.index[0],
                   value=n.money(end.iloc[0], signed=True))
    return n.t("t.transition", baseline=baseline, month=last,
               low=n.money(end.min(), signed=True), low_structure=end.idxmin(),
               high=n.money(end.max(), signed=True), high_structure=end.idxmax())


def bridge_title(parts: pd.DataFrame, numbers: Numbers) -> str:
    """The bridge chart's takeaway for the structure with the highest contribution
    difference: its total and its largest part. ``parts``: structure, part, effect,
    with ``part == "contribution"`` for the total."""
    n = numbers
    total = parts[parts["part"] == "contribution"].set_index("structure")["effect"]
    if total.empty:
        return ""
    s = total.idxmax()
    mine = parts[(parts["structure"] == s) & (parts["part"] != "contribution")]
    big = mine.loc[mine["effect"].abs().idxmax()]
    return n.t("t.bridge", structure=s, value=n.money(total[s], signed=True),
               part=n.t(f"m.{big['part']}"), part_value=n.money(big["effect"], signed=True))
