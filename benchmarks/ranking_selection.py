"""``compare --select`` against the fixed count: the same choice with fewer runs?

For each scenario, the comparison of all its structures with its fixed replications (30
on the shipped scenarios) and the selection procedure (Kim and Nelson 2001) with DELTA a
share of the baseline's mean contribution, both through the library on 2 processes.
Prints the structure each picks (the fixed count's: the highest mean contribution), the
runs (structure-replications) each used, the saving, and wall and CPU seconds.
Target (docs/performance.md): the same choice as the fixed count on the default
scenario with at most half of its runs.

    python benchmarks/ranking_selection.py [--delta 5%] [SCENARIO ...]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine  # noqa: E402

from sim.config.scenario import load_scenario  # noqa: E402
from sim.study.experiment import compare  # noqa: E402
from sim.study.selection import SelectionRule  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = ["default.yaml", "smb_high_volume.yaml", "b2b_large_deals.yaml"]


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children."""
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                 resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measured(fn):
    wall, cpu = time.perf_counter(), cpu_seconds()
    out = fn()
    return out, time.perf_counter() - wall, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=DEFAULTS)
    parser.add_argument("--delta", default="5%", help="an amount, or a share of the "
                        "baseline's mean contribution (5%%)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    share = args.delta.endswith("%")
    delta = float(args.delta.rstrip("%")) / (100.0 if share else 1.0)
    print(machine())
    for name in args.scenarios:
        path = Path(name) if Path(name).exists() else ROOT / "scenarios" / name
        sc = load_scenario(path)
        fixed, fwall, fcpu = measured(lambda sc=sc: compare(sc, workers=args.workers))
        rule = SelectionRule(delta, first_stage=10, share=share)
        picked, swall, scpu = measured(lambda sc=sc, rule=rule: compare(
            sc, workers=args.workers, select=rule))
        means = fixed.summary().query("measure == 'contribution'").set_index(
            "structure")["mean"]
        chosen = picked.meta["selection"]
        print(f"\n{path.name}: {len(fixed.structures)} structures, delta "
              f"{chosen['delta']:,.0f} ({args.delta})")
        print(f"  fixed {fixed.replications} replications: leader {means.idxmax()}; "
              f"{chosen['fixed_runs']} runs; {fwall:.1f} s wall, {fcpu:.1f} CPU s")
        print(f"  --select: selected {chosen['selected']}"
              f"{' (capped: no guarantee)' if chosen['capped'] else ''}; "
              f"{chosen['runs_used']} runs used ({chosen['runs_made']} made); "
              f"{swall:.1f} s wall, {scpu:.1f} CPU s")
        print("  replications: " + ", ".join(f"{s} {k}" for s, k in
                                             chosen["replications"].items()))
        print(f"  same choice: {'yes' if chosen['selected'] == means.idxmax() else 'no'}; "
              f"runs saved {chosen['saving']:.0%}; CPU saved {1 - scpu / fcpu:.0%}")


if __name__ == "__main__":
    main()
