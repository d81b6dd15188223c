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
    "m.gross_margin": "revenue × margin",
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
    "cause.contact": "contacted too often",
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
               "are paired by replication ({replications}) with 95 % intervals.",
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
    "h.contribution": "Contribution is what the department earns for the firm: revenue "
                      "× gross margin − payroll − marketing − overhead (supervision "
                      "and tools) − the cost of the switch.",
    "h.too_wide": "{replications} are too few to rank the structures on contribution: "
                  "the 95 % intervals of the differences reach ±{widest} "
                  "({structure}), more than ±{precision} of {baseline}'s contribution. "
                  "About {needed} would be needed; read the differences below as "
                  "provisional.",
    "h.too_wide_run": "Ran {replications}: too few to rank the structures on "
                      "contribution; read the differences below as provisional.",
    "r.structures_head": "The structures compared",
    "r.code": "code",
    "r.not_applicable": "n/a: does not apply to this structure",
    "c.not_applicable": "n/a: no active work\nin this structure",
    # findings.md
    "f.title": "# Findings: {name}",
    "f.intro": "{replications} of {years} from {start}, seed {seed}. Structures: "
               "{structures}; baseline `{baseline}`. Differences are paired by replication "
               "(every structure meets the same market and the same random draws), with "
               "95 % intervals; an interval that excludes zero means the difference is "
               "unlikely to be chance. These numbers follow from the scenario's "
               "parameters; change them and the ranking may change.",
    "f.selection": "Replications chosen by selection (Kim and Nelson 2001): a structure "
                   "whose contribution fell clearly behind was no longer replicated. "
                   "Selected: **{selected}**, with a probability of at least {confidence} "
                   "of being the best when the best leads by {delta} or more (a structure "
                   "within {delta} of the best is an equally good answer). Replications: "
                   "{replications}; {runs} runs in all, {saving} fewer than the scenario's "
                   "fixed count ({fixed}).",
    "f.selection_capped": "Replications chosen by selection (Kim and Nelson 2001), "
                          "stopped at the replication limit before one structure remained: "
                          "**{selected}** has the highest mean, without the guarantee. "
                          "Replications: {replications}.",
    "f.mature": "a mature department (a warm-up of {years} under classic, not reported; "
                "the reorganisation's own costs are)",
    "f.fresh": "a new department",
    "f.revenue": "Revenue over the horizon",
    "f.new_clients": "New clients won",
    "f.contribution": "Contribution (revenue × margin − payroll − marketing − overhead − "
                      "transition)",
    "f.lost_clients": "Clients lost",
    "f.key_person_revenue_at_risk": "Key-person risk (expected annual revenue that would "
                                    "follow the most bonded person out)",
    "f.lead_wait_hours_mean": "Mean wait of a lead before first contact",
    "f.highest": "- Highest: **{structure}**, {value} (95 % interval {low} to {high}).",
    "f.lowest": "- Lowest: **{structure}**, {value} (95 % interval {low} to {high}).",
    "f.against": "- {structure} against {baseline} ({base_value}): {difference}{relative}, "
                 "interval {low} to {high}; {verdict}.",
    "f.excludes": "the interval excludes zero",
    "f.includes": "the interval includes zero: no clear difference",
    "f.bridge": "## Contribution bridge against the baseline",
    "f.bridge_note": "How each structure's contribution differs from {baseline}'s: the "
                     "effect of revenue (after the gross margin), of payroll, of "
                     "overhead, of marketing spend and of the switch itself, each a "
                     "paired difference with its 95 % interval; they add up to the "
                     "contribution difference.",
    "f.timing": "## Payback and dip against the baseline",
    "f.no_payback": "does not pay back within the horizon",
    "f.payback": "pays back from month {month} (95 % band: from month {early} to {late})",
    "f.not_within": "not within the horizon",
    "f.month": "month {month}",
    "f.depth": "its cumulative difference is lowest in month {month}, at {dip} (interval "
               "{low} to {high})",
    "f.never_below": "its cumulative difference never falls below zero",
    "f.timing_line": "- {structure} against {baseline}: {when}; {depth}.",
    "f.rests_on": "## What the ranking rests on",
    "f.rests_on_note": "From the Morris screening in `{folder}`: the assumptions that move a "
                       "structure's contribution difference against {baseline} most (mu*, "
                       "the mean absolute effect of moving one across its range, the largest "
                       "over the structures compared).",
    "f.rests_on_line": "- `{parameter}`{group}: mu* {mu} ({low} to {high}) on {structure} "
                       "minus {baseline}; {verdict}.",
    "f.above_noise": "above the replication noise floor",
    "f.within_noise": "not above the replication noise floor ({floor})",
    "f.no_screening": "No screening of this scenario exists, so which assumptions the "
                      "ranking rests on is not known. Make one with `{command}` (`salesim "
                      "compare` reads it from `{folder}`), or name one with `--screening DIR`.",
    "f.screening_unusable": "The screening in `{folder}` cannot be read: {error}.",
    "f.why": "## Why: the mechanisms behind the numbers",
    "f.why_note": "Means over replications for the whole horizon; n/a where a measure "
                  "does not apply to a structure (no active work, or nobody owns a "
                  "client).",
    "f.measure": "measure",
    "f.why_after": "Each row is one mechanism of the model (docs/model.md): the active "
                   "share is what drift and monitoring leave of the free time "
                   "(charts/moss_curve.png shows it by tenure); outbound clients follow "
                   "from it; clients are lost to neglect when care lapses, to leavers "
                   "through personal bonds, at hand-offs between roles, and after orders "
                   "nobody answered in time; payroll, marketing spend and overhead are the "
                   "cost side of the contribution.",
    "f.active_share": "share of free time spent on active work",
    "f.new_clients_outbound": "new clients from outbound prospecting",
    "f.new_clients_inbound": "new clients from inbound leads",
    "f.new_clients_marketing": "new clients from marketing",
    "f.lost_clients_neglect": "clients lost to neglect",
    "f.lost_clients_manager_left": "clients who left with a manager",
    "f.lost_clients_handoff": "clients lost at a hand-off",
    "f.lost_clients_lost_order": "clients lost after an unanswered order",
    "f.lost_clients_contact": "clients lost to contacts too frequent",
    "f.turnover_annual": "manager turnover a year",
    "f.vacant_seat_days": "vacant seat-days",
    "f.top_manager_revenue_share": "share of revenue one person's own clients bring",
    "f.payroll": "payroll",
    "f.marketing_spend": "marketing spend",
    "f.overhead_cost": "overhead (supervision and tools)",
    "f.transition_cost": "cost of the switch (severance, recruiting, set-up, build-up)",
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
    "r.kicker": "Which structure for the sales department",
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
    "r.origins_note": "Of the {total} of the default scenario: {source} cite a "
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
    "r.mature": "a mature department: {years} of warm-up under the classic structure, then "
                "the switch",
    "r.fresh": "a new department",
    "r.horizon": "horizon",
    "r.horizon_value": "{years} ({months}) after the switch",
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

#: Words that follow a count, in each plural form of CLDR's English rule.
PLURALS_EN: dict[str, dict[str, str]] = {
    "replications": {"one": "{count} replication", "other": "{count} replications"},
    "years": {"one": "{count} year", "other": "{count} years"},
    "months": {"one": "{count} month", "other": "{count} months"},
    "numbers": {"one": "{count} number", "other": "{count} numbers"},
    "structures": {"one": "{count} structure", "other": "{count} structures"},
    "seconds": {"one": "{count} s", "other": "{count} s"},
}

#: Each built-in structure's plain name and one line, beside its code.
STRUCTURES_EN: dict[str, tuple[str, str]] = {
    "classic": ("Full-cycle managers", "Each manager finds, wins and keeps own clients; "
                "commission on own clients' revenue."),
    "staged-2": ("Hunters and farmers", "Hunters win new clients and hand them to account "
                 "managers who keep them."),
    "staged-3": ("Three-step line", "Lead developers book meetings, closers win the deal, "
                 "account managers keep the client."),
    "ticket_pool": ("Request pool", "Every request goes to the next free specialist; "
                    "nobody owns a client."),
    "process_norm": ("Process and norm", "Dated tasks by script; pay for meeting the norm "
                     "plus a bonus above it."),
    "automated_marketing": ("Automated marketing", "Marketing buys the leads; a few "
                            "dispatchers route them."),
    "segmented": ("Key accounts and a pool", "Key-account managers own the large clients; "
                  "a request pool serves the rest."),
}
