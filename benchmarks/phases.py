"""Where the default comparison's wall time goes: importing, the replications (on
``--workers`` processes) and writing the results folder (tables, charts, report) in
the parent. Wall seconds; ``--profile`` adds a profile of the writing.

    python benchmarks/phases.py [--workers 2] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(machine())
    start = time.perf_counter()
    from sim.config.scenario import load_scenario
    from sim.report.folder import write_results
    from sim.study.experiment import compare

    imported = time.perf_counter()
    scenario = load_scenario(ROOT / "scenarios" / "default.yaml")
    results = compare(scenario, workers=args.workers)
    ran = time.perf_counter()
    prof = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp:
        if args.profile:
            prof.enable()
        write_results(results, Path(tmp) / "out", command=["benchmarks/phases.py"])
        prof.disable()
    written = time.perf_counter()
    total = written - start
    print(f"request path {scenario.experiment.request_path}; {args.workers} processes")
    for name, seconds in (("imports", imported - start), ("replications", ran - imported),
                          ("writing the folder", written - ran)):
        print(f"  {name:20s} {seconds:6.1f} s  ({100 * seconds / total:4.1f} %)")
    if args.profile:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
