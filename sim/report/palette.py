"""Colours and line styles shared by every chart and the HTML report.

The palette is Okabe and Ito's (2008), which stays distinguishable under the common
forms of colour blindness and in grey print. The baseline is drawn the same way in
every chart: a dark grey dashed line (or a grey bar with a dashed outline), so an owner
learns once what "the structure we compare with" looks like.
"""

from __future__ import annotations

#: Okabe-Ito colours without yellow and black (yellow vanishes on white paper; black is
#: kept for text and the switch marker).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

#: The baseline: the same colour and dash everywhere.
BASELINE_COLOUR = "#4D4D4D"
BASELINE_DASH = (0, (5, 3))
BASELINE_LINE = {"color": BASELINE_COLOUR, "linestyle": BASELINE_DASH, "linewidth": 1.6}

#: Differences whose 95 % interval excludes zero: better (blue) or worse (vermillion)
#: than the baseline; a difference whose interval includes zero stays grey.
BETTER = "#0072B2"
WORSE = "#D55E00"
UNCLEAR = "#9A9A9A"

#: Shading of the months before the switch, and the switch marker.
BEFORE_SHADE = "#EDEDED"
SWITCH_COLOUR = "#000000"

#: Parts of a stacked bar (sources of new clients, causes of losses), in order.
PARTS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933")


def structure_colours(structures: list[str], baseline: str | None) -> dict[str, str]:
    """Each structure's colour, stable across charts: the baseline grey, the others the
    palette in the order they were run."""
    out: dict[str, str] = {}
    others = [s for s in structures if s != baseline]
    for i, s in enumerate(others):
        out[s] = OKABE_ITO[i % len(OKABE_ITO)]
    if baseline is not None:
        out[baseline] = BASELINE_COLOUR
    return out


def direction_colour(difference: float, excludes_zero: bool, better: str) -> str:
    """Colour of a difference against the baseline: blue where it is better and its
    interval excludes zero, vermillion where worse, grey otherwise."""
    if not excludes_zero or difference != difference or difference == 0:
        return UNCLEAR
    good = difference > 0 if better == "higher" else difference < 0
    return BETTER if good else WORSE
