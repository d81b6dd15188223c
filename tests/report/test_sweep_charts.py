"""Sweep charts draw indices whose interval does not contain the estimate."""

import pandas as pd

from sim.report.sweep_charts import index_bars


def test_index_bars_draw_an_interval_that_lies_beside_its_estimate(tmp_path):
    # RBD-FAST or a bootstrap can give an interval entirely above its point estimate;
    # matplotlib refuses the negative bar length this once produced.
    rows = [("classic", "", "contribution", p, p, i, v, lo, hi)
            for p, i, v, lo, hi in [("a", "S1", 0.10, 0.12, 0.30), ("a", "ST", 0.2, 0.1, 0.3),
                                    ("b", "S1", 0.05, 0.01, 0.08), ("b", "ST", 0.1, 0.0, 0.2)]]
    frame = pd.DataFrame(rows, columns=["structure", "versus", "measure", "parameter", "group",
                                        "index", "value", "ci_low", "ci_high"])
    path = index_bars(frame, tmp_path / "bars.png")
    assert path.exists() and path.stat().st_size > 0
