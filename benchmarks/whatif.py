"""The what-if page's start and its answer to a slider move. Run on a sweep with an
emulator (``salesim emulate DIR`` first):

    .venv/bin/python benchmarks/whatif.py results/default-lhs240 --moves 50

Prints the seconds from ``salesim whatif DIR --no-browser`` to the page answering, the
time to load the emulator and answer the first point, and the median and largest time
of the emulator's answer to a slider move (every structure's figures against the
baseline), the part of a move's 300 ms the server spends.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np


def page_start(folder: Path) -> float:
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "whatif", str(folder),
                             "--no-browser"], stdout=subprocess.PIPE, text=True)
    start = time.perf_counter()
    url = proc.stdout.readline().split(" at ")[1].split()[0]
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).read()
                return time.perf_counter() - start
            except OSError:
                time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweep", type=Path)
    ap.add_argument("--moves", type=int, default=50)
    args = ap.parse_args()
    from sim.whatif.session import open_source

    start = time.perf_counter()
    session = open_source(args.sweep)
    session.estimate({s.path: s.value for s in session.sliders})
    first = time.perf_counter() - start
    rng = np.random.default_rng(1)
    times = []
    for _ in range(args.moves):
        point = {s.path: float(rng.uniform(s.low, s.high)) for s in session.sliders}
        t0 = time.perf_counter()
        session.estimate(point)
        times.append(time.perf_counter() - t0)
    print(f"page start (process to first answer): {page_start(args.sweep):.2f} s")
    print(f"emulator loaded and first point answered: {first:.2f} s")
    print(f"slider move answered: median {1000 * statistics.median(times):.1f} ms, "
          f"largest {1000 * max(times):.1f} ms over {args.moves} moves")


if __name__ == "__main__":
    main()
