"""The default classic department against the published ranges MODEL.md cites."""

from __future__ import annotations

import pytest

from sim import validation as v


@pytest.fixture(scope="module")
def checks(size, request):
    return {c.name: c for c in v.published_ranges(size["published_replications"])}


def _lands(check, size):
    """At full size the mean must lie in the range; at the small size the interval
    must reach it (a small sample cannot place the mean more precisely)."""
    if size["replications"] >= 30:
        return check.target_low <= check.measured <= check.target_high
    return (check.measured + check.half_width >= check.target_low
            and check.measured - check.half_width <= check.target_high)


@pytest.mark.parametrize("name", [
    "median months to full productivity",
    "annual manager turnover",
    "loss of the affected clients' annual sales at a departure",
    "active share at 3-6 minus 24-36 months of tenure",
])
def test_published_range(checks, name, size):
    assert _lands(checks[name], size), checks[name].row()
