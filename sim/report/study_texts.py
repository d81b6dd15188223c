"""The texts of a study's report (``salesim study``), in English and Russian."""

from __future__ import annotations

STUDY_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Study of the sales department from its CRM export",
        "export": "What the export showed",
        "export_intro": "The export held {deals} deals of {accounts} accounts and {owners} "
                        "managers. The department's numbers the calibration read from it, "
                        "with their 95 % intervals:",
        "parameter": "Number", "value": "Value", "interval": "95 % interval",
        "from_base": "Taken from the base scenario, because an export cannot show it",
        "fit": "How well the model reproduces the client's own history",
        "fit_intro": "Dots: the export, with its 95 % interval; line and band: the "
                     "calibrated model. Where the dots sit in the band, the model "
                     "reproduces the history.",
        "recommendation": "The recommendation and what it rests on",
        "leader": "Highest contribution: {leader}, ahead of {runner} by {margin} over the "
                  "horizon.",
        "rests_on": "The assumptions it rests on most, and roughly how far each would have "
                    "to move to close that lead (linear reading of the screening: "
                    "approximate):",
        "assumption": "Assumption", "range": "Range assumed", "move": "Move to close the lead",
        "beyond": "beyond its range", "up": "up", "down": "down",
        "screening": "Screening: Morris, {trajectories} trajectories over {factors} open "
                     "assumptions, {replications} replication(s) per point.",
        "shrunk": "The budget of {budget} allowed a smaller design than the full one (10 "
                  "trajectories, 4 replications): the effects are rougher.",
        "dropped": "The budget left no time for a screening of the open assumptions; run "
                   "again with a larger --budget.",
        "check": "What to check with the client before acting",
        "notes": "Oddities in the export that were accepted",
        "none": "None.",
        "details": "The full comparison",
        "details_link": "The comparison's tables and findings",
    },
    "ru": {
        "title": "Исследование отдела продаж по выгрузке из CRM",
        "export": "Что показала выгрузка",
        "export_intro": "В выгрузке {deals} сделок по {accounts} клиентам и {owners} "
                        "менеджерам. Показатели отдела, которые калибровка взяла из неё, "
                        "с 95-процентными интервалами:",
        "parameter": "Показатель", "value": "Значение", "interval": "95 % интервал",
        "from_base": "Взято из базового сценария, потому что выгрузка этого не показывает",
        "fit": "Насколько модель воспроизводит историю самого клиента",
        "fit_intro": "Точки — выгрузка с 95-процентным интервалом; линия и полоса — "
                     "откалиброванная модель. Если точки лежат в полосе, модель "
                     "воспроизводит историю.",
        "recommendation": "Рекомендация и на чём она держится",
        "leader": "Наибольший маржинальный доход: {leader}, впереди {runner} на {margin} "
                  "за горизонт.",
        "rests_on": "Допущения, от которых она зависит больше всего, и примерно насколько "
                    "каждое должно сдвинуться, чтобы отрыв исчез (линейное прочтение "
                    "скрининга, приблизительно):",
        "assumption": "Допущение", "range": "Принятый диапазон",
        "move": "Сдвиг, закрывающий отрыв", "beyond": "за пределами диапазона",
        "up": "вверх", "down": "вниз",
        "screening": "Скрининг: метод Морриса, {trajectories} траекторий по {factors} "
                     "открытым допущениям, {replications} прогон(а) на точку.",
        "shrunk": "Бюджет {budget} позволил лишь уменьшенный план (полный: 10 траекторий, "
                  "4 прогона): оценки грубее.",
        "dropped": "Бюджета не хватило на скрининг открытых допущений; запустите снова с "
                   "большим --budget.",
        "check": "Что проверить с клиентом до решения",
        "notes": "Принятые особенности выгрузки",
        "none": "Нет.",
        "details": "Полное сравнение",
        "details_link": "Таблицы и выводы сравнения",
    },
}

#: What to check with the client, per kind of finding.
CHECKS: dict[str, dict[str, str]] = {
    "en": {
        "assumption": "{name}: the recommendation turns if it is {move} {direction} of the "
                      "value assumed; ask the client what theirs is.",
        "base": "{name} was taken from the base scenario; confirm it with the client.",
        "warning": "{text}",
    },
    "ru": {
        "assumption": "{name}: рекомендация меняется, если оно на {move} {direction} "
                      "принятого; уточните у клиента его значение.",
        "base": "{name} взято из базового сценария; подтвердите у клиента.",
        "warning": "{text}",
    },
}
