"""Selecting the best structure with as few replications as a clear answer needs: the
fully sequential indifference-zone procedure KN of Kim and Nelson (2001), "A fully
sequential procedure for indifference-zone selection in simulation", ACM TOMACS 11(3).

After a first stage of ``n0`` replications of every structure, the variance of each
pair's difference is estimated once (common random numbers make it small, which is what
the procedure gains from them). Then, one replication at a time, a structure whose mean
contribution falls below another's by more than a shrinking allowance ``W`` is no longer
replicated; the last one standing is selected. If the best structure's mean is at least
``delta`` above every other, it is the one selected with probability at least
``confidence``; a structure within ``delta`` of the best is an equally good answer.

The procedure sees plain arrays of per-replication contribution, in replication order,
so it is tested without running a department; :func:`screen` replays it from the start
on whatever has been run, so its answer does not depend on how replications were batched
over workers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class SelectionRule:
    """The procedure's settings: the indifference zone ``delta`` (in the currency of the
    measure, or a share of the baseline's mean when ``share``), the probability of
    correct selection ``confidence`` (1 - alpha) and the first stage ``first_stage`` (n0,
    at least 2; Kim and Nelson use 10)."""

    delta: float
    confidence: float = 0.95
    first_stage: int = 10
    share: bool = False  # delta is a share of the baseline's first-stage mean

    def absolute(self, baseline_mean: float) -> SelectionRule:
        """The rule with a ``share`` delta turned into an amount of the baseline's mean
        over the first stage (which makes delta depend on the data: the guarantee is then
        approximate, the price of not having to know the scale beforehand)."""
        if not self.share:
            return self
        return SelectionRule(self.delta * abs(baseline_mean), self.confidence,
                             self.first_stage)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.delta) and self.delta > 0):
            raise ValueError(f"select: delta {self.delta!r} must be a positive amount")
        if not 0.5 <= self.confidence < 1:
            raise ValueError(f"select: confidence {self.confidence!r} must be in [0.5, 1)")
        if self.first_stage < 2:
            raise ValueError(f"first stage: {self.first_stage!r} replications; "
                             "must be at least 2 (a variance needs two)")

    def h_squared(self, k: int) -> float:
        """Kim and Nelson's h^2 = 2 eta (n0 - 1), with
        eta = ((2 alpha / (k - 1)) ** (-2 / (n0 - 1)) - 1) / 2 for ``k`` structures."""
        alpha, n0 = 1.0 - self.confidence, self.first_stage
        eta = 0.5 * ((2.0 * alpha / (k - 1)) ** (-2.0 / (n0 - 1)) - 1.0)
        return 2.0 * eta * (n0 - 1)


@dataclass(frozen=True)
class Selection:
    """Where the procedure stands on the replications run so far.

    ``selected`` is the structure chosen (None while several remain); ``survivors`` are
    those still replicated and ``stage`` the number of replications each of them needs
    before the next screening; ``eliminated`` maps a structure to the replications it
    had when it fell behind, and ``behind`` to the structure it fell behind.
    ``capped``: the limit of replications was reached before one remained; the
    survivor with the highest mean is ``selected`` without the guarantee."""

    selected: str | None
    survivors: list[str]
    stage: int
    eliminated: dict[str, int] = field(default_factory=dict)
    behind: dict[str, str] = field(default_factory=dict)
    capped: bool = False

    def replications(self, names: list[str]) -> dict[str, int]:
        """The replications of each structure the procedure used."""
        return {n: self.eliminated.get(n, self.stage) for n in names}


def screen(rule: SelectionRule, samples: dict[str, np.ndarray],
           limit: int = 1000) -> Selection:
    """Replay KN on ``samples`` (each structure's contribution by replication, from
    replication 0, as many as are available): the selection, or the survivors and the
    replications they need next. At most ``limit`` replications of any structure."""
    names = list(samples)
    if len(names) < 2:
        raise ValueError("select: needs at least two structures to choose between")
    n0 = rule.first_stage
    if any(len(samples[s]) < n0 for s in names):
        return Selection(None, names, n0)
    if rule.share:
        raise ValueError("select: a delta given as a share needs SelectionRule.absolute "
                         "once the first stage is in")
    first = np.column_stack([np.asarray(samples[s][:n0], dtype=float) for s in names])
    diffs = first[:, :, None] - first[:, None, :]
    s2 = diffs.var(axis=0, ddof=1)  # variance of each pair's difference
    h2, delta = rule.h_squared(len(names)), rule.delta
    index = {s: i for i, s in enumerate(names)}
    survivors, r = names, n0
    eliminated: dict[str, int] = {}
    behind: dict[str, str] = {}
    while True:
        if any(len(samples[s]) < r for s in survivors):
            return Selection(None, survivors, r, eliminated, behind)
        means = {s: float(np.mean(samples[s][:r])) for s in survivors}
        keep = []
        for i in survivors:
            for j in survivors:
                if j == i:
                    continue
                w = max(0.0, delta / (2.0 * r) * (h2 * s2[index[i], index[j]] / delta**2 - r))
                if means[i] < means[j] - w:
                    eliminated[i], behind[i] = r, j
                    break
            else:
                keep.append(i)
        survivors = keep
        if len(survivors) == 1:
            return Selection(survivors[0], survivors, r, eliminated, behind)
        if r >= limit:
            best = max(survivors, key=lambda s: means[s])
            return Selection(best, survivors, r, eliminated, behind, capped=True)
        r += 1


def most_replications(rule: SelectionRule, samples: dict[str, np.ndarray]) -> int:
    """The replications after which KN has surely stopped, given its first stage:
    1 + the largest floor(h^2 S^2 / delta^2) over pairs (Kim and Nelson 2001)."""
    names = list(samples)
    first = np.column_stack([np.asarray(samples[s][:rule.first_stage], dtype=float)
                             for s in names])
    s2 = (first[:, :, None] - first[:, None, :]).var(axis=0, ddof=1)
    bound = np.floor(rule.h_squared(len(names)) * s2 / rule.delta**2).max()
    return int(max(bound, rule.first_stage - 1)) + 1
