"""Sentences of the owner's report, generated from the numbers: the headline and the
charts' takeaways.

Nothing here has an opinion: a sentence says which structure is ahead of the baseline
on a measure, by how much, whether the paired 95 % interval excludes zero, and when the
cumulative contribution difference stays above zero. Where no interval excludes zero,
it says so. The words come from the text catalogue (:mod:`sim.report.texts`), the
numbers from :class:`sim.report.numbers.Numbers`, in English or Russian.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.report.numbers import Numbers, finite
from sim.study.precision import RankingPrecision

#: The key figures of the report: (measure, which way is better, how it is written);
#: contribution first, so a phone's narrow screen shows it beside the structure.
KEY_MEASURES = (
    ("contribution", "higher", "money"),
    ("revenue", "higher", "money"),
    ("new_clients", "higher", "count"),
    ("lost_clients", "lower", "count"),
    ("key_person_revenue_at_risk", "lower", "money"),
    ("lead_wait_hours_mean", "lower", "hours"),
)
#: What the headline speaks of, in order.
HEADLINE_MEASURES = (("contribution", "money"), ("new_clients", "count"))


@dataclass(frozen=True)
class Claim:
    """One sentence of the headline and the number it states (for the report's data
    attributes: a reader, or a test, can check it against ``differences.csv``)."""

    text: str
    measure: str | None = None
    structure: str | None = None
    difference: float | None = None
    kind: str = ""  # "definition", "too_wide": what the sentence does besides a result


def _rows(diffs: pd.DataFrame, measure: str, structures: list[str]) -> pd.DataFrame:
    d = diffs[diffs["measure"] == measure].set_index("structure")
    return d.reindex([s for s in structures if s in d.index])


def _clear(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1", "1.0")


def precision_claim(ranking: RankingPrecision | None, replications: int, baseline: str,
                    numbers: Numbers) -> list[Claim]:
    """The warning that the replications are too few to rank the structures, with how
    many would do (none where the intervals are narrow enough)."""
    n = numbers
    if ranking is None or not ranking.too_wide:
        return []
    ran = n.plural("replications", replications)
    if not finite(ranking.widest):
        return [Claim(n.t("h.too_wide_run", replications=ran), "contribution",
                      kind="too_wide")]
    return [Claim(n.t("h.too_wide", replications=ran, widest=n.money(ranking.widest),
                      structure=ranking.structure, baseline=baseline,
                      precision=n.money(ranking.allowed),
                      needed=n.plural("replications", ranking.needed)),
                  "contribution", ranking.structure, kind="too_wide")]


def headline(diffs: pd.DataFrame, structures: list[str], baseline: str, months: int,
             replications: int, numbers: Numbers,
             ranking: RankingPrecision | None = None) -> list[Claim]:
    """The answer in a few sentences: whether the replications are too few to rank
    (``ranking``), what contribution is; for contribution and new clients, which
    structure leads against the baseline with an interval that excludes zero, by how
    much; which are clearly below; which show no clear difference; and when the leader
    on contribution pays back, with its dip. ``diffs`` is ``differences.csv``."""
    n = numbers
    out = [Claim(n.t("h.intro", baseline=baseline, months=months,
                     replications=n.plural("replications", replications)))]
    out += precision_claim(ranking, replications, baseline, n)
    out.append(Claim(n.t("h.contribution"), "contribution", kind="definition"))
    for measure, kind in HEADLINE_MEASURES:
        d = _rows(diffs, measure, structures)
        if d.empty:
            continue
        name = n.t(f"m.{measure}")
        clear = d["excludes_zero"].map(_clear)
        above = d[clear & (d["difference"] > 0)].sort_values("difference", ascending=False)
        below = d[clear & (d["difference"] < 0)].sort_values("difference")
        unclear = [s for s in d.index if s not in above.index and s not in below.index]

        def items(frame: pd.DataFrame, kind: str = kind) -> str:
            return ", ".join(n.t("h.item", structure=s,
                                 difference=n.format(r.difference, kind, signed=True))
                             for s, r in frame.iterrows())

        if above.empty and below.empty:
            out.append(Claim(n.t("h.none_clear", baseline=baseline, measure=name), measure))
            continue
        if not above.empty:
            s, r = above.index[0], above.iloc[0]
            out.append(Claim(n.t("h.leads", structure=s, measure=name, baseline=baseline,
                                 difference=n.format(r.difference, kind, signed=True),
                                 relative=n.percent(r.relative),
                                 low=n.format(r.ci_low, kind, signed=True),
                                 high=n.format(r.ci_high, kind, signed=True)),
                             measure, s, float(r.difference)))
            if len(above) > 1:
                out.append(Claim(n.t("h.also_above", baseline=baseline, measure=name,
                                     items=items(above.iloc[1:])), measure))
            if measure == "contribution":
                out += payback_claims(diffs, s, baseline, months, n)
        else:
            out.append(Claim(n.t("h.none_above", baseline=baseline, measure=name), measure))
        if not below.empty:
            out.append(Claim(n.t("h.below", baseline=baseline, measure=name,
                                 items=items(below)), measure))
        if unclear:
            out.append(Claim(n.t("h.unclear", baseline=baseline, measure=name,
                                 items=", ".join(unclear)), measure))
    return out


def payback_claims(diffs: pd.DataFrame, structure: str, baseline: str, months: int,
                   numbers: Numbers) -> list[Claim]:
    """When ``structure`` pays back against the baseline (the first month from which the
    mean cumulative contribution difference stays above zero, with the months the 95 %
    band's edges give) and its dip, from the ``payback_month``, ``dip`` and
    ``dip_month`` rows of ``differences.csv``."""
    n = numbers
    d = diffs[diffs["structure"] == structure].set_index("measure")
    if "payback_month" not in d.index:
        return []
    p = d.loc["payback_month"]
    month, early, late = p["difference"], p["ci_low"], p["ci_high"]
    out = []
    dip = d.loc["dip"] if "dip" in d.index else None
    dip_month = d.loc["dip_month", "difference"] if "dip_month" in d.index else float("nan")
    if finite(month) and int(month) == 1 and (dip is None or dip["difference"] >= 0):
        out.append(Claim(n.t("h.ahead_from_start", structure=structure, baseline=baseline),
                         "payback_month", structure, 1.0))
        return out
    if finite(month):
        key = "h.payback" if finite(late) else "h.payback_open"
        out.append(Claim(n.t(key, structure=structure, baseline=baseline, month=int(month),
                             early=int(early) if finite(early) else int(month),
                             late=int(late) if finite(late) else "", months=months),
                         "payback_month", structure, float(month)))
    elif finite(early):
        out.append(Claim(n.t("h.no_payback_early", structure=structure, baseline=baseline,
                             months=months, early=int(early)), "payback_month", structure))
    else:
        out.append(Claim(n.t("h.no_payback", structure=structure, baseline=baseline,
                             months=months), "payback_month", structure))
    if dip is not None and finite(dip["difference"]) and dip["difference"] < 0:
        out.append(Claim(n.t("h.dip", baseline=baseline, month=int(dip_month),
                             dip=n.money(dip["difference"], signed=True),
                             low=n.money(dip["ci_low"], signed=True),
                             high=n.money(dip["ci_high"], signed=True)),
                         "dip", structure, float(dip["difference"])))
    return out


def range_title(what: str, values: dict[str, float], baseline: str | None, kind: str,
                numbers: Numbers) -> str:
    """A chart's takeaway: the baseline's value and the range of the others."""
    n = numbers
    values = {s: v for s, v in values.items() if finite(v)}
    if not values:
        return what
    if len(values) == 1:
        return n.t("t.single", what=what, value=n.format(next(iter(values.values())), kind))
    if baseline not in values:
        low, high = min(values, key=values.get), max(values, key=values.get)
        return n.t("t.spread", what=what, low=n.format(values[low], kind), low_structure=low,
                   high=n.format(values[high], kind), high_structure=high)
    others = {s: v for s, v in values.items() if s != baseline}
    base = n.format(values[baseline], kind)
    if len(others) == 1:
        (s, v), = others.items()
        return n.t("t.range_one", what=what, baseline=baseline, base_value=base, structure=s,
                   value=n.format(v, kind))
    low, high = min(others, key=others.get), max(others, key=others.get)
    return n.t("t.range", what=what, baseline=baseline, base_value=base,
               low=n.format(others[low], kind), low_structure=low,
               high=n.format(others[high], kind), high_structure=high)


def transition_title(curve: pd.DataFrame, baseline: str, numbers: Numbers) -> str:
    """The transition chart's takeaway: where each structure ends against the baseline."""
    n = numbers
    if curve.empty:
        return n.t("c.cumulative", baseline=baseline)
    last = int(curve["month"].max())
    end = curve[curve["month"] == last].set_index("structure")["difference"]
    if len(end) == 1:
        return n.t("t.transition_one", baseline=baseline, month=last, structure=end.index[0],
                   value=n.money(end.iloc[0], signed=True))
    return n.t("t.transition", baseline=baseline, month=last,
               low=n.money(end.min(), signed=True), low_structure=end.idxmin(),
               high=n.money(end.max(), signed=True), high_structure=end.idxmax())


def bridge_title(parts: pd.DataFrame, numbers: Numbers) -> str:
    """The bridge chart's takeaway for the structure with the highest contribution
    difference: its total and its largest part. ``parts``: structure, part, effect,
    with ``part == "contribution"`` for the total."""
    n = numbers
    total = parts[parts["part"] == "contribution"].set_index("structure")["effect"]
    if total.empty:
        return ""
    s = total.idxmax()
    mine = parts[(parts["structure"] == s) & (parts["part"] != "contribution")]
    big = mine.loc[mine["effect"].abs().idxmax()]
    return n.t("t.bridge", structure=s, value=n.money(total[s], signed=True),
               part=n.t(f"m.{big['part']}"), part_value=n.money(big["effect"], signed=True))
