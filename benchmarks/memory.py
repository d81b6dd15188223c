"""Memory: peak of the default comparison, and whether it grows with the horizon
beyond the size of the result frames themselves.

One replication of every structure in this process (tracemalloc peak) at horizons of
3 and 9 years, next to the size of the frames it returns.

    python benchmarks/memory.py
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine  # noqa: E402

import sim  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    base = sim.load_scenario(ROOT / "scenarios" / "default.yaml")
    print(f"machine: {machine()}")
    rows = []
    for years in (3, 9):
        sc = base.with_overrides({"experiment.horizon_years": years})
        tracemalloc.start()
        monthly, managers = sim.run_replication(sc, sc.experiment.structures, 1, 0)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        frames = (monthly.memory_usage(deep=True).sum()
                  + managers.memory_usage(deep=True).sum())
        rows.append((years, peak, frames))
        print(f"horizon {years} years, one replication of six structures: peak "
              f"{peak / 2**20:.1f} MiB, result frames {frames / 2**20:.2f} MiB")
    (y0, p0, f0), (y1, p1, f1) = rows
    print(f"growth of the peak from {y0} to {y1} years: {(p1 - p0) / 2**20:.1f} MiB; "
          f"growth of the frames: {(f1 - f0) / 2**20:.2f} MiB")
    print("reproduce: python benchmarks/memory.py")


if __name__ == "__main__":
    main()
