"""The what-if page's words in English and Russian."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "title": {"en": "What if: {name}", "ru": "Что если: {name}"},
    "assumptions": {"en": "Assumptions", "ru": "Допущения"},
    "decisive": {"en": "The assumptions that move the comparison most (by the sweep's "
                       "sensitivity); the others stay at the scenario's values.",
                 "ru": "Допущения, сильнее всего влияющие на сравнение (по анализу "
                       "чувствительности); остальные — как в сценарии."},
    "all": {"en": "Every uncertainty of the scenario; the others stay at its values.",
            "ru": "Все неопределённые параметры сценария."},
    "range": {"en": "range {low} to {high}", "ru": "диапазон от {low} до {high}"},
    "source": {"en": "source", "ru": "источник"},
    "answer": {"en": "Against {baseline}: the emulator's estimate",
               "ru": "По сравнению с «{baseline}»: оценка эмулятора"},
    "estimate_note": {
        "en": "Estimated in a few milliseconds by an emulator (Gaussian processes) fitted "
              "on {points} simulated design points; not a simulation. 90 % intervals. "
              "Held-out R² shows how much of the variation across the design it "
              "predicts for points it never saw (1 is perfect).",
        "ru": "Оценка за миллисекунды эмулятором (гауссовские процессы), обученным на "
              "{points} смоделированных точках; это не моделирование. Интервалы 90 %. "
              "R² на отложенных точках показывает, какую долю разброса по плану "
              "он предсказывает для точек, которых не видел (1 — идеально)."},
    "no_emulator": {"en": "No emulator for a single scenario: run `salesim sweep` and "
                          "`salesim emulate` for instant answers, or simulate this point.",
                    "ru": "Для одного сценария эмулятора нет: запустите `salesim sweep` и "
                          "`salesim emulate` для мгновенных ответов или смоделируйте точку."},
    "structure": {"en": "structure", "ru": "структура"},
    "contribution": {"en": "contribution", "ru": "маржинальный вклад"},
    "revenue": {"en": "revenue", "ru": "выручка"},
    "new_clients": {"en": "new clients", "ru": "новые клиенты"},
    "r2": {"en": "held-out R² / error", "ru": "R² / ошибка на отложенных"},
    "weak": {"en": "The emulator explains less than 90 % of the variation of some "
                   "contribution differences: simulate the point before deciding on it.",
             "ru": "Эмулятор объясняет меньше 90 % разброса некоторых разностей вклада: "
                   "смоделируйте точку, прежде чем на неё опираться."},
    "simulate": {"en": "Simulate this point", "ru": "Смоделировать эту точку"},
    "replications": {"en": "Replications", "ru": "Прогонов"},
    "running": {"en": "Simulating: {done} of {total} replications",
                "ru": "Моделирование: {done} из {total} прогонов"},
    "simulated": {"en": "Simulated ({reps} replications, 95 % intervals) beside the "
                        "emulator's estimate", "ru": "Моделирование ({reps} прогонов, "
                        "интервалы 95 %) рядом с оценкой эмулятора"},
    "sim_col": {"en": "simulated", "ru": "моделирование"},
    "emu_col": {"en": "emulator", "ru": "эмулятор"},
    "failed": {"en": "The simulation failed: {error}", "ru": "Моделирование не удалось: "
               "{error}"},
    "save": {"en": "Save as scenario", "ru": "Сохранить как сценарий"},
    "report": {"en": "Write the owner's report", "ru": "Написать отчёт для владельца"},
    "saved": {"en": "Scenario saved: {path}", "ru": "Сценарий сохранён: {path}"},
    "report_needs": {"en": "Simulate the point first: the report is written from the "
                           "simulation, not from the emulator.",
                     "ru": "Сначала смоделируйте точку: отчёт пишется по моделированию, "
                           "а не по эмулятору."},
    "report_written": {"en": "Report written: {path}", "ru": "Отчёт записан: {path}"},
    "stale": {"en": "The sliders moved since this simulation; it shows the point it ran.",
              "ru": "Ползунки сдвинуты после моделирования; показана смоделированная точка."},
}


def t(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language`` (English when it has none), filled in."""
    entry = TEXTS[key]
    return entry.get(language, entry["en"]).format(**values)
