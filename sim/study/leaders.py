"""Which structure leads in which department: for each scenario (an archetype), the
structure with the highest mean contribution and the one with the most new clients,
each with its lead over the runner-up as a paired difference on common random numbers.

The lead is the mean of the replication-by-replication difference between the leader
and the runner-up, with its Student-t interval (:func:`sim.study.measures.mean_ci`).
When the interval contains zero the lead is not clear: more replications, or a
different department, may reverse it. Nothing here picks a verdict beyond that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sim.config.scenario import Scenario
from sim.study.measures import mean_ci

#: The measures a department's leader is named on (higher is better for both).
LEAD_MEASURES = ("contribution", "new_clients")

COLUMNS = ["scenario", "measure", "leader", "leader_mean", "runner_up", "runner_up_mean",
           "lead", "ci_low", "ci_high", "clear", "replications", "structures"]


@dataclass(frozen=True)
class Lead:
    """One department's leader on one measure, against its runner-up."""

    scenario: str
    measure: str
    leader: str
    leader_mean: float
    runner_up: str
    runner_up_mean: float
    lead: float
    ci_low: float
    ci_high: float
    replications: int
    structures: tuple[str, ...]

    @property
    def clear(self) -> bool:
        """True when the paired interval of the lead excludes zero."""
        return bool(self.ci_low > 0.0)


def leads(runs: pd.DataFrame, scenario: str, confidence: float = 0.95) -> list[Lead]:
    """The leader and runner-up on each of :data:`LEAD_MEASURES` from per-run totals
    (``replication``, ``structure`` and the measures, as ``Results.runs``), with the
    leader's paired lead over the runner-up; needs at least two structures."""
    structures = tuple(dict.fromkeys(runs["structure"]))
    if len(structures) < 2:
        raise ValueError(f"{scenario}: a leader needs at least two structures; got "
                         f"{', '.join(structures)}")
    out = []
    for measure in LEAD_MEASURES:
        wide = runs.pivot_table(index="replication", columns="structure", values=measure)
        means = wide.mean().reindex(list(structures)).sort_values(ascending=False,
                                                                  kind="stable")
        leader, runner = means.index[0], means.index[1]
        paired = (wide[leader] - wide[runner]).dropna()
        mean, half, n = mean_ci(paired, confidence)
        half = float("nan") if half != half else half
        out.append(Lead(scenario, measure, leader, float(means[leader]), runner,
                        float(means[runner]), mean, mean - half, mean + half, n,
                        structures))
    return out


def leaders(scenarios: dict[str, Scenario], replications: int | None = None,
            seed: int | None = None, workers: int | None = None,
            executor: str = "processes",
            progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Compare each scenario's structures (its ``experiment.structures``) on common
    random numbers and name its leaders (:func:`leads`); one row per scenario and
    measure, in :data:`COLUMNS`. ``scenarios`` maps a label (the file's stem) to it."""
    from sim.study.experiment import compare

    rows = []
    for label, sc in scenarios.items():
        if progress:
            progress(label)
        results = compare(sc, replications=replications, seed=seed, workers=workers,
                          executor=executor)
        for lead in leads(results.runs, label):
            rows.append({"scenario": lead.scenario, "measure": lead.measure,
                         "leader": lead.leader, "leader_mean": lead.leader_mean,
                         "runner_up": lead.runner_up, "runner_up_mean": lead.runner_up_mean,
                         "lead": lead.lead, "ci_low": lead.ci_low, "ci_high": lead.ci_high,
                         "clear": lead.clear, "replications": lead.replications,
                         "structures": ",".join(lead.structures)})
    return pd.DataFrame(rows, columns=COLUMNS)
