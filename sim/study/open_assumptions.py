"""The assumptions a CRM export leaves open: the scenario's uncertainties less those
the calibration set from the export, screened with the Morris design of
:func:`sim.study.sweeps.sweep`, and read as how far each would have to move to close
the leader's margin (elementary effects: Morris 1991, Campolongo et al. 2007).
"""

from __future__ import annotations

from fnmatch import fnmatch

import pandas as pd

from sim.config.scenario import Scenario


def open_uncertainties(scenario: Scenario, calibrated: list[str]) -> Scenario:
    """The scenario with only the uncertainties no calibrated path falls under."""
    def set_by_export(key: str) -> bool:
        return any(fnmatch(p, key) or fnmatch(key, p) or p == key for p in calibrated)

    kept = {k: u for k, u in scenario.uncertainties.items() if not set_by_export(k)}
    return scenario.model_copy(update={"uncertainties": kept})


def tipping(indices: pd.DataFrame, ranges: dict[str, tuple[float, float]],
            leader: str, runner_up: str, margin: float, measure: str = "contribution",
            n: int = 3) -> pd.DataFrame:
    """The ``n`` assumptions the leader's margin over the runner-up rests on most, with
    the approximate move in each that would close it. The sweep's indices are of
    differences against its baseline; the mean elementary effect is linear, so that of
    leader minus runner-up is the difference of theirs. In SALib's units mu is per whole
    range, so the margin closes after ``margin / |mu|`` ranges, against the sign of mu
    (a linear extrapolation: approximate by construction)."""
    f = indices[(indices.measure == measure) & (indices["index"] == "mu")]

    def mu_of(structure: str) -> pd.Series:
        g = f[(f.structure == structure) & (f.versus != "")]
        return g.groupby("parameter")["value"].mean()

    params = sorted(set(f.parameter))
    lead, run = mu_of(leader), mu_of(runner_up)
    diff = pd.Series({p: float(lead.get(p, 0.0)) - float(run.get(p, 0.0)) for p in params})
    rows = []
    for p in diff.abs().sort_values(ascending=False).index[:n]:
        low, high = ranges.get(p, (float("nan"), float("nan")))
        m = float(diff[p])
        share = abs(margin / m) if m else float("inf")
        rows.append({"parameter": p, "mu": m, "low": low, "high": high,
                     "ranges_to_close": share, "move": share * (high - low),
                     "direction": -1 if m > 0 else 1})
    return pd.DataFrame(rows, columns=["parameter", "mu", "low", "high",
                                       "ranges_to_close", "move", "direction"])
