"""The sections of a scenario that describe the department and its market: one
pydantic model per section, frozen and with ``extra="forbid"`` (see
:class:`sim.config.settings.Section`). The root that composes them, with the structures'
own sections, is :class:`sim.config.scenario.Scenario`; the mechanisms that read each
section live in :mod:`sim.model`. Every default matches ``scenarios/default.yaml``,
where each number carries its source."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.config.settings import Section

_Section = Section


class Segment(_Section):
    """One market segment: how much its accounts are worth and how they behave."""

    share: float = Field(gt=0.0, le=1.0, description="Share of the territory's accounts.")
    value_median: float = Field(gt=0.0, description="Median potential annual value V.")
    value_sigma: float = Field(0.8, ge=0.0, le=3.0, description="Lognormal sigma of V.")
    orders_per_year: float = Field(gt=0.0, le=1000.0, description="Orders a client places a year.")
    order_value_cv: float = Field(
        0.3, ge=0.0, le=3.0, description="Coefficient of variation of one order's value."
    )
    sales_cycle_days: float = Field(
        gt=0.0, description="Mean working days from first meeting to decision."
    )
    churn_annual: float = Field(
        ge=0.0, lt=1.0, description="Base probability that a client leaves within a year."
    )
    rho: float = Field(
        ge=0.0, le=1.0, description="Relationship sensitivity: retention and order-value lift."
    )
    win_rate: float = Field(
        gt=0.0, le=1.0, description="Probability an opportunity is won at full skill."
    )
    order_hours: float = Field(gt=0.0, le=24.0, description="Hours to handle one order.")


def _default_segments() -> dict[str, Segment]:
    return {
        "smb": Segment(share=0.70, value_median=6_000, orders_per_year=10,
                       sales_cycle_days=10, churn_annual=0.20, rho=0.1, win_rate=0.30,
                       order_hours=0.5),
        "mid": Segment(share=0.25, value_median=30_000, orders_per_year=6,
                       sales_cycle_days=30, churn_annual=0.15, rho=0.3, win_rate=0.25,
                       order_hours=1.0),
        "enterprise": Segment(share=0.05, value_median=150_000, orders_per_year=4,
                              sales_cycle_days=90, churn_annual=0.10, rho=0.6,
                              win_rate=0.15, order_hours=2.0),
    }


class Market(_Section):
    """The finite territory of accounts and what a sale earns."""

    n_accounts: int = Field(6_000, ge=1, le=2_000_000)
    segments: dict[str, Segment] = Field(default_factory=_default_segments, min_length=1)
    recapture_cooldown_days: float = Field(
        126.0, ge=0.0, description="Days a lost account waits before it is a prospect again."
    )
    gross_margin: float = Field(0.25, ge=0.0, le=1.0, description="Gross margin on revenue.")
    self_serve: float = Field(
        0.6, ge=0.0, le=1.0, description="How much of a sale happens without a salesperson: "
        "0 where every deal needs one, 1 where the product sells itself. Sets what a "
        "structure without salespeople achieves (sim/model/self_serve.py): its close skill "
        "(this x skill.s_max), how much neglect its reminders take away (this) and its "
        "clients' bond with the firm (this x self_serve_bond). Forrester (Hoar et al. "
        "2015): order takers' jobs go to self-service first; Gartner: 61-75 % of B2B buyers "
        "prefer a rep-free purchase.")
    self_serve_bond: float = Field(
        0.69, ge=0.0, le=1.0, description="Bond a self-serve client feels with the firm "
        "where the whole sale is self-serve (self_serve = 1), relative to a full personal "
        "bond.")

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Market:
        total = sum(s.share for s in self.segments.values())
        if abs(total - 1.0) > 1e-6:
            shares = ", ".join(f"{k}={s.share:g}" for k, s in self.segments.items())
            raise ValueError(f"segment shares must sum to 1, got {total:g} ({shares})")
        return self


class Demand(_Section):
    """Requests that reach the company and how they lose value while they wait."""

    inbound_leads_per_day: float = Field(5.0, ge=0.0, le=100_000.0)
    referral_rate: float = Field(
        0.01, ge=0.0, le=10.0, description="Referral leads per active client per month "
        "without recent care."
    )
    referral_care_boost: float = Field(
        1.0, ge=0.0, le=100.0, description="Relative rise of a client's referral rate "
        "within a care cadence of its last care contact."
    )
    lead_patience_days: float = Field(5.0, gt=0.0)
    order_patience_days: float = Field(3.0, gt=0.0)
    lead_qualify_max: float = Field(
        0.5, ge=0.0, le=1.0, description="Chance a lead qualifies if contacted at once."
    )
    lead_decay_hours: float = Field(
        0.49, gt=0.0, description="Time constant of the qualification decay, in working hours."
    )
    lead_decay_floor: float = Field(
        0.006, ge=0.0, le=1.0, description="Qualification chance of a stale lead, relative."
    )
    lead_contact_hours: float = Field(0.5, gt=0.0, le=24.0)
    lost_order_churn_prob: float = Field(
        0.15, ge=0.0, le=1.0, description="Chance a client leaves after one of its orders is lost."
    )
    service_time: Literal["exponential", "deterministic"] = "exponential"


class Workforce(_Section):
    """Headcount, the working day and turnover."""

    managers: int = Field(15, ge=1, le=10_000)
    hours_per_day: float = Field(7.0, gt=0.0, le=24.0)
    vacancy_days: float = Field(42.0, ge=0.0)
    quit_rate_annual: float = Field(0.14, ge=0.0, lt=1.0)
    quit_income_weight: float = Field(
        0.5, ge=0.0, le=20.0, description="Raise of the quit hazard per unit income shortfall."
    )
    hire_spread_days: float = Field(
        0.0, ge=0.0, description="Initial hires start spread uniformly over this many days."
    )


class Skill(_Section):
    """The individual learning curve s = s_max - (s_max - s0) exp(-x / tau)."""

    s0: float = Field(0.3, gt=0.0, le=1.0)
    s_max: float = Field(1.0, gt=0.0, le=1.0)
    tau_hours: float = Field(250.0, gt=0.0)
    value_weight: float = Field(
        0.3, ge=0.0, le=1.0, description="How much low skill shrinks deal size."
    )
    full_productivity: float = Field(
        0.9, gt=0.0, le=1.0, description="Share of s_max that counts as fully productive."
    )
    ability_sigma: float = Field(
        0.35, ge=0.0, le=2.0, description="Lognormal sigma of a person's lasting ability (mean "
        "1), which scales the skill learning reaches; 0: everyone alike.")

    @model_validator(mode="after")
    def _s0_below_max(self) -> Skill:
        if self.s0 > self.s_max:
            raise ValueError(f"s0 ({self.s0:g}) must not exceed s_max ({self.s_max:g})")
        return self


class Selling(_Section):
    """The prospecting funnel, care of clients and the relationship bond."""

    dials_per_hour: float = Field(10.0, ge=0.0, le=1000.0)
    connect_rate: float = Field(0.15, ge=0.0, le=1.0)
    meeting_rate: float = Field(0.10, ge=0.0, le=1.0)
    care_cadence_days: float = Field(30.0, gt=0.0)
    care_contact_hours: float = Field(0.5, gt=0.0, le=24.0)
    upsell_prob: float = Field(0.10, ge=0.0, le=1.0)
    neglect_weight: float = Field(0.75, ge=0.0, le=100.0)
    neglect_cap: float = Field(2.0, ge=0.0, le=100.0)
    relationship_gain_care: float = Field(0.20, ge=0.0, le=1.0)
    initial_relationship: float = Field(
        0.20, ge=0.0, le=1.0, description="Bond of a client with the person who won it, at "
        "the win (a hand-off starts the keeper from zero).")
    cycle_shape: float = Field(
        4.0, gt=0.0, le=1_000.0, description="Gamma shape of the sales cycle (its mean is "
        "the segment's sales_cycle_days); larger is less variable.")
    relationship_gain_order: float = Field(0.05, ge=0.0, le=1.0)
    relationship_decay_days: float = Field(252.0, gt=0.0)
    follow_rate: float = Field(0.25, ge=0.0, le=1.0)
    new_client_window_days: float = Field(252.0, ge=0.0)
    contact_tolerance_days: float = Field(
        5.0, ge=0.0, le=1_000.0, description="Shortest interval, in working days, between "
        "contacts an account takes without annoyance; contacted more often, it responds "
        "less and a client may leave (sim/model/saturation.py). 0: no saturation.")
    contact_saturation_exponent: float = Field(
        1.5, ge=0.0, le=10.0, description="e: above tolerance, the response to a contact "
        "falls as (tolerance / interval)^-e.")
    contact_leave_prob: float = Field(
        0.03, ge=0.0, le=1.0, description="Chance a client contacted sooner than its tolerance "
        "leaves (counted as lost_clients_contact).")


class Behaviour(_Section):
    """The activity propensity pi: income targeting, habituation, monitoring."""

    drift: bool = True
    base_propensity: float = Field(
        0.75, ge=0.0, le=1.0, description="Share of free time given to a kind of active "
        "work by a fully driven person (the ceiling of the propensity).")
    intrinsic_propensity: float = Field(
        0.25, ge=0.0, le=1.0, description="Share given with no reward at the margin (the "
        "floor: intrinsic motivation, presence).")
    reward_half: float = Field(
        0.9, gt=0.0, le=100.0, description="Marginal reward of an active hour, as a share "
        "of the hourly aspiration, that gives half of the drive above the floor.")
    reward_horizon_years: float = Field(
        2.0, ge=0.0, le=50.0, description="Years of a new client's revenue a person counts "
        "when an hour of hunting is paid by commission.")
    aspiration_income: float = Field(7_000.0, gt=0.0)
    aspiration_sigma: float = Field(0.2, ge=0.0, le=3.0)
    income_weight: float = Field(0.7, ge=0.0, le=1.0)
    income_width: float = Field(0.1, gt=0.0, le=10.0)
    habituation_weight: float = Field(0.3, ge=0.0, le=1.0)
    habituation_days: float = Field(504.0, gt=0.0)
    income_smoothing_months: float = Field(3.0, ge=1.0)
    fixed_income_reference: float = Field(
        2_500.0, ge=0.0, description="Not read by the model (income targeting weighs each "
        "person's own fixed pay); kept for the CRM calibration's bounds.")

    @model_validator(mode="after")
    def _floor_below_ceiling(self) -> Behaviour:
        if self.fixed_income_reference >= self.aspiration_income:
            raise ValueError(f"fixed_income_reference ({self.fixed_income_reference:g}) must "
                             f"be below aspiration_income ({self.aspiration_income:g})")
        if self.intrinsic_propensity > self.base_propensity:
            raise ValueError(f"intrinsic_propensity ({self.intrinsic_propensity:g}) must not "
                             f"exceed base_propensity ({self.base_propensity:g})")
        return self


class Pay(_Section):
    """Salary and commission of managers who own clients (the salary others earn too);
    it feeds cost, drift and quitting."""

    salary_monthly: float = Field(2_500.0, ge=0.0)
    commission_rate: float = Field(0.03, ge=0.0, le=1.0)
    new_client_bonus: float = Field(0.0, ge=0.0)


class Reorganisation(_Section):
    """A new structure taking over a mature department: people move from their old
    habits over an adaptation period, and the change costs money (sim/model/reorganisation.py).
    None of it applies where the structure stays the one of the warm-up."""

    adaptation_days: float = Field(
        126.0, ge=0.0, description="Days over which a newcomer to the structure moves from "
        "old habits to the new structure's effort and compliance; 0: at once.")
    resistance_per_year: float = Field(
        0.25, ge=0.0, le=10.0, description="How far behind a veteran starts: the share of "
        "the new behaviour taken at the switch is 1 - this x years of tenure (not below 0).")
    loss_adaptation_weight: float = Field(
        1.0, ge=0.0, le=50.0, description="Adaptation slows by 1 + this x the relative loss "
        "of income against the income before the switch.")
    loss_quit_weight: float = Field(
        2.0, ge=0.0, le=50.0, description="The quit hazard is multiplied by 1 + this x the "
        "relative loss of income against the income before the switch.")
    loss_quit_days: float = Field(126.0, ge=0.0)
    severance_months: float = Field(
        2.0, ge=0.0, le=36.0, description="Months of pay each person laid off at the switch "
        "is paid.")
    hiring_cost_months: float = Field(
        1.0, ge=0.0, le=36.0, description="Recruiting cost of each seat vacant at the switch, "
        "in months of the market wage.")
    training_days: float = Field(
        21.0, ge=0.0, description="Days after the switch during which people train.")
    training_share: float = Field(
        0.2, ge=0.0, le=1.0, description="Share of active hours lost to training then.")
    orphan_churn_multiplier: float = Field(
        1.5, ge=1.0, le=20.0, description="Churn hazard of a client who loses its personal "
        "manager at the switch, for orphan_days.")
    orphan_days: float = Field(126.0, ge=0.0)
    owning_seats_by: Literal["base", "skill"] = Field(
        "base", description="Who gets the seats that own clients at a takeover: the people "
        "with the largest bases, or the most skilled.")
    phase_share: float = Field(
        1.0, gt=0.0, le=1.0, description="Share of the desks the new structure takes over at "
        "the switch; the rest follow phase_days later (a phased roll-out, sim/model/rollout.py). "
        "1: every desk at once.")
    phase_days: float = Field(
        126.0, ge=0.0, description="Days from the switch to the second phase of a phased "
        "roll-out.")


class Report(_Section):
    """How the owner's report (``report.html``) is written."""

    language: Literal["en", "ru"] = Field(
        "en", description="Language of the report's sentences, tables and chart titles: "
        "en (English) or ru (Russian).")


class Control(Section):
    """Supervision and tools: what control costs and how much it buys."""

    monitoring_curvature: float = Field(
        1.5, ge=0.0, le=50.0, description="k: the larger, the faster the pull of monitoring "
        "saturates; 0 makes it linear.")
    gaming_share: float = Field(
        0.3, ge=0.0, le=1.0, description="Share of the activity monitoring adds above what a "
        "person would give that is low-value: it meets the measure (logged, counted toward "
        "a norm) but sells and cares for nothing.")
    span_of_control: float = Field(8.0, gt=0.0, le=100.0)
    supervisor_salary_monthly: float = Field(11_200.0, ge=0.0)
    crm_per_seat_monthly: float = Field(100.0, ge=0.0)
    ticketing_per_seat_monthly: float = Field(55.0, ge=0.0)
    call_recording_per_seat_monthly: float = Field(100.0, ge=0.0)
    marketing_platform_monthly: float = Field(890.0, ge=0.0)
    monitoring_quit_weight: float = Field(
        0.25, ge=0.0, le=10.0, description="The quit hazard is multiplied by 1 + this x the "
        "structure's monitoring (Batt and Colvin 2011: performance-enhancing practices raise "
        "call-centre quits).")
    script_drag: float = Field(
        0.2, ge=0.0, le=1.0, description="Where a script sets a floor under skill, the share "
        "of a person's skill above the floor that the script holds back (it lifts beginners "
        "and holds back experts).")


class LabourMarket(Section):
    """Hiring and quitting as answers to pay."""

    market_wage_monthly: float | None = Field(
        None, gt=0.0, description="Monthly pay a comparable seat earns elsewhere; left out, "
        "behaviour.aspiration_income.")
    applications_elasticity: float = Field(0.4, ge=0.0, le=5.0)
    quality_elasticity: float = Field(0.5, ge=0.0, le=5.0)
    quality_cap: float = Field(1.5, ge=1.0, le=10.0)
    quit_pay_elasticity: float = Field(0.5, ge=0.0, le=5.0)
    market_ability_elasticity: float = Field(
        1.0, ge=0.0, le=5.0, description="How the market's pay rises with ability: a person of "
        "ability a can earn market_wage x a^this elsewhere (their outside option).")
    output_ability_elasticity: float = Field(
        2.0, ge=0.0, le=5.0, description="How a person's output, and so their variable pay, "
        "rises with ability (the funnel: meetings and wins are each linear in skill).")
    sorting_elasticity: float = Field(
        2.0, ge=0.0, le=20.0, description="How strongly applicants of an ability apply as the "
        "plan's pay for that ability rises against their outside option; 0: no sorting.")
    sorting_candidates: int = Field(
        4, ge=1, le=64, description="Applicants drawn per vacancy from the population; the "
        "hire is one of them, chosen with weight (plan pay / outside option)^sorting_elasticity.")
