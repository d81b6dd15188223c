"""Regression anchor: the summary of a small comparison must not move unnoticed.

Numbers are compared at a relative tolerance of 1e-9 of each row's magnitude: far
below any change of the model (which moves them in the third digit or earlier), far
above what a new release of numpy or pandas moves (the 15th to 17th digit, from
reordered sums and vectorised math functions). Exact equality is the test for reruns
within one environment (tests/study/test_reproducibility.py, tests/study/test_executors.py).

A failure means the model's numbers changed. If the change is intended, regenerate
with ``python tests/golden/regenerate.py`` and say why in the commit message."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.golden.regenerate import GOLDEN, golden_text

RTOL = 1e-9
VALUES = ["mean", "ci_low", "ci_high", "half_width"]


def largest_relative_difference(expected: pd.DataFrame, got: pd.DataFrame) -> pd.Series:
    """Per row, the largest difference of the value columns relative to the row's
    magnitude (its largest absolute value), so an interval's half-width near zero is
    held to the scale of its mean, not to itself."""
    a, b = expected[VALUES].to_numpy(float), got[VALUES].to_numpy(float)
    scale = np.maximum(np.nanmax(np.abs(a), axis=1), np.nanmax(np.abs(b), axis=1))
    diff = np.where(np.isnan(a) & np.isnan(b), 0.0, np.abs(a - b))
    return pd.Series(np.nanmax(diff, axis=1) / np.where(scale > 0, scale, 1.0))


def test_small_comparison_summary_matches_the_golden_file():
    expected = pd.read_csv(GOLDEN)
    got = pd.read_csv(io.StringIO(golden_text()))
    keys = ["structure", "measure", "replications"]
    assert list(got.columns) == list(expected.columns)
    assert got[keys].equals(expected[keys]), "the rows of the summary changed"
    assert (np.isnan(got[VALUES].to_numpy(float))
            == np.isnan(expected[VALUES].to_numpy(float))).all(), "missing values moved"
    rel = largest_relative_difference(expected, got)
    worst = int(rel.to_numpy().argmax())
    row = expected.iloc[worst]
    assert rel.max() <= RTOL, (
        f"the model's numbers moved: largest relative difference {rel.max():.3g} "
        f"({row.structure}, {row.measure}); {int((rel > RTOL).sum())} rows beyond {RTOL:g}")


def test_the_tolerance_tells_a_model_change_from_a_library_release():
    expected = pd.read_csv(GOLDEN)
    release = expected.copy()
    release[VALUES] = release[VALUES] * (1 + 3e-16)  # a last-digit move
    assert largest_relative_difference(expected, release).max() <= RTOL
    change = expected.copy()
    change.loc[0, "mean"] *= 1 + 1e-6  # far smaller than any model change
    rel = largest_relative_difference(expected, change)
    assert rel.max() > RTOL and int(rel.to_numpy().argmax()) == 0
