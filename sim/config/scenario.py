"""Scenario: the typed, validated, immutable parameters of one simulation study.

A scenario is a tree of pydantic models with ``extra="forbid"``, so a typo fails at
load time with the field's path. Models are frozen: variants are made with
:meth:`Scenario.with_overrides`, never by mutation. Every default here matches
``scenarios/default.yaml``, where each number carries its source.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from sim.config.settings import DAYS_PER_MONTH, DAYS_PER_YEAR, MONTHS_PER_YEAR, Section
from sim.config.uncertainties import Uncertainty, check_uncertainties, default_uncertainties
from sim.model.control import Control
from sim.model.labour import LabourMarket
from sim.model.structures import (
    BASELINE,
    DEFAULT_COMPARISON,
    STRUCTURES,
    Structures,
    check_structures,
    unphasable,
)

__all__ = ["DAYS_PER_MONTH", "DAYS_PER_YEAR", "MONTHS_PER_YEAR", "STRUCTURES", "Scenario",
           "ScenarioError", "load_scenario", "parse_scenario"]


class ScenarioError(ValueError):
    """A scenario file or override that cannot be used; ``problems`` lists each one."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(problems))


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
        0.05, gt=0.0, le=100.0, description="Marginal reward of an active hour, as a share "
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
        2_500.0, ge=0.0, description="Fixed pay a person takes for granted: income targeting "
        "weighs the variable income the base pays against aspiration minus this.")

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
    habits over an adaptation period, and the change costs money (sim/reorganisation.py).
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
        "the switch; the rest follow phase_days later (a phased roll-out, sim/rollout.py). "
        "1: every desk at once.")
    phase_days: float = Field(
        126.0, ge=0.0, description="Days from the switch to the second phase of a phased "
        "roll-out.")


class Experiment(_Section):
    horizon_years: float = Field(3.0, gt=0.0, le=50.0)
    replications: int = Field(30, ge=1, le=100_000)
    seed: int = Field(20_261_127, ge=0, le=2**63 - 1)
    initial_state: Literal["fresh", "mature"] = "mature"
    warmup_years: float = Field(3.0, ge=0.0, le=50.0)
    warmup_hire_spread_days: float = Field(
        252.0, ge=0.0, description="The warm-up's first hires start spread over this many "
        "days.")
    pay_parity: bool = Field(
        False, description="Scale each structure's fixed pay so its mean pay per head over "
        "the first year equals the baseline's (compare structures at equal cost of people).")
    structure: str = BASELINE
    structures: list[str] = Field(default_factory=lambda: list(DEFAULT_COMPARISON),
                                  min_length=1)
    baseline: str = BASELINE

    @property
    def months(self) -> int:
        return max(1, round(self.horizon_years * MONTHS_PER_YEAR))


class Report(_Section):
    """How the owner's report (``report.html``) is written."""

    language: Literal["en", "ru"] = Field(
        "en", description="Language of the report's sentences, tables and chart titles: "
        "en (English) or ru (Russian).")


class Scenario(_Section):
    """A whole study: the department, its market, and how to experiment on it."""

    name: str = "default"
    description: str = ""
    currency: str | None = Field(
        None, min_length=1, max_length=5, description="Symbol or code that money is shown "
        "with in the report and charts (for example €, $, ₽ or RUB); none: plain numbers. "
        "The model itself is currency-neutral.")
    report: Report = Field(default_factory=Report)
    market: Market = Field(default_factory=Market)
    demand: Demand = Field(default_factory=Demand)
    workforce: Workforce = Field(default_factory=Workforce)
    skill: Skill = Field(default_factory=Skill)
    selling: Selling = Field(default_factory=Selling)
    behaviour: Behaviour = Field(default_factory=Behaviour)
    pay: Pay = Field(default_factory=Pay)
    structures: Structures = Field(default_factory=Structures)  # type: ignore[valid-type]
    experiment: Experiment = Field(default_factory=Experiment)
    reorganisation: Reorganisation = Field(default_factory=Reorganisation)
    labour: LabourMarket = Field(default_factory=LabourMarket)
    control: Control = Field(default_factory=Control)
    uncertainties: dict[str, Uncertainty] = Field(
        default_factory=default_uncertainties,
        description="Parameters a sweep varies (dotted paths) with their ranges and sources.")

    @property
    def market_wage(self) -> float:
        """Monthly pay a comparable seat earns elsewhere (default: the aspiration)."""
        wage = self.labour.market_wage_monthly
        return self.behaviour.aspiration_income if wage is None else wage

    def structure_names(self) -> list[str]:
        """Every structure this scenario can run: the built-in ones and its hybrids."""
        return list(STRUCTURES) + list(self.structures.hybrids)

    def _check_rollout(self) -> list[str]:
        """A phased roll-out needs structures that keep the headcount's seats, and a
        second phase within the horizon."""
        reorg, exp = self.reorganisation, self.experiment
        if reorg.phase_share >= 1.0 or exp.initial_state != "mature":
            return []
        problems = []
        days = exp.months * DAYS_PER_MONTH
        if reorg.phase_days >= days:
            problems.append(f"reorganisation.phase_days: {reorg.phase_days:g} is not within the "
                            f"horizon ({days} working days); allowed: 0 to {days - 1}")
        unphased = unphasable(self, [exp.structure, *exp.structures])
        if unphased:
            problems.append(f"reorganisation.phase_share: {reorg.phase_share:g} asks for a "
                            f"phased roll-out, which needs structures that keep the seats of "
                            f"workforce.managers; {', '.join(unphased)} do not (set "
                            f"phase_share to 1, or leave them out of experiment.structures)")
        return problems

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        known = self.structure_names()
        exp = self.experiment
        for field_name, names in (("experiment.structure", [exp.structure]),
                                  ("experiment.baseline", [exp.baseline]),
                                  ("experiment.structures", exp.structures)):
            for name in names:
                if name not in known:
                    raise ValueError(f"{field_name}: unknown structure {name!r}; allowed: "
                                     + ", ".join(known) + hint(name, known, list_all=False))
        problems = (check_structures(self) + check_uncertainties(self)
                    + self._check_rollout())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def with_overrides(self, overrides: dict[str, Any]) -> Scenario:
        """A new scenario with values replaced by dotted path, validated again.

        >>> Scenario().with_overrides({"workforce.managers": 20}).workforce.managers
        20
        """
        data = self.model_dump(mode="python")
        problems = []
        for path, value in overrides.items():
            node: Any = data
            keys = path.split(".")
            for depth, key in enumerate(keys):
                if not isinstance(node, dict) or key not in node:
                    where = ".".join(keys[:depth]) or "the scenario"
                    options = list(node) if isinstance(node, dict) else []
                    problems.append(f"{path}: no field {key!r} in {where}" + hint(key, options))
                    break
                if depth == len(keys) - 1:
                    node[key] = value
                else:
                    node = node[key]
        if problems:
            raise ScenarioError(problems, "overrides")
        return parse_scenario(data, source="overrides")

    def value_at(self, path: str) -> Any:
        """The value a dotted path names, as :meth:`with_overrides` reads paths.

        >>> Scenario().value_at("market.segments.smb.win_rate")
        0.3
        """
        node: Any = self
        for key in path.split("."):
            node = node[key] if isinstance(node, dict) else getattr(node, key)
        return node

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False)


def hint(key: str, options: list[str], list_all: bool = True) -> str:
    """'; did you mean X?' for the nearest option (by spelling, or one that starts with
    the key), else the list of what is allowed."""
    close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
    if not close and len(key) >= 3:
        close = [o for o in options if o.startswith(key) or key.startswith(o)][:1]
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed: {', '.join(options)}" if options and list_all else ""


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model at a location of the scenario tree (for typo hints)."""
    model: Any = Scenario
    for key in loc:
        if model is Market and key == "segments":
            model = dict  # segment names are free; the next key is one of them
        elif model is dict:
            model = Segment
        else:
            field = getattr(model, "model_fields", {}).get(key)
            if field is None:
                return []
            model = field.annotation
    return list(getattr(model, "model_fields", {}))


def _describe(err: dict[str, Any]) -> str:
    loc = tuple(err.get("loc", ()))
    path = ".".join(str(p) for p in loc) or "(top level)"
    kind = err.get("type", "")
    value = err.get("input")
    if kind == "extra_forbidden":
        parent = loc[:-1]
        options = _fields_at(parent)
        where = ".".join(str(p) for p in parent) or "the top level"
        return f"{path}: unknown field {str(loc[-1])!r} in {where}" + hint(str(loc[-1]), options)
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    msg = err.get("msg", "invalid")
    if kind == "value_error":
        msg = msg.removeprefix("Value error, ")
        return f"{path}: {msg}" if loc else msg
    if kind == "missing":
        return f"{path}: required field is missing"
    return f"{path}: got {shown}; {msg[0].lower() + msg[1:] if msg else 'invalid'}"


def parse_scenario(data: Any, source: str | None = None) -> Scenario:
    """Validate a mapping into a :class:`Scenario`, or raise :class:`ScenarioError`."""
    if data is None:
        raise ScenarioError(["the file is empty; expected a mapping of sections"], source)
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"expected a mapping of sections at the top level, got {type(data).__name__}"],
            source,
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([_describe(e) for e in exc.errors()], source) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a YAML scenario file; defaults fill what the file leaves out."""
    p = Path(path)
    source = str(p)
    if not p.exists():
        raise ScenarioError(["no such file"], source)
    if p.is_dir():
        raise ScenarioError(["is a folder, expected a YAML file"], source)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([f"not a UTF-8 text file (byte {exc.start})"], source) from None
    except OSError as exc:
        raise ScenarioError([f"cannot be read: {exc.strerror}"], source) from None
    if "\x00" in text:
        raise ScenarioError(["not a text file (contains NUL bytes)"], source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError([f"YAML syntax error{where}: {problem}"], source) from None
    return parse_scenario(data, source)


def json_schema() -> str:
    """The JSON Schema of a scenario file, for editor autocompletion."""
    schema = Scenario.model_json_schema()
    schema["title"] = "salesim scenario"
    return json.dumps(schema, indent=2)
