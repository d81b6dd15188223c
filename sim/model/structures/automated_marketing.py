"""``automated_marketing``: marketing brings the requests, a dispatcher routes them.

The lead source buys leads with a monthly budget through the ADBUDG response curve
(Little 1970), ``L(B) = L_min + (L_max - L_min) B^c / (d + B^c)`` with
``d = half_response_budget^c``, plus word of mouth in the Bass (1969) form: a
prospect becomes a lead at rate ``q x (active clients / accounts)`` a year. Leads are
nurtured for ``nurture_days`` before they become requests. Automated reminders stand
in for care contacts at a lower effect. There is no outbound.

The dispatch organisation: a few dispatchers take every request from one queue and
route it to production in ``dispatch_hours``; nobody owns a client; requests convert
at the scripted ``close_skill``. The close skill, the reminders' effect and the
clients' bond with the firm follow from how much of a sale needs a salesperson
(``market.self_serve``, :mod:`sim.model.self_serve`) unless the scenario sets them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config.sections import Market, Skill
from sim.config.settings import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.config.structures.automated_marketing import SPEC, AutomatedMarketingSettings
from sim.model.self_serve import WithoutSalesperson, without_salesperson
from sim.model.structures.base import LeadSource, Organisation, Role
from sim.model.structures.registry import Plugin
from sim.model.structures.ticket_pool import PooledQueues
from sim.model.workday import ORDER

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.scenario import Scenario
    from sim.config.sections import Pay
    from sim.model.incentives import HourValue
    from sim.model.people import Person
    from sim.model.structures.base import Floor


def adbudg(budget: float, s: AutomatedMarketingSettings) -> float:
    """Leads a month bought by ``budget`` (ADBUDG, Little 1970).

    >>> s = AutomatedMarketingSettings(min_leads_per_month=10, max_leads_per_month=110,
    ...                                response_shape=2, half_response_budget=100)
    >>> adbudg(0, s), adbudg(100, s), round(adbudg(1e9, s), 3)
    (10.0, 60.0, 110.0)
    """
    c = s.response_shape
    x = budget ** c
    return s.min_leads_per_month + (s.max_leads_per_month - s.min_leads_per_month) * x / (
        s.half_response_budget ** c + x)


def carry_over(half_life_months: float) -> float:
    """The share of last month's effective spend that carries into this month.

    >>> carry_over(0.0), carry_over(1.0), round(carry_over(2.0), 4)
    (0.0, 0.5, 0.7071)
    """
    return 0.0 if half_life_months <= 0 else 0.5 ** (1.0 / half_life_months)



def _settings_alone(settings: AutomatedMarketingSettings) -> WithoutSalesperson:
    """What selling without a salesperson achieves when the department passes nothing:
    the default market and skill with the structure's own overrides (tests build the
    strategies this way; a department passes the scenario's own)."""
    return without_salesperson(Market(), Skill(), settings.close_skill,
                               settings.reminder_effect, settings.institutional_relationship)

class MarketingLeads(LeadSource):
    """Leads bought by the budget through ADBUDG, with the spend's effect carried over
    from month to month (adstock, Broadbent 1979: ``A_m = lambda A_(m-1) + (1 - lambda)
    B``, ``lambda`` from the half-life; Leone 1995 puts 90 % of the effect within 6-9
    months). After a switch the programme starts from nothing (``A_0 = 0``); where it was
    there from the start, at its steady state ``A = B``."""

    name = "automated_marketing"
    outbound = False

    def __init__(self, settings: AutomatedMarketingSettings,
                 alone: WithoutSalesperson | None = None):
        self.settings = settings
        alone = alone or _settings_alone(settings)
        self.reminder_effect = alone.reminder_effect
        self.setup_cost = settings.setup_cost
        self.effective_budget = settings.budget_monthly

    def start(self, reorganised: bool) -> None:
        if reorganised:
            self.effective_budget = (1.0 - self._carry()) * self.settings.budget_monthly

    def close_month(self) -> None:
        lam = self._carry()
        self.effective_budget = lam * self.effective_budget + (
            1.0 - lam) * self.settings.budget_monthly

    def _carry(self) -> float:
        return carry_over(self.settings.adstock_half_life_months)

    def paid_leads_per_day(self) -> float:
        return adbudg(self.effective_budget, self.settings) / DAYS_PER_MONTH

    def word_of_mouth_per_day(self, clients: int, accounts: int, prospects: int) -> float:
        """Bass imitation: each prospect converts to a lead at ``q x F`` a year."""
        if accounts == 0:
            return 0.0
        return self.settings.word_of_mouth_q / DAYS_PER_YEAR * clients / accounts * prospects

    def leads_per_day(self, dept: Floor) -> float:
        acc = dept.acc
        counts = acc.state_counts()
        return self.paid_leads_per_day() + self.word_of_mouth_per_day(
            int(counts[2]), acc.n, len(acc.available_prospects()))

    def nurture_days(self) -> float:
        return self.settings.nurture_days

    def draw_leads(self, dept: Floor, day: int, n_clients: int,
                   rng: np.random.Generator) -> list[tuple[float, int]]:
        """Leads bought by the budget (ADBUDG) and by word of mouth (Bass), arriving
        after nurturing."""
        acc, rec = dept.acc, dept.rec
        prospects = acc.available_prospects()
        paid = rng.poisson(self.paid_leads_per_day())
        wom_rate = self.word_of_mouth_per_day(n_clients, acc.n, len(prospects))
        rec.add("leads_word_of_mouth_expected", wom_rate)
        wom = rng.poisson(wom_rate)
        n = min(paid + wom, len(prospects))
        if n == 0:
            return []
        rec.add("leads_marketing_paid", min(paid, n))
        rec.add("leads_word_of_mouth", n - min(paid, n))
        picked = rng.choice(prospects, n, replace=False)
        acc.engaged[picked] = True
        arrive = day + rng.random(n) + self.nurture_days()
        return [(float(t), int(a)) for t, a in zip(arrive, picked, strict=True)]

    def spend_per_month(self) -> float:
        return self.settings.budget_monthly

    def overhead_per_month(self, dept: Floor) -> float:
        """The marketing-automation platform (:mod:`sim.model.control`)."""
        return dept.sc.control.marketing_platform_monthly


class Dispatch(PooledQueues, Organisation):
    name = "dispatch"
    personal = False
    commission = False
    ticketing = True
    monitoring = 1.0
    prescribed_active_share = 0.0

    def __init__(self, settings: AutomatedMarketingSettings, pay: Pay,
                 alone: WithoutSalesperson | None = None):
        PooledQueues.__init__(self, settings.priorities.model_dump())
        self.settings = settings
        self.pay = pay
        alone = alone or _settings_alone(settings)
        self.close_skill = alone.close_skill
        self.skill_floor = alone.close_skill
        self.institutional_relationship = alone.bond

    def seats(self, managers: int) -> int:
        return self.settings.dispatchers

    def roles(self, seats: int) -> list[Role]:
        return [Role("dispatcher", prospects=False, care=None, owns=False)] * seats

    def service_hours(self, kinds, hours, segments):
        """A lead takes ``dispatch_hours``; an order ``order_intake_share`` of its own
        handling time, so large orders cost dispatch capacity too."""
        return np.where(kinds == ORDER, hours * self.settings.order_intake_share,
                        self.settings.dispatch_hours)

    def work_skill(self, skill: float, now: float) -> float:
        """Requests convert at the scripted ``close_skill``, whoever routes them: the
        dispatcher's own selling skill plays no part."""
        return self.close_skill

    def work_skill_many(self, skills: np.ndarray, now: float) -> np.ndarray:
        return np.full(len(skills), self.close_skill)

    def rewards(self, dept: Floor, person: Person, role: Role, value: HourValue
                ) -> tuple[float, float]:
        return 0.0, 0.0  # a salary: nothing at the margin (and no active work)

    def income(self, dept: Floor, person: Person, stats: dict[str, float]) -> float:
        return self.pay.salary_monthly * self.pay_scale * stats["days"] / DAYS_PER_MONTH


def _alone(sc: Scenario) -> WithoutSalesperson:
    """What a sale without a salesperson achieves in this scenario's market."""
    s = sc.structures.automated_marketing
    return without_salesperson(sc.market, sc.skill, s.close_skill, s.reminder_effect,
                               s.institutional_relationship)


PLUGIN = Plugin(
    SPEC, organisation=lambda name, sc: Dispatch(sc.structures.automated_marketing, sc.pay,
                                                 _alone(sc)),
    lead_source=lambda sc: MarketingLeads(sc.structures.automated_marketing, _alone(sc)))
