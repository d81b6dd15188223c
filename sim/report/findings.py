"""Plain-language findings generated from the numbers of a comparison.

Nothing here has an opinion: each sentence states which structure leads on a measure,
by how much against the baseline, and whether the paired 95 % interval excludes zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from sim.study.results import Results

#: (measure, title, better, kind): kind formats the number.
KEY_MEASURES = (
    ("revenue", "Revenue over the horizon", "higher", "money"),
    ("new_clients", "New clients won", "higher", "count"),
    ("contribution", "Contribution (revenue x margin - payroll - marketing - overhead - "
     "transition)", "higher", "money"),
    ("lost_clients", "Clients lost", "lower", "count"),
    ("key_person_revenue_at_risk", "Key-person risk (expected annual revenue that would "
     "follow the most bonded person out)", "lower", "money"),
    ("lead_wait_hours_mean", "Mean wait of a lead before first contact", "lower", "hours"),
)

WHY_MEASURES = (
    ("active_share", "share of free time spent on active work", "share"),
    ("new_clients_outbound", "new clients from outbound prospecting", "count"),
    ("new_clients_inbound", "new clients from inbound leads", "count"),
    ("new_clients_marketing", "new clients from marketing", "count"),
    ("lost_clients_neglect", "clients lost to neglect", "count"),
    ("lost_clients_manager_left", "clients who left with a manager", "count"),
    ("lost_clients_handoff", "clients lost at a hand-off", "count"),
    ("lost_clients_lost_order", "clients lost after an unanswered order", "count"),
    ("turnover_annual", "manager turnover a year", "share"),
    ("vacant_seat_days", "vacant seat-days", "count"),
    ("top_manager_revenue_share", "share of revenue one person's own clients bring",
     "share"),
    ("payroll", "payroll", "money"),
    ("marketing_spend", "marketing spend", "money"),
    ("overhead_cost", "overhead (supervision and tools)", "money"),
    ("transition_cost", "cost of the switch (severance, recruiting, set-up, build-up)",
     "money"),
)

#: The contribution bridge: (measure, label, sign it enters the contribution with).
BRIDGE = (
    ("gross_margin", "revenue x margin", 1.0),
    ("payroll", "payroll", -1.0),
    ("overhead_cost", "overhead", -1.0),
    ("marketing_spend", "marketing", -1.0),
    ("transition_cost", "transition", -1.0),
)


def timing_lines(diffs, structures: list[str], base: str) -> list[str]:
    """When each structure's cumulative paired contribution difference against the
    baseline turns for good, and how deep it goes first (sentences from the numbers)."""
    d = diffs.set_index(["structure", "measure"])
    lines = ["## Payback and dip against the baseline", ""]
    for s in structures:
        if s == base or (s, "payback_month") not in d.index:
            continue
        pay, dip = d.loc[(s, "payback_month")], d.loc[(s, "dip")]
        month = int(d.loc[(s, "dip_month")].difference)
        if pay.difference != pay.difference:  # NaN: the mean never stays above zero
            when = "does not pay back within the horizon"
        else:
            late = ("not within the horizon" if pay.ci_high != pay.ci_high
                    else f"month {pay.ci_high:.0f}")
            early = "?" if pay.ci_low != pay.ci_low else f"{pay.ci_low:.0f}"
            when = (f"pays back from month {pay.difference:.0f} (95 % band: from month "
                    f"{early} to {late})")
        if dip.difference < 0:
            depth = (f"its cumulative difference is lowest in month {month}, at "
                     f"{fmt(dip.difference, 'money', signed=True)} (interval "
                     f"{fmt(dip.ci_low, 'money', signed=True)} to "
                     f"{fmt(dip.ci_high, 'money', signed=True)})")
        else:
            depth = "its cumulative difference never falls below zero"
        lines.append(f"- {s} against {base}: {when}; {depth}.")
    return lines + [""]


def bridge_lines(diffs, structures: list[str], base: str) -> list[str]:
    """Each structure's contribution difference against the baseline, split into the
    revenue, payroll, overhead and marketing effects, each with its paired interval."""
    lines = ["## Contribution bridge against the baseline", "",
             f"How each structure's contribution differs from {base}'s: the effect of "
             "revenue (after the gross margin), of payroll, of overhead, of marketing "
             "spend and of the switch itself, each a paired difference with its 95 % "
             "interval; they add up to the contribution difference.", "",
             "| structure | contribution | " + " | ".join(b[1] for b in BRIDGE) + " |",
             "|---|---|" + "---|" * len(BRIDGE)]
    d = diffs.set_index(["structure", "measure"])
    for s in structures:
        if s == base or (s, "contribution") not in d.index:
            continue

        def cell(measure: str, sign: float, s: str = s) -> str:
            r = d.loc[(s, measure)]
            lo, hi = sorted((sign * r.ci_low + 0.0, sign * r.ci_high + 0.0))  # no -0
            return (f"{fmt(sign * r.difference + 0.0, 'money', signed=True)} "
                    f"({fmt(lo, 'money', signed=True)} to {fmt(hi, 'money', signed=True)})")

        lines.append(f"| {s} | {cell('contribution', 1.0)} | "
                     + " | ".join(cell(m, sign) for m, _, sign in BRIDGE) + " |")
    return lines + [""]


def fmt(value: float, kind: str, signed: bool = False) -> str:
    if value != value:  # NaN
        return "n/a"
    sign = "+" if signed and value > 0 else ""
    if kind == "money":
        a = abs(value)
        if a >= 1e6:
            return f"{sign}{value / 1e6:,.2f} M"
        if a >= 1e3:
            return f"{sign}{value / 1e3:,.1f} k"
        return f"{sign}{value:,.0f}"
    if kind == "share":
        return f"{sign}{100 * value:.1f} %" if not signed else f"{sign}{100 * value:.1f} pp"
    if kind == "hours":
        return f"{sign}{value:.2f} h"
    return f"{sign}{value:,.1f}" if abs(value) < 100 else f"{sign}{value:,.0f}"


def findings_markdown(results: Results) -> str:
    sc = results.scenario
    summary = results.summary()
    diffs = results.differences()
    base = results.baseline
    exp = sc.experiment
    start = ("a mature department (a warm-up of "
             f"{exp.warmup_years:g} years under classic, not reported; the reorganisation's "
             "own costs are)" if exp.initial_state == "mature" else "a new department")
    lines = [
        f"# Findings: {sc.name}",
        "",
        f"{results.replications} replications of {exp.horizon_years:g} years from {start}, "
        f"seed {results.seed}. Structures: {', '.join(results.structures)}; baseline "
        f"`{base}`. Differences are paired by replication (every structure meets the same "
        "market and the same random draws), with 95 % intervals; an interval that excludes "
        "zero means the difference is unlikely to be chance. These numbers follow from the "
        "scenario's parameters; change them and the ranking may change.",
        "",
    ]
    mean = summary.pivot(index="measure", columns="structure", values="mean")
    low = summary.pivot(index="measure", columns="structure", values="ci_low")
    high = summary.pivot(index="measure", columns="structure", values="ci_high")
    for measure, title, better, kind in KEY_MEASURES:
        if measure not in mean.index:
            continue
        row = mean.loc[measure, results.structures]
        if row.isna().all():
            continue
        leader = row.idxmax() if better == "higher" else row.idxmin()
        lines += [f"## {title}", ""]
        lines.append(
            f"- {'Highest' if better == 'higher' else 'Lowest'}: **{leader}**, "
            f"{fmt(row[leader], kind)} (95 % interval {fmt(low.loc[measure, leader], kind)} "
            f"to {fmt(high.loc[measure, leader], kind)}).")
        d = diffs[diffs.measure == measure].set_index("structure")
        for structure in results.structures:
            if structure == base or structure not in d.index:
                continue
            r = d.loc[structure]
            rel = (f" ({r.relative * 100:+.1f} %)" if r.relative == r.relative
                   and kind != "share" else "")
            verdict = ("the interval excludes zero" if r.excludes_zero
                       else "the interval includes zero: no clear difference")
            lines.append(
                f"- {structure} against {base} ({fmt(row[base], kind)}): "
                f"{fmt(r.difference, kind, signed=True)}{rel}, interval "
                f"{fmt(r.ci_low, kind, signed=True)} to {fmt(r.ci_high, kind, signed=True)}; "
                f"{verdict}.")
        lines.append("")
    lines += bridge_lines(diffs, results.structures, base)
    lines += timing_lines(diffs, results.structures, base)
    lines += ["## Why: the mechanisms behind the numbers", "",
              "Means over replications for the whole horizon.", "",
              "| measure | " + " | ".join(results.structures) + " |",
              "|---|" + "---|" * len(results.structures)]
    means = results.runs.groupby("structure").mean(numeric_only=True)
    for measure, label, kind in WHY_MEASURES:
        if measure in means.columns:
            cells = [fmt(means.loc[s, measure], kind) for s in results.structures]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Each row is one mechanism of the model (docs/model.md): the active share "
              "is what drift and monitoring leave of the free time (charts/moss_curve.png "
              "shows it by tenure); outbound clients follow from it; clients are lost to "
              "neglect when care lapses, to leavers through personal bonds, at hand-offs "
              "between roles, and after orders nobody answered in time; payroll, "
              "marketing spend and overhead are the cost side of the contribution.", ""]
    return "\n".join(lines)

