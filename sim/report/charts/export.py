"""A drawn figure to a file: a PNG for a results folder, or an inline ``<svg>`` element
for ``report.html`` with its ids prefixed per chart. The SVG is written with a fixed
hash salt and text as paths, so the same numbers give the same bytes on every machine.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

plt.rcParams.update({"svg.hashsalt": "salesim", "svg.fonttype": "path"})


def save_png(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def inline_svg(fig: Figure, prefix: str, close: bool = True) -> str:
    """A matplotlib figure as an ``<svg>`` element to put inside HTML: no XML header or
    metadata, sized by the page, and every id prefixed so that several charts in one
    page never share an id (gids ``series-X`` become ``<prefix>-series-X``)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    if close:
        plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"',
                 rf'<svg\1 width="100%" class="chart-svg" role="img" data-chart="{prefix}"',
                 svg, count=1)
    ids = set(re.findall(r'\sid="([^"]+)"', svg))
    return re.sub(r'(\sid="|url\(#|href="#)([^")]+)',
                  lambda m: m.group(1) + (f"{prefix}-{m.group(2)}" if m.group(2) in ids
                                          else m.group(2)), svg)
