"""Size of the validation suite: ``small`` by default (part of every test run, within
CI's budget), ``full`` with ``pytest -m validation --validation-size full``."""

from __future__ import annotations

import pytest

SIZES = {
    "small": {"replications": 8, "queues": [(1, 0.5), (1, 0.8), (5, 0.8), (20, 0.95)],
              "published_replications": 10},
    # 100 published replications: the departure loss varies by about 10 points from
    # one replication to the next, so its 95 % interval is about +-2 points, narrow
    # against its 5-point range (at 30 it was +-4: an interval wider than the range).
    "full": {"replications": 30,
             "queues": [(c, rho) for c in (1, 5, 20) for rho in (0.5, 0.8, 0.95)],
             "published_replications": 100},
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/validation" in str(item.fspath):
            item.add_marker(pytest.mark.validation)


@pytest.fixture(scope="session")
def size(request) -> dict:
    return SIZES[request.config.getoption("--validation-size")]
