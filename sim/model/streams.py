"""Named random streams, one per mechanism, spawned from one root seed.

Replication ``r`` of a study with root seed ``S`` draws mechanism ``name`` from
``SeedSequence(S, spawn_key=(r, crc32(name)))``. The key depends on the name, not on
the order streams are created, so adding a mechanism never shifts the numbers any
other mechanism draws, and replication ``r`` sees the same market under every
structure (common random numbers; the habit of stars-treat-sim's ``init_sampling``).
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """A stable integer for a stream name (the same in every process and Python run)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The random generators of one replication, created on first use by name."""

    def __init__(self, root_seed: int, replication: int, prefix: str = ""):
        self.root_seed = int(root_seed)
        self.replication = int(replication)
        self.prefix = prefix  # e.g. "warmup/": the warm-up's streams are its own
        self._generators: dict[str, np.random.Generator] = {}

    def seed_sequence(self, name: str) -> np.random.SeedSequence:
        key = (self.replication, stream_key(self.prefix + name))
        return np.random.SeedSequence(self.root_seed, spawn_key=key)

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._generators.get(name)
        if gen is None:
            gen = np.random.Generator(np.random.PCG64(self.seed_sequence(name)))
            self._generators[name] = gen
        return gen

    def describe(self) -> dict[str, object]:
        """What a manifest needs to recreate this replication's streams."""
        return {"root_seed": self.root_seed, "spawn_key": [self.replication, "crc32(name)"]}


class Draws:
    """Scalar draws of one stream, taken from it in blocks.

    numpy fills an array value by value with the same generator step as a scalar call,
    so the numbers and their order are those of one call per draw, at a fraction of
    the cost of a call. Only for a stream that nothing else draws from: drawing ahead
    would shift the numbers another consumer gets."""

    def __init__(self, draw, block: int = 1024):
        self._draw = draw  # e.g. generator.random or generator.standard_normal
        self._block = block
        self._values: list[float] = []
        self._next = 0

    def __call__(self) -> float:
        if self._next == len(self._values):
            self._values, self._next = self._draw(self._block).tolist(), 0
        value = self._values[self._next]
        self._next += 1
        return value

    def take(self, n: int) -> list[float]:
        """The next ``n`` values, the ones ``n`` calls would give (a batch's block)."""
        have = self._values[self._next:self._next + n]
        self._next += len(have)
        if len(have) < n:  # the block is used up: the rest straight from the stream
            have += self._draw(n - len(have)).tolist()
        return have
