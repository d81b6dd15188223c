"""Per-run tax of a sweep: the whole cost of a sweep of about 200 small runs (5 managers,
6 months from a fresh start, one structure, one replication a point) per run, against
the simulation time of the same runs alone (building and running each department,
nothing else). Target of the speed work: at most 3 x.

CPU seconds of this process are reported beside the wall time, so a busy machine does
not flatter or spoil the ratio; the sweep runs serially in this process.

    .venv/bin/python benchmarks/small_runs.py [--trajectories 14] [--profile]
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

SMALL = {"workforce.managers": 5, "market.n_accounts": 3000,
         "demand.inbound_leads_per_day": 2.5, "experiment.horizon_years": 0.5,
         "experiment.initial_state": "fresh", "experiment.structures": ["classic"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=14)
    parser.add_argument("--profile", action="store_true", help="profile the sweep")
    args = parser.parse_args()
    import sim
    from sim.model.department import Department
    from sim.model.streams import Streams
    from sim.model.structures import make_structure
    from sim.study.sweep_design import make_design, point_scenario

    sc = sim.load_scenario("scenarios/default.yaml").with_overrides(SMALL)
    design = make_design(sc, "morris", args.trajectories, sc.experiment.seed)
    scenarios = [point_scenario(sc, row.to_dict()) for _, row in design.iterrows()]
    wall, cpu = time.perf_counter(), time.process_time()
    for point_sc in scenarios:
        dept = Department(point_sc, make_structure("classic", point_sc),
                          Streams(sc.experiment.seed, 0))
        dept.run()
    alone = (time.perf_counter() - wall, time.process_time() - cpu)
    with tempfile.TemporaryDirectory() as tmp:
        profiler = cProfile.Profile() if args.profile else None
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        sim.sweep(sc, "morris", args.trajectories, 1, ["classic"], out=Path(tmp) / "s",
                  executor="serial")
        if profiler:
            profiler.disable()
        whole = (time.perf_counter() - wall, time.process_time() - cpu)
    n = len(scenarios)
    print(machine())
    print(f"runs: {n} (5 managers, 6 months, fresh; morris, {args.trajectories} trajectories)")
    print(f"simulation alone: {alone[0]:.1f} s wall, {alone[1]:.1f} CPU s "
          f"({1000 * alone[1] / n:.0f} ms a run)")
    print(f"whole sweep:      {whole[0]:.1f} s wall, {whole[1]:.1f} CPU s "
          f"({1000 * whole[1] / n:.0f} ms a run)")
    print(f"ratio (CPU): {whole[1] / alone[1]:.2f} x  (target: at most 3 x)")
    print("command: .venv/bin/python benchmarks/small_runs.py "
          f"--trajectories {args.trajectories}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
