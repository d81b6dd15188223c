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

from sim.config.localized import Localized
from sim.config.sections import (
    Behaviour,
    Control,
    Demand,
    LabourMarket,
    Market,
    Pay,
    Reorganisation,
    Report,
    Segment,
    Selling,
    Skill,
    Workforce,
)
from sim.config.settings import DAYS_PER_MONTH, DAYS_PER_YEAR, MONTHS_PER_YEAR, Section
from sim.config.structures import (
    BASELINE,
    DEFAULT_COMPARISON,
    STRUCTURES,
    Structures,
    check_structures,
    phasable,
)
from sim.config.uncertainties import Uncertainty, check_uncertainties, default_uncertainties
from sim.config.yaml_loading import DuplicateKeyError, load_yaml

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
        "the horizon equals the baseline's (compare structures at equal cost of people).")
    structure: str = BASELINE
    structures: list[str] = Field(default_factory=lambda: list(DEFAULT_COMPARISON),
                                  min_length=1)
    baseline: str = BASELINE
    request_path: Literal["events", "arrays"] = Field(
        "arrays", description="How requests are simulated: 'arrays' (default) books a "
        "request that meets an idle desk on arrival and ends before the day's end in the "
        "day's array step (sim.model.booking), and gives the others an end-of-service "
        "event; 'events' gives every end of service an event (about 10 % slower; the same "
        "model in distribution, other draws). A run that keeps a CRM journal takes the "
        "event path.")

    @property
    def months(self) -> int:
        return max(1, round(self.horizon_years * MONTHS_PER_YEAR))


class Scenario(_Section):
    """A whole study: the department, its market, and how to experiment on it."""

    name: str = "default"
    description: Localized = Field(
        "", description="What the scenario describes, the report's title: a text, or a text "
        "per language ({en: ..., ru: ...}).")
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
        problems = (check_structures(self.structures, self.market, self.workforce)
                    + check_uncertainties(self)
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


def unphasable(scenario: Scenario, names: list[str]) -> list[str]:
    """The structures among ``names`` that the phased roll-out the scenario asks for
    cannot move in desk by desk (none where it asks for none)."""
    reorg, exp = scenario.reorganisation, scenario.experiment
    if reorg.phase_share >= 1.0 or exp.initial_state != "mature":
        return []
    hybrids = scenario.structures.hybrids
    return [n for n in dict.fromkeys(names) if n != BASELINE and not phasable(n, hybrids)]


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
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        kind = "duplicate key" if isinstance(exc, DuplicateKeyError) else "YAML syntax error"
        raise ScenarioError([f"{kind}{where}: {problem}"], source) from None
    return parse_scenario(data, source)


def json_schema() -> str:
    """The JSON Schema of a scenario file, for editor autocompletion."""
    schema = Scenario.model_json_schema()
    schema["title"] = "salesim scenario"
    return json.dumps(schema, indent=2)
