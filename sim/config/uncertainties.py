"""The ``uncertainties:`` section of a scenario: the parameters a sweep varies, each
with its plausible range, an optional distribution, and where the range comes from.

A key is a dotted path to a number of the scenario, as in
:meth:`sim.Scenario.with_overrides`; ``*`` stands for every entry of a mapping, so
``market.segments.*.rho`` gives every segment the same value at a design point. The
paths are checked against the scenario they belong to (:func:`check_uncertainties`):
an unknown path, a setting that is not a number, or a range outside what the field
allows is a problem that names the field, the value and what is allowed.

``relative: true`` makes the range a multiple of each number's own value (segments keep
their own); ``group`` names the mechanism a grouped screening moves and ranks as one
(:func:`group_of`). The default list is the ``uncertainties:`` section of the shipped
default scenario (:func:`default_uncertainties`), nowhere else.
"""

from __future__ import annotations

import difflib
import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import annotated_types as at
from pydantic import BaseModel, Field, model_validator
from pydantic.fields import FieldInfo

from sim.config.localized import Localized
from sim.config.settings import Section
from sim.config.shipped import default_scenario_path
from sim.config.yaml_loading import load_yaml

#: Distributions a range may carry, and SALib's name for each.
DISTRIBUTIONS = {"uniform": "unif", "triangular": "triang", "loguniform": "logunif",
                 "truncnormal": "truncnorm"}
#: Sections a sweep leaves alone: they say how a study runs, not what the world is like.
NOT_VARIED = ("experiment", "uncertainties")
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


class Uncertainty(Section):
    """One parameter a sweep varies: its plausible range and where the range comes from."""

    range: tuple[float, float] = Field(description="Lowest and highest plausible value.")
    distribution: Literal[tuple(DISTRIBUTIONS)] = Field(  # type: ignore[valid-type]
        "uniform", description="How values spread over the range (uniform by default).")
    peak: float | None = Field(None, description="Most likely value (triangular only).")
    mean: float | None = Field(None, description="Mean before truncation (truncnormal only).")
    sd: float | None = Field(None, gt=0.0, description="Spread before truncation "
                                                       "(truncnormal only).")
    source: Localized = Field(min_length=1, description="Where the range comes from: a "
                              "source, or 'assumption' and why; a text, or a text per "
                              "language ({en: ..., ru: ...}).")
    group: str | None = Field(None, min_length=1, pattern=r"^[a-z][a-z0-9_]*$",
                              description="The mechanism it belongs to, for a grouped "
                              "screening (default: the structure its path configures, else "
                              "the path's top section).")
    relative: bool = Field(False, description="The range multiplies the scenario's own "
                           "value (each segment's, for a '*' path) instead of replacing it.")

    @model_validator(mode="after")
    def _consistent(self) -> Uncertainty:
        low, high = self.range
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ValueError(f"range [{low:g}, {high:g}]: both ends must be finite numbers")
        if not low < high:
            raise ValueError(f"empty range [{low:g}, {high:g}]: the first value must be "
                             "below the second")
        d = self.distribution
        for name, owner in (("peak", "triangular"), ("mean", "truncnormal"),
                            ("sd", "truncnormal")):
            given = getattr(self, name) is not None
            if given and d != owner:
                raise ValueError(f"'{name}' goes with distribution {owner} only (this one is "
                                 f"{d})")
            if not given and d == owner:
                raise ValueError(f"distribution {d} needs '{name}'")
        if d == "triangular" and not low <= self.peak < high:
            raise ValueError(f"peak {self.peak:g}: must lie in the range, at least "
                             f"{low:g} and below {high:g}")
        if d == "loguniform" and low <= 0:
            raise ValueError(f"loguniform range [{low:g}, {high:g}]: both ends must be above 0")
        return self

    def salib(self) -> tuple[list[float], str]:
        """Bounds and distribution name as SALib's problem definition wants them."""
        low, high = self.range
        if self.distribution == "triangular":
            return [low, high, (self.peak - low) / (high - low)], "triang"
        if self.distribution == "truncnormal":
            return [low, high, self.mean, self.sd], "truncnorm"
        return [low, high], DISTRIBUTIONS[self.distribution]


def group_of(path: str, uncertainty: Uncertainty | None = None) -> str:
    """The mechanism an uncertainty belongs to: its ``group`` when given, else the
    structure it configures (``structures.<name>.*``) or the top section of its path."""
    if uncertainty is not None and uncertainty.group:
        return uncertainty.group
    keys = path.split(".")
    return keys[1] if keys[0] == "structures" and len(keys) > 2 else keys[0]


@cache
def _shipped_uncertainties() -> dict[str, Any]:
    data = load_yaml(default_scenario_path().read_text(encoding="utf-8"))
    return dict((data or {}).get("uncertainties") or {})


def default_uncertainties() -> dict[str, Uncertainty]:
    """The uncertainties of the default scenario, read from its ``uncertainties:``
    section (``scenarios/default.yaml``, shipped as ``sim/config/default.yaml``): one
    list, with a range and a source for each, that a scenario without its own section
    takes."""
    return {path: Uncertainty.model_validate(u)
            for path, u in _shipped_uncertainties().items()}


@dataclass(frozen=True)
class Leaf:
    """A number of the scenario a path reaches: its concrete path, field and value."""

    path: str
    field: FieldInfo
    value: Any

    @property
    def kind(self) -> type | None:
        """``int`` or ``float`` for a number field, else None."""
        ann = self.field.annotation
        args = [a for a in getattr(ann, "__args__", ()) if a is not type(None)]
        if len(args) == 1:  # Optional[int], int | None
            ann = args[0]
        return ann if ann in (int, float) else None


def _nearest(key: str, options: list[str]) -> str:
    close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed: {', '.join(options)}" if options else ""


def resolve(scenario: BaseModel, path: str) -> list[Leaf]:
    """Every number of ``scenario`` that ``path`` names (``*`` expanded), or a
    ValueError saying what is wrong with the path."""
    keys = path.split(".")
    if keys[0] in NOT_VARIED:
        raise ValueError(f"the {keys[0]} section says how a study runs, not what the world "
                         "is like; a sweep varies the model's parameters")
    nodes: list[tuple[str, Any, FieldInfo | None]] = [("", scenario, None)]
    for key in keys:
        nxt = []
        for where, node, _ in nodes:
            here = where or "the scenario"
            if isinstance(node, BaseModel):
                fields = type(node).model_fields
                if key == "*":
                    raise ValueError(f"'*' stands for every entry of a mapping such as "
                                     f"market.segments; {here} has named fields")
                if key not in fields:
                    raise ValueError(f"no field {key!r} in {here}"
                                     + _nearest(key, list(fields)))
                nxt.append((f"{where}.{key}".lstrip("."), getattr(node, key), fields[key]))
            elif isinstance(node, Mapping):
                names = [str(k) for k in node]
                if key == "*":
                    nxt += [(f"{where}.{k}", node[k], None) for k in names]
                elif key in names:
                    nxt.append((f"{where}.{key}", node[key], None))
                else:
                    raise ValueError(f"no entry {key!r} in {here}" + _nearest(key, names))
            else:
                raise ValueError(f"{here} is a single value; it has no field {key!r}")
        if not nxt:
            raise ValueError(f"'*' matches nothing in {path.split('.*')[0]}")
        nodes = nxt
    leaves = []
    for where, node, field in nodes:
        if isinstance(node, BaseModel | Mapping) or field is None:
            names = list(type(node).model_fields if isinstance(node, BaseModel) else node)
            raise ValueError(f"{where} is a section, not a number; name one of its "
                             f"fields: {', '.join(map(str, names))}")
        leaves.append(Leaf(where, field, node))
    return leaves


def leaf_overlap(wide: str, narrow: str) -> str:
    """Why a ``*`` path and a path naming one of its entries cannot both be varied."""
    return (f"{narrow} is also varied by {wide}, which covers every entry; a number takes "
            f"one range: drop {narrow}, or replace {wide} by a path for each entry")


def _allowed(field: FieldInfo) -> tuple[list[tuple[str, float]], str]:
    """The field's bounds as (operator, value) pairs, and in words."""
    bounds = []
    for m in field.metadata:
        for attr, op in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            if isinstance(m, getattr(at, attr.capitalize())):
                bounds.append((op, float(getattr(m, attr))))
    words = {">=": "at least", ">": "above", "<=": "at most", "<": "below"}
    text = " and ".join(f"{words[op]} {v:g}" for op, v in bounds) or "any number"
    return bounds, text


def _outside(value: float, bounds: list[tuple[str, float]]) -> bool:
    return any(not _OPS[op](value, b) for op, b in bounds)


def check_uncertainties(scenario: BaseModel) -> list[str]:
    """Problems of the scenario's ``uncertainties:`` against the scenario itself. Each
    number is varied by one path only: a ``*`` path and a path naming one of its
    entries would set the same number twice, and the label ``every segment`` would no
    longer be true, so the two together are refused."""
    problems = []
    owner: dict[str, str] = {}  # concrete path -> the uncertainty that varies it
    for path, u in getattr(scenario, "uncertainties", {}).items():
        head = f"uncertainties.{path}"
        try:
            leaves = resolve(scenario, path)
        except ValueError as err:
            problems.append(f"{head}: {err}")
            continue
        clash = next((owner[leaf.path] for leaf in leaves if leaf.path in owner), None)
        if clash is not None:
            wide, narrow = (clash, path) if "*" in clash else (path, clash)
            problems.append(f"{head}: {leaf_overlap(wide, narrow)}")
            continue
        owner.update({leaf.path: path for leaf in leaves})
        for leaf in leaves:
            if leaf.kind is None:
                shown = type(leaf.value).__name__
                problems.append(f"{head}: {leaf.path} is a {shown} setting "
                                f"({leaf.value!r}); a sweep varies numbers only")
                break
            bounds, allowed = _allowed(leaf.field)
            low, high = u.range
            said = f"range [{low:g}, {high:g}]"
            if u.relative:
                if not leaf.value:
                    problems.append(f"{head}: a relative range multiplies {leaf.path}, "
                                    "which is 0, so it varies nothing; give an absolute "
                                    "range (relative: false)")
                    break
                low, high = sorted((low * leaf.value, high * leaf.value))
                said += f" (relative: {low:g} to {high:g} for {leaf.path})"
            bad = [v for v in (low, high) if _outside(v, bounds)]
            if bad:
                problems.append(f"{head}: {said} goes outside what {leaf.path} allows: "
                                f"{bad[0]:g} is not allowed; it must be {allowed}")
                break
            if leaf.kind is int and round(low) >= round(high):
                problems.append(f"{head}: range [{low:g}, {high:g}] holds one whole number "
                                f"only, and {leaf.path} takes whole numbers")
                break
    return problems


def assignments(scenario: BaseModel, values: Mapping[str, float]) -> dict[str, float | int]:
    """Concrete overrides for one design point: ``*`` expanded, a ``relative`` value
    multiplied by each number's own, whole-number fields rounded (to the nearest whole
    number)."""
    declared = getattr(scenario, "uncertainties", {})
    out: dict[str, float | int] = {}
    for path, value in values.items():
        relative = path in declared and declared[path].relative
        for leaf in resolve(scenario, path):
            v = value * leaf.value if relative else value
            out[leaf.path] = int(round(v)) if leaf.kind is int else float(v)
    return out


def short_name(path: str) -> str:
    """A parameter's name for charts and sentences: without the ``structures.`` prefix;
    a segment wildcard reads ``rho (every segment)``."""
    if path.startswith("market.segments.*."):
        return f"{path.rsplit('.', 1)[1]} (every segment)"
    return path.removeprefix("structures.")


def salib_problem(uncertainties: Mapping[str, Uncertainty], by_group: bool = False) -> dict:
    """The SALib problem definition: names (the paths), bounds and distributions; with
    ``by_group``, also each parameter's group (:func:`group_of`), which makes SALib's
    Morris and Sobol' designs move a group's parameters together and score the group."""
    bounds, dists = zip(*(u.salib() for u in uncertainties.values()), strict=True) \
        if uncertainties else ((), ())
    problem = {"num_vars": len(uncertainties), "names": list(uncertainties),
               "bounds": [list(b) for b in bounds], "dists": list(dists)}
    if by_group:
        problem["groups"] = [group_of(p, u) for p, u in uncertainties.items()]
    return problem
