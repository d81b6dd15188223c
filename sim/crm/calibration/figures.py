"""Numbers as a calibration writes them for people: plain figures, never scientific
notation and never ``nan``. A number that does not exist is said in words by the caller
(``missing``), so no file or terminal line shows a value that means nothing."""

from __future__ import annotations

import math


def plain(x: float, digits: int = 4, missing: str = "none") -> str:
    """``x`` to ``digits`` significant figures in plain notation: thousands separated
    and no decimals from 1,000 up (``61,320``, ``150,000``), fixed decimals below
    (``0.2546``, ``0.006972``); ``missing`` where ``x`` is not a finite number."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return missing
    if not math.isfinite(x):
        return missing
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    if abs(round(x, decimals)) >= 1000:
        return f"{x:,.0f}"
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money(x: float, missing: str = "none") -> str:
    """An amount of money in whole units with thousands separated (``834``,
    ``1,046,308``); ``missing`` where it is not a finite number."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return missing
    return f"{x:,.0f}" if math.isfinite(x) else missing


def interval(low: float, high: float, missing: str = "none") -> str:
    """``low to high`` in :func:`plain` figures, or ``missing`` without both ends."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return missing
    return f"{plain(low)} to {plain(high)}"
