"""A phased roll-out against the full switch on the default scenario: payback month,
dip and contribution over the horizon, on common random numbers (the same warm-ups
and streams in both). Prints a table; used for docs/model.md and the closing note.

    .venv/bin/python benchmarks/phased_rollout.py [REPLICATIONS]
"""

from __future__ import annotations

import sys
import time

import pandas as pd

from sim import compare
from sim.config.scenario import load_scenario

STRUCTURES = ["classic", "ticket_pool", "process_norm", "staged-2"]


def main(replications: int = 10) -> None:
    base = load_scenario("scenarios/default.yaml").with_overrides(
        {"experiment.structures": STRUCTURES})
    rows = []
    for share in (1.0, 0.5):
        sc = base.with_overrides({"reorganisation.phase_share": share})
        start = time.perf_counter()
        results = compare(sc, replications=replications, executor="serial")
        seconds = time.perf_counter() - start
        diff = results.differences()
        for name in STRUCTURES[1:]:
            d = diff[diff["structure"] == name].set_index("measure")
            rows.append({"phase_share": share, "structure": name,
                         "contribution_diff_M": d.loc["contribution", "difference"] / 1e6,
                         "ci_low_M": d.loc["contribution", "ci_low"] / 1e6,
                         "ci_high_M": d.loc["contribution", "ci_high"] / 1e6,
                         "payback_month": d.loc["payback_month", "difference"],
                         "dip_M": d.loc["dip", "difference"] / 1e6,
                         "dip_month": d.loc["dip_month", "difference"],
                         "seconds": round(seconds)})
    pd.set_option("display.width", 200)
    print(pd.DataFrame(rows).round(2).to_string(index=False))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
