"""Where replications run: in this process, in a pool of processes, or on Dask.

Every replication draws from its own named streams (see :mod:`sim.model.streams`), so the
numbers do not depend on the executor, the number of workers or the order in which
replications finish. A replication that fails is reported with its index and seed;
the others are kept.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any

EXECUTORS = ("serial", "processes", "dask")


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent, which stops them and cleans up; on Linux
    they also die with the parent if it is killed outright (no orphans computing on).

    A forked worker starts with a copy of the parent's objects (a notebook's earlier
    results, say); freezing them keeps the worker's garbage collector from walking
    them again at every full collection (``gc.freeze``, meant for forked workers)."""
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except OSError:  # pragma: no cover - no libc by that name
            pass


@contextmanager
def open_executor(kind: str | Executor | None = "processes", workers: int | None = None,
                  scheduler: str | None = None) -> Iterator[Executor | None]:
    """An executor for the study, closed afterwards if opened here.

    ``serial`` yields ``None`` (run in this process); ``processes`` a process pool on
    ``workers`` cores (all by default); ``dask`` a client of the Dask cluster at
    ``scheduler``, or of a local cluster started for the study; any
    ``concurrent.futures.Executor`` is used as given and left open."""
    if isinstance(kind, Executor):
        yield kind
        return
    kind = kind or "processes"
    n = default_workers() if workers is None else max(1, int(workers))
    if kind == "serial":
        yield None
    elif kind == "processes":
        pool = ProcessPoolExecutor(max_workers=n, initializer=_worker_init)
        try:
            yield pool
        except BaseException:
            # Interrupted or failed: stop now, not after the queue. A worker being
            # started at the moment of the interrupt may not be in the pool's table
            # yet, so every child process this one started is stopped too (otherwise
            # the pool's management thread waits for it at exit).
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            for proc in multiprocessing.active_children():
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    elif kind == "dask":
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ValueError("executor 'dask' needs Dask: pip install 'salesim[dask]'") from None

        if scheduler:
            client = Client(scheduler)
            cluster = None
        else:
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    else:
        raise ValueError(f"executor: got {kind!r}; allowed: {', '.join(EXECUTORS)}, or a "
                         "concurrent.futures.Executor")


def run_serially(fn: Callable[[Any], Any], tasks: Iterable[tuple[Any, Any]],
                 on_done: Callable[[Any, Any], None],
                 on_error: Callable[[Any, BaseException], None]) -> None:
    """Run ``fn(task)`` for each ``(key, task)`` in this process, one after another;
    an error of one task is reported and the others go on."""
    for key, task in tasks:
        try:
            result = fn(task)
        except Exception as exc:  # noqa: BLE001 - reported, the others go on
            on_error(key, exc)
        else:
            on_done(key, result)


def execute(fn: Callable[[Any], Any], tasks: dict[int, Any], executor: Executor | None,
            on_done: Callable[[int, Any], None],
            on_error: Callable[[int, BaseException], None]) -> None:
    """Run ``fn(task)`` for every task; report each result or error by its key as soon
    as it is known. Errors of one task do not stop the others."""
    if executor is None:
        run_serially(fn, tasks.items(), on_done, on_error)
        return
    futures = {executor.submit(fn, task): key for key, task in tasks.items()}
    for fut in as_completed(futures):
        key = futures[fut]
        exc = fut.exception()
        if exc is not None:
            on_error(key, exc)
        else:
            on_done(key, fut.result())
