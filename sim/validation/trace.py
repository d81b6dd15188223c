"""Requests followed from outside the model: :class:`RequestTrace` and traced replications.

The trace wraps each queue's ``put`` to keep every request with its arrival time, and
samples the number waiting and the desks staffed at random moments of its own, without
reading the queue monitor and without changing the run. :func:`traced_runs` runs
replications with a trace each (in worker processes) and returns their summaries, which
the Little's-law checks (:mod:`sim.validation.queues`) and the checks with turnover
(:mod:`sim.validation.turnover`) read.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario
from sim.model.department import Department
from sim.model.streams import Streams
from sim.model.structures import make_structure
from sim.study.executors import default_workers, execute, open_executor

__all__ = ["RequestTrace", "traced_runs"]


class RequestTrace:
    """Follows one department's requests from outside the model, for validation.

    Every request put into a queue is kept with its arrival time (each queue's ``put``
    is wrapped); ``Request.started`` says when its service first began. At random
    moments (a Poisson process of ``samples_per_day``, from a generator of its own)
    it counts the requests waiting in the queues and the desks that have a person.
    Nothing here reads the queue monitor, and the sampling moments fall between the
    model's events, so the run is the same as without the trace. Meant for fresh runs:
    requests carried over from a warm-up are queued before the trace begins."""

    def __init__(self, dept: Department, samples_per_day: float, seed: tuple[int, ...]):
        self.dept = dept
        self.requests: list = []  # kept alive, so ids stay unique
        self._seen: set[int] = set()
        self.queues = list({id(d.queue): d.queue for d in dept.desks}.values())
        for q in self.queues:
            q.put = self._recording(q.put)
        rng = np.random.default_rng(list(seed))
        horizon = dept.days
        self.times = np.sort(rng.uniform(0.0, horizon, rng.poisson(samples_per_day * horizon)))
        self.waiting = np.zeros(len(self.times), dtype=int)
        self.staffed = np.zeros(len(self.times), dtype=int)
        dept.env.process(self._sample())

    def _recording(self, put):
        def recorded_put(req, arriving=False):
            if id(req) not in self._seen:
                self._seen.add(id(req))
                self.requests.append(req)
            put(req, arriving)

        return recorded_put

    def _sample(self):
        env = self.dept.env
        for i, t in enumerate(self.times):
            yield env.timeout(t - env.now)
            self.waiting[i] = sum(len(q.requests()) for q in self.queues)
            self.staffed[i] = sum(d.person is not None for d in self.dept.desks)

    def summary(self, monthly: pd.DataFrame) -> dict:
        """Per-request waits and the two sides of Little's law for a finished run.

        ``W`` is each request's time from arrival to the start of its service, cut at
        the horizon for requests not started by then (fresh runs start empty, so
        nothing is cut at time 0); ``lambda`` counts every request put in a queue."""
        horizon = float(self.dept.days)
        arrived = np.array([r.arrived for r in self.requests], dtype=float)
        started = np.array([np.nan if r.started is None else r.started
                            for r in self.requests], dtype=float)
        left = np.where(np.isnan(started), horizon, np.minimum(started, horizon))
        in_line = np.clip(left - np.maximum(arrived, 0.0), 0.0, None)
        n = len(self.waiting)
        return {
            "horizon": horizon, "arrivals": len(arrived),
            "leads_received": float(monthly["leads_received"].sum()),
            "leads_lost": float(monthly["leads_lost"].sum()),
            "quits": float(monthly["quits"].sum()),
            "waits_hours": (started - arrived)[~np.isnan(started)] * self.dept.hours,
            "L": float(self.waiting.mean()) if n else float("nan"),
            "L_se": float(self.waiting.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan"),
            "lambda": len(arrived) / horizon,
            "W": float(in_line.mean()) if len(in_line) else 0.0,
            "staffed_shares": np.bincount(self.staffed, minlength=len(self.dept.desks) + 1) / n,
        }


def _traced_replication(task: tuple[Scenario, str, int, int, float]) -> dict:
    sc, structure, seed, r, samples_per_day = task
    dept = Department(sc, make_structure(structure, sc), Streams(seed, r))
    trace = RequestTrace(dept, samples_per_day, (seed, r, 7))
    monthly, _ = dept.run()
    return trace.summary(monthly)


def traced_runs(sc: Scenario, structure: str, replications: int, seed: int,
                samples_per_day: float = 20.0) -> list[dict]:
    """:meth:`RequestTrace.summary` of each replication, in replication order."""
    out: dict[int, dict] = {}

    def failed(r: int, exc: BaseException) -> None:
        raise exc

    with open_executor("processes", min(replications, default_workers())) as pool:
        execute(_traced_replication,
                {r: (sc, structure, seed, r, samples_per_day) for r in range(replications)},
                pool, out.__setitem__, failed)
    return [out[r] for r in range(replications)]
