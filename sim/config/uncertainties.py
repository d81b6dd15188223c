"""The ``uncertainties:`` section of a scenario: the parameters a sweep varies, each
with its plausible range, an optional distribution, and where the range comes from.

A key is a dotted path to a number of the scenario, as in
:meth:`sim.Scenario.with_overrides`; ``*`` stands for every entry of a mapping, so
``market.segments.*.rho`` gives every segment the same value at a design point. The
paths are checked against the scenario they belong to (:func:`check_uncertainties`):
an unknown path, a setting that is not a number, or a range outside what the field
allows is a problem that names the field, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import annotated_types as at
from pydantic import BaseModel, Field, model_validator
from pydantic.fields import FieldInfo

from sim.config.localized import Localized
from sim.config.settings import Section

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


def _u(low: float, high: float, en: str, ru: str) -> Uncertainty:
    return Uncertainty(range=(low, high), source={"en": en, "ru": ru})


def default_uncertainties() -> dict[str, Uncertainty]:
    """The parameters that decide the ranking of structures in the default scenario,
    their sources in English and Russian; ``scenarios/default.yaml`` states the same
    ranges with a comment on each."""
    return {
        "structures.classic.monitoring": _u(
            0.0, 0.4, "assumption: the design brief calls it low; from none to a weekly "
                      "pipeline review",
            "допущение: в проектном задании контроль низкий; от никакого до "
            "еженедельного разбора воронки"),
        "structures.process_norm.monitoring": _u(
            0.5, 1.0, "assumption: the design brief calls it high; Nagin et al. (AER "
                      "2002): many do not respond to monitoring",
            "допущение: в проектном задании контроль высокий; Nagin et al. (AER 2002): "
            "многие не реагируют на контроль"),
        "pay.commission_rate": _u(
            0.01, 0.06, "assumption: commission plans of distributors, 1-6 % of own revenue",
            "допущение: комиссионные планы дистрибьюторов, 1–6 % выручки своих клиентов"),
        "market.segments.*.rho": _u(
            0.1, 0.6, "design default: 0.1 to 0.6 across segments; one value for every "
                      "segment",
            "значение проектного задания: от 0,1 до 0,6 по сегментам; одно значение для"
            " всех сегментов"),
        "structures.ticket_pool.institutional_relationship": _u(
            0.0, 0.5, "assumption: from no bond with the firm to half of a personal one",
            "допущение: от отсутствия связи с фирмой до половины личной связи"),
        "structures.ticket_pool.service_penalty": _u(
            0.0, 0.2, "Song, Tucker and Murrell (Management Science 2015): 9 %; range "
                      "assumption",
            "Song, Tucker and Murrell (Management Science 2015): 9 %; диапазон — "
            "допущение"),
        "structures.staged.handoff_loss": _u(
            0.0, 0.15, "assumption: from a seamless hand-over to one client in seven lost",
            "допущение: от передачи без потерь до потери каждого седьмого клиента"),
        "structures.automated_marketing.half_response_budget": _u(
            20_000, 80_000, "assumption: half of the response bought at half to twice the "
                            "budget",
            "допущение: половина отклика покупается при бюджете от половины до двойного"),
        "structures.automated_marketing.dispatch_hours": _u(
            0.1, 0.5, "assumption: routing one request takes 6 to 30 minutes",
            "допущение: распределение одной заявки занимает от 6 до 30 минут"),
        "market.self_serve": _u(
            0.15, 0.9, "Forrester (Hoar et al. 2015): order takers replaced first, "
                       "consultants not at all; Gartner: 61-75 % of B2B buyers prefer "
                       "a rep-free purchase; McKinsey 2024: 15-20 % would buy a "
                       "$1-10M deal self-serve",
            "Forrester (Hoar et al. 2015): первыми заменяются приёмщики заказов, "
            "консультанты — нет; Gartner: 61–75 % покупателей B2B предпочитают "
            "покупать без представителя; McKinsey 2024: 15–20 % купили бы сделку на "
            "$1–10 млн самостоятельно"),
        "market.self_serve_bond": _u(
            0.4, 1.0, "assumption: a self-serve client's bond with the firm, from "
                      "under half to all of a personal one",
            "допущение: связь клиента самообслуживания с фирмой — от менее половины "
            "до полной личной связи"),
        "control.monitoring_quit_weight": _u(
            0.0, 0.5, "Batt and Colvin (AMJ 2011): +8.33 points of quits per unit of "
                      "the performance-enhancing index; its scale was not read",
            "Batt and Colvin (AMJ 2011): +8,33 пункта увольнений на единицу индекса "
            "практик давления; шкала индекса не прочитана"),
        "control.script_drag": _u(
            0.0, 0.4, "assumption: from a script that holds nobody back to one that "
                      "holds back two fifths of an expert's edge",
            "допущение: от скрипта, который никого не сдерживает, до сдерживающего "
            "две пятых преимущества опытного"),
        "structures.process_norm.norm_padding": _u(
            0.0, 0.8, "assumption: Bain et al. (2002) describe counts pursued against "
                      "quality with no number; Gallen et al. (2016): a counted proxy "
                      "+50 %, true value -17 %",
            "допущение: Bain et al. (2002) описывают погоню за количеством в ущерб "
            "качеству без чисел; Gallen et al. (2016): счётный показатель +50 %, "
            "реальная ценность −17 %"),
        "structures.process_norm.quick_touch_share": _u(
            0.1, 0.5, "assumption: a quick touch takes a tenth to half of a full "
                      "task's time",
            "допущение: быстрое касание занимает от десятой части до половины времени "
            "полной задачи"),
        "selling.contact_tolerance_days": _u(
            2, 21, "assumption: from two contacts a week to one a month tolerated "
                   "(Mapp 2016: 40 % prefer weekly)",
            "допущение: допустимо от двух контактов в неделю до одного в месяц (Mapp "
            "2016: 40 % предпочитают раз в неделю)"),
        "selling.contact_saturation_exponent": _u(
            0.5, 3.0, "assumption: Zhang, Kumar and Cosguner (2017) -16 % at 10 "
                      "emails against 7 fits about 0.5; steeper for calls",
            "допущение: Zhang, Kumar and Cosguner (2017) −16 % при 10 письмах против "
            "7 соответствует примерно 0,5; для звонков круче"),
        "selling.contact_leave_prob": _u(
            0.0, 0.06, "Ascarza, Iyengar and Schleicher (JMR 2016): +3.6 points of "
                       "churn after one unsolicited contact; range assumption",
            "Ascarza, Iyengar and Schleicher (JMR 2016): +3,6 пункта оттока после "
            "одного непрошеного контакта; диапазон — допущение"),
        "reorganisation.resistance_per_year": _u(
            0.0, 0.5, "assumption: no resistance to 50 points less compliance per year of "
                      "tenure",
            "допущение: от отсутствия сопротивления до соблюдения правил на 50 пунктов "
            "ниже за каждый год стажа"),
        "reorganisation.adaptation_days": _u(
            21, 252, "design default: adaptation to a new pay plan takes 1 to 12 months",
            "значение проектного задания: адаптация к новой системе оплаты занимает от "
            "1 до 12 месяцев"),
        "skill.ability_sigma": _u(
            0.2, 0.45, "Hunter, Schmidt and Judiesch (1990): output sd of sales jobs; how much "
                       "of it is lasting ability is argued",
            "Hunter, Schmidt and Judiesch (1990): разброс выработки в продажах; какая его "
            "часть — устойчивая способность, обосновано в модели"),
        "labour.market_ability_elasticity": _u(
            0.5, 1.5, "assumption: the outside premium of top sellers is not published",
            "допущение: надбавка, которую лучшим продавцам платят на рынке, не опубликована"),
        "labour.sorting_elasticity": _u(
            0.0, 4.0, "assumption: from no sorting to strong; Lazear (2000) puts about half of "
                      "the gain on selection",
            "допущение: от отсутствия отбора до сильного; у Lazear (2000) около половины "
            "прироста даёт отбор"),
        "behaviour.reward_half": _u(
            0.3, 2.0, "assumption: half the drive at the reward of a 1 % to a 6 % commission",
            "допущение: половина побуждения при вознаграждении от 1 % до 6 % комиссии"),
        "control.gaming_share": _u(
            0.0, 0.6, "assumption: the share who meet a measured norm with low-value "
                      "activity; Nagin et al. (2002) find 0.3-0.6 rational cheaters",
            "допущение: доля тех, кто выполняет измеряемую норму малоценными действиями; "
            "Nagin et al. (2002): 0,3–0,6 расчётливых нарушителей"),
        "behaviour.income_weight": _u(
            0.3, 1.0, "income targeting is contested (Camerer et al. QJE 1997; Farber QJE "
                      "2015): weak to full",
            "таргетирование дохода спорно (Camerer et al. QJE 1997; Farber QJE 2015): "
            "от слабого до полного"),
    }


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
            bad = [v for v in (low, high) if _outside(v, bounds)]
            if bad:
                problems.append(f"{head}: range [{low:g}, {high:g}] goes outside what "
                                f"{leaf.path} allows: {bad[0]:g} is not allowed; it must be "
                                f"{allowed}")
                break
            if leaf.kind is int and round(low) >= round(high):
                problems.append(f"{head}: range [{low:g}, {high:g}] holds one whole number "
                                f"only, and {leaf.path} takes whole numbers")
                break
    return problems


def assignments(scenario: BaseModel, values: Mapping[str, float]) -> dict[str, float | int]:
    """Concrete overrides for one design point: ``*`` expanded, whole-number fields
    rounded (to the nearest whole number)."""
    out: dict[str, float | int] = {}
    for path, value in values.items():
        for leaf in resolve(scenario, path):
            out[leaf.path] = int(round(value)) if leaf.kind is int else float(value)
    return out


def short_name(path: str) -> str:
    """A parameter's name for charts and sentences: without the ``structures.`` prefix;
    a segment wildcard reads ``rho (every segment)``."""
    if path.startswith("market.segments.*."):
        return f"{path.rsplit('.', 1)[1]} (every segment)"
    return path.removeprefix("structures.")


def salib_problem(uncertainties: Mapping[str, Uncertainty]) -> dict:
    """The SALib problem definition: names (the paths), bounds and distributions."""
    bounds, dists = zip(*(u.salib() for u in uncertainties.values()), strict=True) \
        if uncertainties else ((), ())
    return {"num_vars": len(uncertainties), "names": list(uncertainties),
            "bounds": [list(b) for b in bounds], "dists": list(dists)}
