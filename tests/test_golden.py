"""Regression anchor: the summary of a small comparison must not move unnoticed.

A failure means the model's numbers changed. If the change is intended, regenerate
with ``python tests/golden/regenerate.py`` and say why in the commit message."""

from __future__ import annotations

from .golden.regenerate import GOLDEN, golden_text


def test_small_comparison_summary_equals_the_golden_file_exactly():
    expected = GOLDEN.read_text()
    got = golden_text()
    if got != expected:
        diff = [f"{a} != {b}" for a, b in zip(expected.splitlines(), got.splitlines(),
                                               strict=False) if a != b][:5]
        raise AssertionError("the model's numbers moved; first differences:\n"
                             + "\n".join(diff))
