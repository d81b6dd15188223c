"""The regression anchor: a small comparison's summary, kept exactly.

When a model change is intended to move the numbers, regenerate the file and explain
the change in the commit message:

    python tests/golden/regenerate.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "small_summary.csv"
STRUCTURES = ["classic", "staged-2", "staged-3", "ticket_pool", "process_norm",
              "automated_marketing"]
OVERRIDES = {
    "market.n_accounts": 600, "workforce.managers": 4, "demand.inbound_leads_per_day": 2.0,
    "experiment.horizon_years": 0.5, "experiment.initial_state": "mature",
    "experiment.warmup_years": 0.5, "experiment.seed": 424242,
}


def golden_text() -> str:
    """The summary of the anchor scenario as CSV text, every float at full precision."""
    sys.path.insert(0, str(HERE.parent.parent))
    import sim

    scenario = sim.Scenario().with_overrides(OVERRIDES)
    results = sim.compare(scenario, STRUCTURES, replications=3, workers=1)
    return results.summary().to_csv(index=False, float_format="%.17g", lineterminator="\n")


if __name__ == "__main__":
    GOLDEN.write_text(golden_text())
    print(f"wrote {GOLDEN}")
