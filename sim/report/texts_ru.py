"""Every Russian text of the owner's report, under the same keys as
:mod:`sim.report.texts_en` (a test fails when a key or a placeholder is missing from
either): measure and category names, number units, the headline's sentences, chart
takeaways and labels, and the HTML report's headings and notes. Plain data, kept apart
from the code that fills it.
"""

RU: dict[str, str] = {
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
}
