"""Same scenario and seed give identical numbers, in one process or many."""

from __future__ import annotations

import pandas as pd

import sim
from sim.streams import Streams

from .conftest import small


def test_same_seed_gives_identical_frames_and_another_seed_different_ones():
    sc = small()
    a = sim.run(sc, replications=2, seed=5, workers=1)
    b = sim.run(sc, replications=2, seed=5, workers=1)
    c = sim.run(sc, replications=2, seed=6, workers=1)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    pd.testing.assert_frame_equal(a.managers, b.managers)
    assert not a.monthly["revenue"].equals(c.monthly["revenue"])


def test_serial_and_process_pool_give_identical_frames():
    sc = small()
    serial = sim.run(sc, replications=3, seed=9, workers=1)
    pooled = sim.run(sc, replications=3, seed=9, workers=2)
    pd.testing.assert_frame_equal(serial.monthly, pooled.monthly)
    pd.testing.assert_frame_equal(serial.managers, pooled.managers)


def test_a_replication_does_not_depend_on_which_others_ran():
    sc = small()
    both = sim.run(sc, replications=2, seed=3, workers=1).monthly
    alone = sim.run_replication(sc, "classic", 3, 1)[0]
    pd.testing.assert_frame_equal(both[both.replication == 1].reset_index(drop=True), alone)


def test_named_streams_do_not_shift_when_another_stream_is_used_first():
    a = Streams(42, 0)
    first = a["churn"].random(5)
    b = Streams(42, 0)
    b["a new mechanism"].random(1000)
    assert (b["churn"].random(5) == first).all()
    assert not (Streams(42, 1)["churn"].random(5) == first).all()


def test_draws_taken_in_blocks_are_the_scalar_draws_of_the_stream():
    """The request path takes its uniforms and normals in blocks; numbers and order
    must be those of one scalar call per draw (a numpy change here would move every
    result), the order-value multiplier must be numpy's lognormal exactly, and a CV of
    0 must draw nothing."""
    import numpy as np

    from sim.market import lognormal_mean_one
    from sim.streams import Draws

    block, scalar = Streams(3, 1)["qualify"], Streams(3, 1)["qualify"]
    uniforms = Draws(block.random, block=7)
    assert [uniforms() for _ in range(50)] == [scalar.random() for _ in range(50)]
    block, scalar = Streams(3, 1)["order_value"], Streams(3, 1)["order_value"]
    normals = Draws(block.standard_normal, block=7)
    for cv in (0.3, 0.8, 1.5):
        sigma2 = np.log1p(cv * cv)
        for _ in range(20):
            assert lognormal_mean_one(normals, cv) == scalar.lognormal(-sigma2 / 2.0,
                                                                      np.sqrt(sigma2))
    assert lognormal_mean_one(normals, 0.0) == 1.0
    assert normals() == scalar.standard_normal()  # the CV of 0 drew nothing
