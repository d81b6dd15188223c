"""Same scenario and seed give identical numbers, in one process or many."""

from __future__ import annotations

import pandas as pd

import sim
from sim.model.streams import Streams

from tests.helpers import small


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
    result), the order-value multiplier must be numpy's lognormal of the same
    parameters exactly (same generator step, same formula), its parameters the closed
    form of mean 1 and the given CV, and a CV of 0 must draw nothing."""
    import numpy as np

    from sim.model.market import lognormal_mean_one, lognormal_parameters
    from sim.model.streams import Draws

    block, scalar = Streams(3, 1)["qualify"], Streams(3, 1)["qualify"]
    uniforms = Draws(block.random, block=7)
    assert [uniforms() for _ in range(50)] == [scalar.random() for _ in range(50)]
    block, scalar = Streams(3, 1)["order_value"], Streams(3, 1)["order_value"]
    normals = Draws(block.standard_normal, block=7)
    for cv in (0.3, 0.8, 1.5):
        mu, sigma = lognormal_parameters(cv)
        # numpy's vectorised log1p may differ from math's in the last bit, and squaring
        # the root rounds twice: a few units in the last place (2.2e-16 each) at most
        sigma2 = np.log1p(cv * cv)
        assert np.isclose(sigma * sigma, sigma2, rtol=1e-15, atol=0)
        assert np.isclose(mu, -sigma2 / 2.0, rtol=1e-15, atol=0)
        for _ in range(20):
            assert lognormal_mean_one(normals, cv) == scalar.lognormal(mu, sigma)
    assert lognormal_mean_one(normals, 0.0) == 1.0
    assert normals() == scalar.standard_normal()  # the CV of 0 drew nothing


def test_the_manifest_names_every_package_the_package_imports():
    """A release of any package sim imports can move a number or a file; the manifest
    must record its version. Exempt: packages that only type or escape text, and Dask,
    whose results are tested identical to the serial executor's."""
    import ast
    import sys
    from importlib import metadata
    from pathlib import Path

    from sim.study.output import PACKAGES

    exempt = {"annotated_types", "markupsafe", "distributed", "dask"}
    roots = set()
    for path in Path(sim.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots.add(node.module.split(".")[0])
    third_party = roots - set(sys.stdlib_module_names) - {"sim"} - exempt
    dists = metadata.packages_distributions()
    def norm(name: str) -> str:
        return name.lower().replace("-", "_")

    recorded = {norm(name) for name in PACKAGES}
    missing = {m for m in third_party if not {norm(d) for d in dists.get(m, [m])} & recorded}
    assert not missing, f"sim imports {sorted(missing)} but manifest.json does not record them"
