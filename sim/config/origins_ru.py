"""The Russian of every source comment of ``scenarios/default.yaml`` that the report
shows beside a default number (:func:`sim.config.origins.default_origins`), keyed by
the English comment: a comment changed without its translation shows in English, and
a test lists it. Cited works keep their authors' names and titles.
"""

RU: dict[str, str] = {
    "design default: territory size":
        "значение проектного задания: размер территории",
    "design default: segment mix":
        "значение проектного задания: доли сегментов",
    "design default: median potential annual value":
        "значение проектного задания: медиана потенциальной годовой ценности",
    "design default: lognormal sigma":
        "значение проектного задания: сигма логнормального распределения",
    "design default":
        "значение проектного задания",
    "assumption: spread of one order around V / orders":
        "допущение: разброс одного заказа вокруг V / число заказов",
    "design default: base annual churn":
        "значение проектного задания: базовый годовой отток",
    "design default: relationship sensitivity":
        "значение проектного задания: чувствительность к отношениям",
    "assumption: win rate of a qualified opportunity at full skill":
        "допущение: доля выигранных квалифицированных сделок при полном навыке",
    "assumption: handling time of one order":
        "допущение: время обработки одного заказа",
    "assumption":
        "допущение",
    "assumption: large deals are won less often":
        "допущение: крупные сделки выигрываются реже",
    "assumption: a lost account is approachable again after 6 months":
        "допущение: к потерянной компании можно снова обратиться через 6 месяцев",
    "assumption: typical gross margin of a B2B distributor":
        "допущение: типичная валовая маржа оптового дистрибьютора",
    "assumption: brand and reputation inbound for a firm this size":
        "допущение: входящие заявки от бренда и репутации для фирмы такого размера",
    "assumption: referral leads per active client per month without recent care":
        "допущение: заявки по рекомендациям на активного клиента в месяц без недавнего внимания",
    "assumption: twice as many referrals within a care cadence of a care contact (Houghton et al."
    " 2016: referrals come from servicing)":
        "допущение: вдвое больше рекомендаций в пределах цикла заботы после контакта (Houghton et"
        " al. 2016: рекомендации приходят от обслуживания)",
    "assumption: an unanswered request goes to a competitor within a week":
        "допущение: заявка без ответа уходит к конкуренту в течение недели",
    "assumption: an order waits three working days at most":
        "допущение: заказ ждёт не больше трёх рабочих дней",
    "assumption: half of the leads contacted at once qualify":
        "допущение: половина лидов, с которыми связались сразу, квалифицируется",
    "fitted to Oldroyd, McElheran and Elkington (HBR 2011): 7x within the hour":
        "подобрано по Oldroyd, McElheran and Elkington (HBR 2011): в 7 раз выше в течение часа",
    "fitted to the same: 60x against a day's delay":
        "подобрано по тому же источнику: в 60 раз выше, чем при задержке на день",
    "assumption: first contact and qualification call":
        "допущение: первый контакт и квалифицирующий звонок",
    "assumption: chance a client leaves after a lost order":
        "допущение: вероятность ухода клиента после потерянного заказа",
    "design default: about 15 managers":
        "значение проектного задания: около 15 менеджеров",
    "design default: hours per day":
        "значение проектного задания: часов в день",
    "assumption: two months of working days to refill a seat":
        "допущение: два месяца рабочих дней, чтобы заполнить место",
    "calibrated: with the income-shortfall and market-pay terms the default classic department "
    "turns over 15-28 % a year (measured about 22 %)":
        "калибровка: с учётом недостачи дохода и рыночной оплаты классический отдел по умолчанию "
        "обновляется на 15–28 % в год (измерено около 22 %)",
    "assumption: the hazard is 1.5x at zero income relative to aspiration":
        "допущение: при нулевом доходе риск ухода в 1,5 раза выше относительно желаемого дохода",
    "a fresh department: everyone starts on day one":
        "новый отдел: все начинают в первый день",
    "design default: starting skill":
        "значение проектного задания: начальный навык",
    "normalisation":
        "нормировка",
    "chosen so the median hire is fully productive in 3-6 months (Sales Benchmark Index)":
        "подобрано так, чтобы медианный новичок выходил на полную продуктивность за 3–6 месяцев "
        "(Sales Benchmark Index)",
    "assumption: a beginner's deals are 21 % smaller at s0":
        "допущение: сделки новичка при s0 на 21 % меньше",
    "assumption: \"fully productive\" means 90 % of full skill":
        "допущение: «полная продуктивность» — 90 % полного навыка",
    "assumption: outbound call rate":
        "допущение: число звонков в час при холодном поиске",
    "assumption: share of dials that reach a decision maker":
        "допущение: доля звонков, доходящих до лица, принимающего решение",
    "assumption: share of connects that give a meeting, at full skill":
        "допущение: доля разговоров, дающих встречу, при полном навыке",
    "assumption: a proactive contact a month":
        "допущение: один проактивный контакт в месяц",
    "assumption: a care contact yields an extra order, at full skill":
        "допущение: контакт заботы даёт дополнительный заказ, при полном навыке",
    "assumption: churn rises by 75 % per cadence overdue":
        "допущение: отток растёт на 75 % за каждый просроченный цикл",
    "assumption: neglect counts up to two cadences overdue":
        "допущение: небрежение учитывается не более чем за два просроченных цикла",
    "assumption: a care contact closes 20 % of the gap to a full bond":
        "допущение: контакт заботы закрывает 20 % разрыва до полной связи",
    "assumption: a client starts with the bond of one care contact to whoever won it":
        "допущение: клиент начинает со связью одного контакта заботы с тем, кто его привлёк",
    "assumption: gamma shape of the sales cycle, coefficient of variation 0.5":
        "допущение: форма гамма-распределения цикла продажи, коэффициент вариации 0,5",
    "assumption: an untended bond fades with a one-year time constant":
        "допущение: связь без внимания угасает с постоянной времени в один год",
    "assumption, set with the dip so a departure costs 13-18 % (Shi et al. 2017)":
        "допущение, подобрано вместе с провалом так, чтобы уход сотрудника стоил 13–18 % (Shi et "
        "al. 2017)",
    "revenue of a client's first year counts as new":
        "выручка первого года клиента считается новой",
    "assumption: the ceiling, a fully driven person's share of free time for one kind of active "
    "work (Carter et al. 2014: 54 % of time on acquisition on average)":
        "допущение: потолок — доля свободного времени полностью мотивированного человека на один "
        "вид активной работы (Carter et al. 2014: в среднем 54 % времени на привлечение)",
    "assumption: the floor, given with nothing paid at the margin (Nagin et al. 2002: many work "
    "without monitoring or pay)":
        "допущение: пол — то, что отдаётся без оплаты на предельный час (Nagin et al. 2002: "
        "многие работают без контроля и оплаты)",
    "assumption: a marginal reward of 5 % of the hourly aspiration gives half of the drive above "
    "the floor":
        "допущение: предельное вознаграждение в 5 % от желаемого почасового дохода даёт половину "
        "мотивации сверх пола",
    "assumption: a manager counts two years of a new client's commissions":
        "допущение: менеджер учитывает комиссию нового клиента за два года",
    "calibrated: the median classic hire's base income meets it at ~20 months (design brief: "
    "18-24)":
        "калибровка: базовый доход медианного новичка в классической структуре достигает "
        "желаемого примерно за 20 месяцев (проектное задание: 18–24)",
    "assumption: spread of aspirations across hires":
        "допущение: разброс желаемого дохода между новичками",
    "assumption: effort falls by up to 70 % once the target is met":
        "допущение: усилия падают до 70 %, когда цель достигнута",
    "assumption: the fall happens within +-10 % of the target":
        "допущение: падение происходит в пределах ±10 % от цели",
    "assumption: habituation removes up to 30 % of the propensity":
        "допущение: привыкание снимает до 30 % склонности",
    "assumption: two-year time constant of habituation":
        "допущение: постоянная времени привыкания — два года",
    "assumption: incomes are felt as a three-month average":
        "допущение: доход ощущается как среднее за три месяца",
    "assumption: the salary taken for granted; targeting weighs the variable income against "
    "aspiration minus it":
        "допущение: оклад, принимаемый как данность; таргетирование сравнивает переменный доход с"
        " желаемым доходом за вычетом оклада",
    "assumption: 3 % of own clients' revenue":
        "допущение: 3 % выручки своих клиентов",
    "classic pays no bonus per new client":
        "в классической структуре нет бонуса за нового клиента",
    "design default: monitoring low":
        "значение проектного задания: контроль низкий",
    "assumption: what the owner asks for":
        "допущение: то, чего требует собственник",
    "a manager's own queue: first come, first served":
        "личная очередь менеджера: в порядке поступления",
    "assumption: one client in twenty is lost when handed over":
        "допущение: каждый двадцатый клиент теряется при передаче",
    "assumption: a closer's time per meeting booked by a lead developer":
        "допущение: время закрывающего на одну встречу, назначенную лидогенератором",
    "assumption: same salary as a classic manager":
        "допущение: тот же оклад, что у менеджера в классической структуре",
    "assumption: bonus per new client won":
        "допущение: бонус за каждого привлечённого клиента",
    "assumption: hunters burn out, 1.5x the quit hazard":
        "допущение: охотники выгорают, риск ухода в 1,5 раза выше",
    "assumption: roles are watched more than full-cycle managers":
        "допущение: за ролями следят больше, чем за менеджерами полного цикла",
    "personal queues: first come, first served":
        "личные очереди: в порядке поступления",
    "equal priorities: first come, first served":
        "равные приоритеты: в порядке поступления",
    "Song, Tucker and Murrell (Management Science 2015): dedicated queues 9 % faster":
        "Song, Tucker and Murrell (Management Science 2015): выделенные очереди на 9 % быстрее",
    "assumption: the bond a client feels with the firm itself":
        "допущение: связь клиента с самой фирмой",
    "assumption: 1 % of revenue shared by days worked":
        "допущение: 1 % выручки делится по отработанным дням",
    "assumption: setting the ticketing system up at a switch":
        "допущение: настройка системы заявок при переходе",
    "assumption: scripted contacts and touches a day":
        "допущение: контакты и касания по скрипту в день",
    "assumption: pay for meeting the norm every day of a month":
        "допущение: оплата за выполнение нормы каждый день месяца",
    "assumption: per task above the norm":
        "допущение: за каждую задачу сверх нормы",
    "assumption: one step of a prospect touch sequence":
        "допущение: один шаг последовательности касаний потенциального клиента",
    "assumption: the script lifts beginners' conversion to 60 % of full skill":
        "допущение: скрипт поднимает конверсию новичков до 60 % от полного навыка",
    "design default: monitoring high":
        "значение проектного задания: контроль высокий",
    "owners' queues: first come, first served":
        "очереди владельцев: в порядке поступления",
    "assumption: a third of the script and calendar works on day one of a switch":
        "допущение: треть скриптов и календаря работает с первого дня перехода",
    "design default: a defined process takes about 6 months to implement (3-18)":
        "значение проектного задания: внедрение описанного процесса занимает около 6 месяцев "
        "(3–18)",
    "design default: a defined sales process, up to +10 % win rate (CSO Insights; upper bound)":
        "значение проектного задания: описанный процесс продаж, до +10 % к доле выигранных сделок"
        " (CSO Insights; верхняя граница)",
    "assumption: designing the process and scripts":
        "допущение: разработка процесса и скриптов",
    "assumption: debugging scripts and filling the task calendar while it matures":
        "допущение: отладка скриптов и заполнение календаря задач, пока процесс созревает",
    "assumption: comparable to the payroll it replaces":
        "допущение: сопоставимо с фондом оплаты труда, который он заменяет",
    "ADBUDG (Little 1970): leads with no budget":
        "ADBUDG (Little 1970): лиды без бюджета",
    "ADBUDG saturation level, assumption":
        "уровень насыщения ADBUDG, допущение",
    "ADBUDG shape c > 1: S-shaped response, assumption":
        "форма ADBUDG c > 1: S-образный отклик, допущение",
    "budget that buys half of the range, assumption":
        "бюджет, покупающий половину диапазона, допущение",
    "Bass (1969) imitation coefficient, a typical value (Sultan, Farley and Lehmann 1990)":
        "коэффициент имитации Bass (1969), типичное значение (Sultan, Farley and Lehmann 1990)",
    "assumption: two weeks of automated nurturing":
        "допущение: две недели автоматического прогрева",
    "design default: a few dispatchers":
        "значение проектного задания: несколько диспетчеров",
    "assumption: routing one lead to production (orders: order_intake_share of their handling "
    "time)":
        "допущение: передача одного лида в работу (заказы: order_intake_share от времени их "
        "обработки)",
    "assumption: scripted conversion without a salesperson":
        "допущение: конверсия по скрипту без продавца",
    "assumption: an automated reminder does half of a care contact":
        "допущение: автоматическое напоминание даёт половину эффекта контакта заботы",
    "the dispatchers' queue: first come, first served":
        "очередь диспетчеров: в порядке поступления",
    "assumption: a dispatcher takes in and routes an order in a quarter of its handling time":
        "допущение: диспетчер принимает и передаёт заказ за четверть времени его обработки",
    "Leone (1995): 90 % of the effect within 6-9 months, a half-life of about 2 months":
        "Leone (1995): 90 % эффекта за 6–9 месяцев, период полураспада около 2 месяцев",
    "design default: marketing automation set-up, about 3,000":
        "значение проектного задания: настройка автоматизации маркетинга, около 3 000",
    "assumption, as ticket_pool":
        "допущение, как в ticket_pool",
    "key-account managers' queues: first come, first served":
        "очереди менеджеров ключевых клиентов: в порядке поступления",
    "assumption: six months to adapt to a new structure":
        "допущение: шесть месяцев на адаптацию к новой структуре",
    "assumption: compliance starts 25 points lower per year of tenure":
        "допущение: соблюдение правил начинается на 25 пунктов ниже за каждый год стажа",
    "assumption: who lost half their income adapts 1.5x slower (their reference is the old "
    "income)":
        "допущение: потерявший половину дохода адаптируется в 1,5 раза медленнее (его точка "
        "отсчёта — прежний доход)",
    "assumption: the quit hazard rises by 2x the relative loss of income...":
        "допущение: риск ухода растёт на 2× относительную потерю дохода...",
    "assumption: the quit hazard rises by 2x the relative loss of income... ...for six months "
    "(Sandvik et al. 2021: a commission cut drove out the best first)":
        "допущение: риск ухода растёт на 2× относительную потерю дохода... ...в течение шести "
        "месяцев (Sandvik et al. 2021: снижение комиссии первыми вытеснило лучших)",
    "design default: Russia 1-3 months' pay plus notice; Germany 0.5 a year of service; US 1-2 "
    "weeks a year":
        "значение проектного задания: Россия — 1–3 месячных оклада плюс срок уведомления; "
        "Германия — 0,5 оклада за год стажа; США — 1–2 недели за год",
    "assumption: recruiting a seat vacant at the switch costs a month of market pay (replacement "
    "0.5-2x annual pay incl. lost output: DePaul, Bersin)":
        "допущение: найм на место, освободившееся при переходе, стоит месячную рыночную оплату "
        "(замена 0,5–2 годовых оплат с учётом потерянной выработки: DePaul, Bersin)",
    "assumption: a month of training after a switch...":
        "допущение: месяц обучения после перехода...",
    "assumption: a month of training after a switch... ...taking a fifth of the active hours":
        "допущение: месяц обучения после перехода... ...занимающий пятую часть активных часов",
    "assumption: a client who loses its personal manager churns 1.5x as often...":
        "допущение: клиент, потерявший личного менеджера, уходит в 1,5 раза чаще...",
    "assumption: a client who loses its personal manager churns 1.5x as often... ...for six "
    "months (Shi et al. 2017: reassigned accounts lose 13-18 % of sales)":
        "допущение: клиент, потерявший личного менеджера, уходит в 1,5 раза чаще... ...в течение "
        "шести месяцев (Shi et al. 2017: переназначенные клиенты теряют 13–18 % продаж)",
    "every desk switches at once; 0.5: a pilot of half the desks (sim/model/rollout.py)...":
        "все места переходят сразу; 0,5: пилот на половине мест (sim/model/rollout.py)...",
    "every desk switches at once; 0.5: a pilot of half the desks (sim/model/rollout.py)... ...and"
    " the rest six months later (assumption: a typical pilot)":
        "все места переходят сразу; 0,5: пилот на половине мест (sim/model/rollout.py)... ...а "
        "остальные через шесть месяцев (допущение: типичный пилот)",
    "Azar, Berry and Marinescu (2019): applications fall with pay below market":
        "Azar, Berry and Marinescu (2019): откликов на вакансии меньше при оплате ниже рынка",
    "assumption: pay for performance attracts the more productive (Lazear 2000; Banker et al. "
    "2001)":
        "допущение: оплата за результат привлекает более продуктивных (Lazear 2000; Banker et al."
        " 2001)",
    "assumption: a hire is at most 1.5x (or 1/1.5x) the usual starting skill and pace":
        "допущение: новичок не более чем в 1,5 раза (или в 1/1,5 раза) отличается от обычного "
        "начального навыка и темпа",
    "derived from Webber (2015): quits rise as relative pay falls":
        "выведено из Webber (2015): увольнений больше, когда относительная оплата падает",
    "assumption: diminishing returns of monitoring (Pierce, Snow and McAfee 2015; Ahearne et al. "
    "2004)":
        "допущение: убывающая отдача от контроля (Pierce, Snow and McAfee 2015; Ahearne et al. "
        "2004)",
    "Alexander Group: about 8 reps per first-line sales manager (5-12)":
        "Alexander Group: около 8 продавцов на руководителя первой линии (5–12)",
    "BLS, derived: about 1.6x a rep's pay (1.6 x 7,000)":
        "BLS, выведено: около 1,6 оплаты продавца (1,6 × 7 000)",
    "list prices 25-175 a seat a month":
        "прайс-листы 25–175 за место в месяц",
    "help desk or ticketing, list prices 19-115":
        "служба поддержки или система заявок, прайс-листы 19–115",
    "marketing automation, list price":
        "автоматизация маркетинга, прайс-лист",
    ("argued: output ~ ability^2 in the funnel, so output sigma ~0.7, between top decile "
     "+80 % of the mean and ~8x the bottom decile in sales (Hunter, Schmidt and Judiesch "
     "1990)"):
        "обосновано: в воронке выработка ~ способность², поэтому сигма выработки ~0,7 — "
        "между +80 % к среднему у верхнего дециля и ~8-кратным разрывом с нижним в продажах "
        "(Hunter, Schmidt and Judiesch 1990)",
    "assumption: applicants considered per vacancy":
        "допущение: число кандидатов, рассматриваемых на одну вакансию",
    ("assumption: applicants' response to the plan's pay for their ability (Lazear 2000: "
     "about half of +44 % from sorting; Banker et al. 2001)"):
        "допущение: отклик кандидатов на то, сколько план платит за их способности "
        "(Lazear 2000: около половины из +44 % — за счёт отбора; Banker et al. 2001)",
    ("assumption: half of the drive above the floor at the marginal reward of a 3 % "
     "commission (the middle of the 1-6 % plans use: about 0.9 of the hourly aspiration), "
     "so the drive answers across that range"):
        "допущение: половина побуждения сверх минимума при предельном вознаграждении "
        "комиссии 3 % (середина применяемых 1–6 %: около 0,9 желаемого часового дохода), "
        "так что побуждение откликается во всём этом диапазоне",
    ('assumption: of the activity monitoring enforces, 30 % is empty activity that meets '
     'the measure (Nagin et al. 2002: many "rational cheaters"; Bevan and Hood 2006: '
     '~20-point reporting gap)'):
        "допущение: 30 % активности, которую обеспечивает контроль, — пустые действия ради "
        "показателя (Nagin et al. 2002: много «расчётливых нарушителей»; Bevan and Hood "
        "2006: разрыв в отчётности около 20 пунктов)",
    ("assumption: the market pays in proportion to ability (top sellers' outside premium "
     "is not published)"):
        "допущение: рынок платит пропорционально способностям (надбавка лучшим продавцам "
        "на стороне не опубликована)",
    ("derived from Webber (2015): quits rise as relative pay falls (against the person's "
     "own outside option)"):
        "выведено из Webber (2015): увольнения растут, когда относительная оплата падает "
        "(по сравнению с собственной внешней альтернативой человека)",
    ("not read by the model (income targeting weighs each person's own fixed pay); the CRM"
     " calibration's bounds use it"):
        "моделью не используется (таргетирование дохода учитывает собственный оклад "
        "каждого); нужно для границ калибровки по CRM",
    "the funnel: meetings and wins are each linear in skill, so output ~ ability^2":
        "воронка: встречи и выигрыши линейны по навыку, поэтому выработка ~ способность²",
    "how much of a sale needs no salesperson: Gartner surveys 2025-2026, 61-75 % of B2B "
    "buyers prefer a rep-free purchase (stated, an upper bound); a distributor's re-orders "
    "largely sell themselves":
        "какая часть продажи не требует продавца: опросы Gartner 2025–2026, 61–75 % "
        "покупателей B2B предпочитают покупать без представителя (заявленное, верхняя "
        "граница); повторные заказы дистрибьютора в основном продаются сами",
    "assumption: a wholly self-serve client's bond with the firm, relative to a full "
    "personal bond":
        "допущение: связь с фирмой клиента, покупающего полностью самостоятельно, "
        "относительно полной личной связи",
    "assumption: an account takes a contact a week without annoyance (Mapp 2016: 40 % "
    "prefer weekly marketing email)":
        "допущение: компания без раздражения принимает один контакт в неделю (Mapp 2016: "
        "40 % предпочитают маркетинговые письма раз в неделю)",
    "assumption: touched twice as often as tolerated, an account responds 2^-1.5 = 35 % "
    "as much (Zhang, Kumar and Cosguner 2017: response turns down past its peak)":
        "допущение: при контактах вдвое чаще допустимого компания откликается на "
        "2^-1,5 = 35 % (Zhang, Kumar and Cosguner 2017: отклик за пиком падает)",
    "Ascarza, Iyengar and Schleicher (JMR 2016): an unsolicited contact raised churn by "
    "3.6 points":
        "Ascarza, Iyengar and Schleicher (JMR 2016): непрошеный контакт повысил отток на "
        "3,6 пункта",
    "assumption: half of a day's shortfall against the norm is met with quick touches "
    "that count and sell nothing (Bain et al. 2002: counts pursued against quality)":
        "допущение: половина дневного недобора до нормы закрывается быстрыми касаниями, "
        "которые засчитываются, но ничего не продают (Bain et al. 2002: погоня за "
        "количеством в ущерб качеству)",
    "assumption: a quick touch takes a quarter of a full task's time":
        "допущение: быстрое касание занимает четверть времени полной задачи",
    "Batt and Colvin (AMJ 2011): performance-enhancing practices add 8.33 points of "
    "call-centre quits on a 25-50 % base, about 1.2-1.3x":
        "Batt and Colvin (AMJ 2011): практики давления добавляют 8,33 пункта увольнений "
        "в колл-центрах при базе 25–50 %, примерно в 1,2–1,3 раза",
    "assumption: a script holds back a fifth of an expert's skill above its floor":
        "допущение: скрипт сдерживает пятую часть навыка опытного сотрудника сверх "
        "своего минимума",
}
