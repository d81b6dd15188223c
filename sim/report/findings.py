"""Plain-language findings generated from the numbers of a comparison (``findings.md``),
in the study's language (``report.language``): the words from the text catalogue
(:mod:`sim.report.texts`), the numbers from :class:`sim.report.numbers.Numbers`.

Nothing here has an opinion: each sentence states which structure leads on a measure,
by how much against the baseline, and whether the paired 95 % interval excludes zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.config.localized import localized
from sim.report.headline import precision_claim
from sim.report.numbers import Numbers, finite, numbers_for
from sim.study.applicability import not_applicable
from sim.study.precision import ranking_precision

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sim.report.results_like import ResultsWithRuns

#: (measure, better, kind): kind formats the number; the title is ``f.<measure>``.
KEY_MEASURES = (
    ("revenue", "higher", "money"),
    ("new_clients", "higher", "count"),
    ("contribution", "higher", "money"),
    ("lost_clients", "lower", "count"),
    ("key_person_revenue_at_risk", "lower", "money"),
    ("lead_wait_hours_mean", "lower", "hours"),
)

#: The mechanisms' table: (measure, kind); the label is ``f.<measure>``.
WHY_MEASURES = (
    ("active_share", "share"), ("new_clients_outbound", "count"),
    ("new_clients_inbound", "count"), ("new_clients_marketing", "count"),
    ("lost_clients_neglect", "count"), ("lost_clients_manager_left", "count"),
    ("lost_clients_handoff", "count"), ("lost_clients_lost_order", "count"),
    ("lost_clients_contact", "count"),
    ("turnover_annual", "share"), ("vacant_seat_days", "count"),
    ("top_manager_revenue_share", "share"), ("payroll", "money"),
    ("marketing_spend", "money"), ("overhead_cost", "money"), ("transition_cost", "money"),
)

#: The contribution bridge: (measure, sign it enters the contribution with).
BRIDGE = (("gross_margin", 1.0), ("payroll", -1.0), ("overhead_cost", -1.0),
          ("marketing_spend", -1.0), ("transition_cost", -1.0))


def timing_lines(diffs: pd.DataFrame, structures: list[str], base: str,
                 n: Numbers | None = None) -> list[str]:
    """When each structure's cumulative paired contribution difference against the
    baseline turns for good, and how deep it goes first (sentences from the numbers)."""
    n = n or Numbers()
    d = diffs.set_index(["structure", "measure"])
    lines = [n.t("f.timing"), ""]
    for s in structures:
        if s == base or (s, "payback_month") not in d.index:
            continue
        pay, dip = d.loc[(s, "payback_month")], d.loc[(s, "dip")]
        month = int(d.loc[(s, "dip_month")].difference)
        if not finite(pay.difference):  # the mean never stays above zero
            when = n.t("f.no_payback")
        else:
            late = (n.t("f.not_within") if not finite(pay.ci_high)
                    else n.t("f.month", month=int(pay.ci_high)))
            early = "?" if not finite(pay.ci_low) else str(int(pay.ci_low))
            when = n.t("f.payback", month=int(pay.difference), early=early, late=late)
        if dip.difference < 0:
            depth = n.t("f.depth", month=month, dip=n.money(dip.difference, True),
                        low=n.money(dip.ci_low, True), high=n.money(dip.ci_high, True))
        else:
            depth = n.t("f.never_below")
        lines.append(n.t("f.timing_line", structure=s, baseline=base, when=when,
                         depth=depth))
    return lines + [""]


def bridge_lines(diffs: pd.DataFrame, structures: list[str], base: str,
                 n: Numbers | None = None) -> list[str]:
    """Each structure's contribution difference against the baseline, split into the
    revenue, payroll, overhead and marketing effects, each with its paired interval."""
    n = n or Numbers()
    lines = [n.t("f.bridge"), "", n.t("f.bridge_note", baseline=base), "",
             f"| {n.t('r.structure')} | {n.t('m.contribution')} | "
             + " | ".join(n.t(f"m.{m}") for m, _ in BRIDGE) + " |",
             "|---|---|" + "---|" * len(BRIDGE)]
    d = diffs.set_index(["structure", "measure"])
    for s in structures:
        if s == base or (s, "contribution") not in d.index:
            continue

        def cell(measure: str, sign: float, s: str = s) -> str:
            r = d.loc[(s, measure)]
            lo, hi = sorted((sign * r.ci_low + 0.0, sign * r.ci_high + 0.0))  # no -0
            return (f"{n.money(sign * r.difference + 0.0, True)} "
                    f"({n.t('n.interval', low=n.money(lo, True), high=n.money(hi, True))})")

        lines.append(f"| {s} | {cell('contribution', 1.0)} | "
                     + " | ".join(cell(m, sign) for m, sign in BRIDGE) + " |")
    return lines + [""]


def _key_lines(results: ResultsWithRuns, n: Numbers) -> list[str]:
    """Per key measure: the leader with its interval, then each structure against the
    baseline with its paired interval and whether it excludes zero."""
    summary, diffs, base = results.summary(), results.differences(), results.baseline
    mean = summary.pivot(index="measure", columns="structure", values="mean")
    low = summary.pivot(index="measure", columns="structure", values="ci_low")
    high = summary.pivot(index="measure", columns="structure", values="ci_high")
    lines: list[str] = []
    for measure, better, kind in KEY_MEASURES:
        if measure not in mean.index:
            continue
        row = mean.loc[measure, results.structures]
        if row.isna().all():
            continue
        leader = row.idxmax() if better == "higher" else row.idxmin()
        lines += [f"## {n.t(f'f.{measure}')}", ""]
        lines.append(n.t("f.highest" if better == "higher" else "f.lowest",
                         structure=leader, value=n.format(row[leader], kind),
                         low=n.format(low.loc[measure, leader], kind),
                         high=n.format(high.loc[measure, leader], kind)))
        d = diffs[diffs.measure == measure].set_index("structure")
        for structure in results.structures:
            if structure == base or structure not in d.index:
                continue
            r = d.loc[structure]
            rel = f" ({n.percent(r.relative)})" if finite(r.relative) and kind != "share" \
                else ""
            clear = str(r.excludes_zero).strip().lower() in ("true", "1", "1.0")
            lines.append(n.t("f.against", structure=structure, baseline=base,
                             base_value=n.format(row[base], kind),
                             difference=n.format(r.difference, kind, True), relative=rel,
                             low=n.format(r.ci_low, kind, True),
                             high=n.format(r.ci_high, kind, True),
                             verdict=n.t("f.excludes" if clear else "f.includes")))
        lines.append("")
    return lines


def selection_lines(results: ResultsWithRuns, n: Numbers) -> list[str]:
    """What the selection procedure decided, where the replications were chosen by it
    (``compare --select``); nothing for a fixed count."""
    meta = getattr(results, "meta", None) or getattr(results, "manifest", None) or {}
    chosen = meta.get("selection")
    if not chosen:
        return []
    used = ", ".join(f"{s} {k}" for s, k in chosen["replications"].items())
    if chosen["capped"]:
        return [n.t("f.selection_capped", selected=chosen["selected"], replications=used),
                ""]
    return [n.t("f.selection", selected=chosen["selected"],
                confidence=n.percent(chosen["confidence"]), delta=n.money(chosen["delta"]),
                replications=used, runs=chosen["runs_used"],
                saving=n.percent(chosen["saving"]), fixed=chosen["fixed_runs"]), ""]


def findings_markdown(results: ResultsWithRuns, language: str | None = None) -> str:
    """``findings.md``: the key measures, the contribution bridge, payback and dip, and
    the mechanisms' table, in ``language`` (default: the scenario's)."""
    sc = results.scenario
    n = numbers_for(sc)
    n = n if language is None else Numbers(language, n.currency)
    diffs, base, exp = results.differences(), results.baseline, sc.experiment
    start = (n.t("f.mature", years=n.plural("years", exp.warmup_years))
             if exp.initial_state == "mature" else n.t("f.fresh"))
    named = localized(sc.description, n.language).strip() or sc.name
    lines = [n.t("f.title", name=named), "",
             n.t("f.intro", replications=n.plural("replications", results.replications),
                 years=n.plural("years", exp.horizon_years), start=start, seed=results.seed,
                 structures=", ".join(results.structures), baseline=base), ""]
    lines += selection_lines(results, n)
    ranking = ranking_precision(diffs, results.summary(), base, results.replications)
    lines += [c.text + "\n" for c in precision_claim(ranking, results.replications, base, n)]
    lines += _key_lines(results, n)
    lines += bridge_lines(diffs, results.structures, base, n)
    lines += timing_lines(diffs, results.structures, base, n)
    lines += rests_on_lines(results, n)
    lines += [n.t("f.why"), "", n.t("f.why_note"), "",
              f"| {n.t('f.measure')} | " + " | ".join(results.structures) + " |",
              "|---|" + "---|" * len(results.structures)]
    means = results.runs.groupby("structure").mean(numeric_only=True)
    na = not_applicable(results.scenario, results.structures)
    for measure, kind in WHY_MEASURES:
        if measure in means.columns:
            cells = [n.t("n.na") if measure in na.get(s, set())
                     else n.format(means.loc[s, measure], kind) for s in results.structures]
            lines.append(f"| {n.t(f'f.{measure}')} | " + " | ".join(cells) + " |")
    lines += ["", n.t("f.why_after"), ""]
    return "\n".join(lines)


def rests_on_lines(results: ResultsWithRuns, n: Numbers) -> list[str]:
    """"What the ranking rests on": the assumptions a screening of the scenario finds
    moving the differences against the baseline most, or, with no screening, the command
    that makes one. The CLI puts what it found in ``meta["screening"]``."""
    from sim.study.screening import default_screening, screening_command

    meta = getattr(results, "meta", None) or {}
    found = meta.get("screening") or {}
    base = results.baseline
    lines = [n.t("f.rests_on"), ""]
    scenario_file = found.get("scenario_file") or f"{results.scenario.name}.yaml"
    folder = found.get("folder")
    if found.get("error"):
        lines += [n.t("f.screening_unusable", folder=folder, error=found["error"]), ""]
    if not found.get("top"):
        return lines + [n.t("f.no_screening", command=screening_command(scenario_file),
                            folder=default_screening(scenario_file)), ""]
    lines += [n.t("f.rests_on_note", folder=folder, baseline=base), ""]
    for r in found["top"]:
        verdict = (n.t("f.above_noise") if r["above_noise"] else
                   n.t("f.within_noise", floor=n.money(r["noise_floor"])))
        lines.append(n.t("f.rests_on_line", parameter=r["parameter"],
                         group=f" (`{r['group']}`)" if r["group"] and r["group"] != r[
                             "parameter"] else "",
                         mu=n.money(r["mu_star"]), low=n.money(r["ci_low"]),
                         high=n.money(r["ci_high"]), structure=r["structure"],
                         baseline=base, verdict=verdict))
    return lines + [""]
