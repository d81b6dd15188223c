"""One replication of the default comparison on both request paths, in turns, and where
its time goes.

Times ``sim.run_replication`` (a warm-up and six structures' horizons) on the event
path and on the array path (``experiment.request_path``) in alternating pairs, CPU
seconds in this process, and prints the paired ratios and their median: the machine's
speed drifts, so only paired figures carry over. ``--profile`` then profiles one
replication on the chosen path and prints the shares of the groups docs/performance.md
uses (SimPy's loop, the request path, the day's work) and the top functions.

    python benchmarks/replication.py [--pairs 4] [--profile arrays|events]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# Entry points of a replication whose cumulative time the profile reports, as
# (file suffix, function): where docs/performance.md says the time goes.
ENTRIES = {
    "the day's requests drawn": ("demand.py", "day_requests"),
    "arrivals: dispatch to start": ("demand.py", "dispatch"),
    "ends of service (events)": ("workday.py", "_done"),
    "  of which Sales.completed": ("selling.py", "completed"),
    "day's end, all": ("department.py", "_end_of_day"),
    "  booked requests (arrays)": ("booking.py", "flush"),
    "  work_day": ("workforce.py", "work_day"),
    "  care": ("selling.py", "care"),
    "  prospect": ("selling.py", "prospect"),
    "  decide_opportunities": ("selling.py", "decide_opportunities"),
    "  churn": ("selling.py", "churn"),
    "  fade_and_recapture": ("selling.py", "fade_and_recapture"),
    "  quits": ("workforce.py", "quits"),
    "month's end": ("department.py", "_end_of_month"),
}


def scenario(path: str):
    import sim

    sc = sim.load_scenario(ROOT / "scenarios" / "default.yaml")
    return sc.with_overrides({"experiment.request_path": path})


def once(path: str, seed_index: int = 0) -> float:
    import sim

    sc = scenario(path)
    start = time.process_time()
    sim.run_replication(sc, sc.experiment.structures, 1, seed_index)
    return time.process_time() - start


def profile(path: str, top: int) -> None:
    import sim

    sc = scenario(path)
    prof = cProfile.Profile()
    prof.enable()
    sim.run_replication(sc, sc.experiment.structures, 1, 0)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt
    simpy_own = 0.0
    cumulative = dict.fromkeys(ENTRIES.values(), 0.0)
    rows = []
    for (file, line, name), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
        if "simpy" in Path(file).parts:
            simpy_own += tt
        for key in cumulative:
            if file.endswith(key[0]) and name == key[1]:
                cumulative[key] += ct
        rows.append((ct, tt, f"{Path(file).name}:{line}({name})"))
    print(f"\nprofile, {path} path: {total:.1f} s under the profiler")
    print(f"  {'SimPy own time':32s} {100 * simpy_own / total:5.1f} %")
    for label, key in ENTRIES.items():
        print(f"  {label:32s} {100 * cumulative[key] / total:5.1f} %")
    print(f"top {top} by cumulative time (cumulative s, own s):")
    for ct, tt, name in sorted(rows, reverse=True)[:top]:
        print(f"  {ct:7.2f} {tt:7.2f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--profile", choices=["events", "arrays"], default=None)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    print(machine())
    once("events")  # load every module once, outside the timings
    events, arrays = [], []
    for i in range(args.pairs):
        order = ("events", "arrays") if i % 2 == 0 else ("arrays", "events")
        for path in order:
            (events if path == "events" else arrays).append(once(path))
        print(f"pair {i + 1}: events {events[-1]:.2f} s, arrays {arrays[-1]:.2f} s")
    ratios = [a / e for a, e in zip(arrays, events, strict=True)]
    print(f"arrays / events: median {statistics.median(ratios):.2f} "
          f"(pairs {', '.join(f'{r:.2f}' for r in ratios)}); "
          f"medians {statistics.median(events):.2f} s and {statistics.median(arrays):.2f} s")
    if args.profile:
        profile(args.profile, args.top)


if __name__ == "__main__":
    main()
