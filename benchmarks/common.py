"""Shared pieces of the benchmarks: the bare SimPy M/M/c reference and timing helpers."""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import simpy

#: The reference of the performance targets: an M/M/c queue with arrival rate 9 an
#: hour, 10 servers and service rate 1 an hour, 200,000 customers.
ARRIVALS_PER_HOUR, SERVERS, SERVICE_PER_HOUR, CUSTOMERS = 9.0, 10, 1.0, 200_000


def bare_simpy_mmc(customers: int = CUSTOMERS, seed: int = 1) -> float:
    """Bare SimPy M/M/c in the textbook style (a process per customer, a Resource);
    returns the mean wait so the work cannot be optimised away."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=SERVERS)
    waits = []

    def customer(env):
        arrived = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.exponential(1.0 / SERVICE_PER_HOUR))

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.exponential(1.0 / ARRIVALS_PER_HOUR))
            env.process(customer(env))

    env.process(source(env))
    env.run()
    return float(np.mean(waits))


def timed(fn: Callable[[], object], repeats: int = 3) -> tuple[float, list[float]]:
    """Median wall time of ``repeats`` calls, and all of them."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def machine() -> str:
    import os

    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, " \
           f"Python {platform.python_version()}, {platform.platform()}"
