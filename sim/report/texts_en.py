"""Every English text of the owner's report, under the keys :mod:`sim.report.texts` shares
with the Russian catalogue: measure and category names, number units, the headline's
sentences, chart takeaways and labels, and the HTML report's headings and notes. Plain
data, kept apart from the code that fills it so that a translation is a file of its
own and the formatter and the sentences stay short.
"""

EN: dict[str, str] = {
    # measures
    "m.revenue": "revenue",
    "m.new_clients": "new clients",
    "m.contribution": "contribution",
    "m.lost_clients": "clients lost",
    "m.key_person_revenue_at_risk": "key-person risk",
    "m.lead_wait_hours_mean": "lead wait",
    "m.payback_month": "pays back from",
    "m.dip": "lowest point",
    "m.gross_margin": "revenue x margin",
    "m.payroll": "payroll",
    "m.overhead_cost": "overhead",
    "m.marketing_spend": "marketing",
    "m.transition_cost": "transition",
    "src.outbound": "outbound",
    "src.inbound": "inbound",
    "src.referral": "referral",
    "src.marketing": "marketing",
    "cause.neglect": "neglect",
    "cause.lost_order": "unanswered order",
    "cause.manager_left": "left with a manager",
    "cause.natural": "natural churn",
    "cause.handoff": "hand-off",
    # numbers
    "n.na": "n/a",
    "n.interval": "{low} to {high}",
    "n.thousand": "k",
    "n.million": "M",
    "n.hours": "h",
    "n.minutes": "min",
    "n.pp": "pp",
    "n.month": "month {month}",
    "n.not_within": "not within {months} months",
    "n.payback_band": "95 %: month {early} to month {late}",
    "n.payback_band_open": "95 %: from month {early}; at the low edge, beyond month "
                           "{months}",
    # the headline
    "h.intro": "Against {baseline}, over {months} months after the switch; differences "
               "are paired by replication ({replications} replications) with 95 % "
               "intervals.",
    "h.leads": "{structure} leads on {measure}: {difference} against {baseline} "
               "({relative}), 95 % interval {low} to {high}.",
    "h.also_above": "Also above {baseline} on {measure}, with intervals that exclude "
                    "zero: {items}.",
    "h.none_above": "No structure is above {baseline} on {measure} with an interval "
                    "that excludes zero.",
    "h.below": "Below {baseline} on {measure}, with intervals that exclude zero: "
               "{items}.",
    "h.unclear": "No clear difference from {baseline} on {measure} for {items}: their "
                 "intervals include zero.",
    "h.none_clear": "No structure differs clearly from {baseline} on {measure}: every "
                    "95 % interval includes zero.",
    "h.payback": "{structure} pays back from month {month}: from then on its "
                 "cumulative contribution stays above {baseline}'s (95 % band: month "
                 "{early} to month {late}).",
    "h.payback_open": "{structure} pays back from month {month}: from then on its "
                      "cumulative contribution stays above {baseline}'s; at the low "
                      "edge of the 95 % band, not within {months} months.",
    "h.no_payback": "{structure}'s cumulative contribution does not stay above "
                    "{baseline}'s within {months} months.",
    "h.no_payback_early": "{structure}'s cumulative contribution does not stay above "
                          "{baseline}'s within {months} months on average; at the "
                          "high edge of the 95 % band, from month {early}.",
    "h.ahead_from_start": "{structure} is ahead of {baseline} on cumulative "
                          "contribution from the first month on.",
    "h.dip": "At its lowest, in month {month}, the cumulative difference from "
             "{baseline} is {dip} (95 % interval {low} to {high}).",
    "h.item": "{structure} {difference}",
    # chart takeaways
    "t.range": "{what}: {baseline} {base_value}; the others from {low} ({low_structure}) "
               "to {high} ({high_structure})",
    "t.range_one": "{what}: {baseline} {base_value}, {structure} {value}",
    "t.single": "{what}: {value}",
    "t.spread": "{what}: from {low} ({low_structure}) to {high} ({high_structure})",
    "t.transition": "Cumulative contribution against {baseline} by month {month}: from "
                    "{low} ({low_structure}) to {high} ({high_structure})",
    "t.transition_one": "Cumulative contribution against {baseline} by month {month}: "
                        "{structure} {value}",
    "t.bridge": "Where the contribution difference comes from: for {structure}, "
                "{value} in all, the largest part {part} ({part_value})",
    "t.summary": "Key measures over {months} months: means with 95 % intervals",
    "w.revenue_month": "Mean revenue per month, months {first}-{last}",
    "w.new_clients_month": "New clients per month, months {first}-{last}",
    "w.new_clients": "New clients over {months} months",
    "w.lost_clients": "Clients lost over {months} months",
    "w.moss": "Free time on active work at {tenure} months of tenure",
    # chart labels
    "c.month": "Month (0 = the month before the switch)",
    "c.month_fresh": "Month of the simulation",
    "c.before": "before the switch",
    "c.switch": "switch",
    "c.start": "start",
    "c.cumulative": "Cumulative contribution against {baseline}",
    "c.baseline": "{baseline} (baseline)",
    "c.revenue_month": "Revenue per month",
    "c.new_clients_month": "New clients per month",
    "c.tenure": "Tenure (months)",
    "c.active_share": "Free time on active work (%)",
    "c.prospecting_share": "Worked hours spent hunting (%)",
    "c.moss_row": "Free time spent on active work (hunting and client care)",
    "c.count": "Clients (mean over replications)",
    "c.effect": "Effect on contribution against {baseline}",
    "c.total": "contribution",
    "c.payback": "pays back from month {month}",
    "c.lowest": "lowest {value}",
    "c.revenue": "Revenue",
    "c.new_clients": "New clients",
    "c.contribution": "Contribution",
    "c.lost_clients": "Clients lost",
    "c.base_per_manager": "Each manager's personal base grows, then levels off "
                          "(replication {replication})",
    "c.clients_owned": "Clients owned",
    "c.one_line": "{structure}: one line per manager",
    "c.left": "manager left",
    # report
    "r.title": "Which structure for the sales department: {scenario}",
    "r.answer": "The answer in brief",
    "r.key_figures": "Key figures",
    "r.key_note": "Means over replications over the horizon; under each, the paired "
                  "difference against {baseline} with its 95 % interval. Blue: better "
                  "than {baseline}, vermillion: worse, each only where the interval "
                  "excludes zero; grey: no clear difference.",
    "r.structure": "structure",
    "r.better": "better",
    "r.worse": "worse",
    "r.unclear": "no clear difference",
    "r.transition": "The transition: before and after the switch",
    "r.transition_note": "Each panel: the cumulative paired difference of contribution "
                         "against {baseline} by month, mean over replications, shaded "
                         "95 % band; the dashed line is {baseline}. Where the line "
                         "crosses it for good, the structure has paid back.",
    "r.revenue_note": "Revenue per month: each structure's mean with its 95 % band; "
                      "the dashed line is {baseline} in every panel.",
    "r.mechanisms": "Why: the mechanisms behind the numbers",
    "r.moss_note": "By months of tenure, all managers of a structure pooled, mean over "
                   "replications with 95 % band; dashed: {baseline}. Care of clients "
                   "counts as active work, so the upper row falls only with drift of "
                   "motivation; the lower row also falls when a growing base fills the "
                   "day.",
    "r.sources_note": "Mean over replications; the dashed line marks {baseline}'s "
                      "total.",
    "r.bridge_note": "Each panel splits a structure's contribution difference against "
                     "{baseline} into its parts, each a paired difference with its 95 % "
                     "interval (lines); coloured only where the interval excludes zero.",
    "r.assumptions": "The assumptions behind the numbers",
    "r.changed": "Parameters this scenario sets differently from the defaults",
    "r.changed_none": "None: every parameter has its default value.",
    "r.parameter": "parameter",
    "r.value": "value",
    "r.default": "default",
    "r.origin": "origin",
    "r.uncertain": "Parameters the scenario marks as uncertain (what a sweep varies)",
    "r.range": "plausible range",
    "r.source": "source of the range",
    "r.origins": "Where the defaults come from",
    "r.origins_note": "Of the {total} numbers of the default scenario: {source} cite a "
                      "source, {calibrated} are calibrated to published figures, "
                      "{assumption} are assumptions and {choice} are choices of the "
                      "model (a unit, a definition, a rule such as first come, first "
                      "served). The full list is at the end.",
    "r.origins_missing": "The default scenario's file with its sources "
                         "(scenarios/default.yaml) was not found beside the package.",
    "o.source": "source",
    "o.calibrated": "calibrated",
    "o.assumption": "assumption",
    "o.choice": "choice of the model",
    "o.scenario": "set in this scenario",
    "o.default_was": "the default: {comment}",
    "r.sensitivity": "Sensitivity: what changes the answer",
    "r.sensitivity_wins": "Share of design points where each structure has the highest "
                          "mean contribution",
    "r.computed": "How it was computed",
    "r.rerun": "To run it again",
    "r.replications": "replications",
    "r.seed": "root seed",
    "r.start": "starting state",
    "r.mature": "a mature department: {years} years of warm-up under classic, then the "
                "switch",
    "r.fresh": "a new department",
    "r.horizon": "horizon",
    "r.horizon_value": "{years} years ({months} months) after the switch",
    "r.structures": "structures",
    "r.baseline": "baseline",
    "r.created": "created",
    "r.wall": "wall time",
    "r.command": "command",
    "r.versions": "versions",
    "r.platform": "platform",
    "r.pay_scales": "pay parity scales",
    "r.failures": "failed replications",
    "r.download": "The tables as CSV files:",
    "r.appendix": "Appendix: every number of the default scenario and its origin",
    "r.footer": "Generated by salesim {version} on {created} from the files of its "
                "results folder. Every sentence above is computed from the numbers; "
                "none is written in advance.",
}
