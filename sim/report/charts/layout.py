"""Texts of a drawn chart that must not collide: the labels, takeaways, titles and tick
labels a figure shows, where each sits once drawn (:func:`overlaps`, what the tests
check), and moving a label that would land on another out of its way
(:func:`declutter`, which every figure of the report goes through), so that an end
label never covers a "lowest" label, whatever the numbers.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

#: Steps (in units of the label's own height) a colliding label is tried at, in order;
#: where none is free it is hidden (its number is in the key figures).
STEPS = (-1.1, 1.1, -2.2, 2.2, -3.3, 3.3)


def _shown(t: Text) -> bool:
    return t.get_visible() and bool(t.get_text().strip())


def texts(fig: Figure) -> list[Text]:
    """Every text the figure shows: its title, each panel's title, axis labels, tick
    labels, and the labels drawn on it, in that order (fixed ones first)."""
    out: list[Text] = [t for t in fig.texts if _shown(t)]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out += [t for t in (ax.title, ax._left_title, ax._right_title,
                            ax.xaxis.label, ax.yaxis.label) if _shown(t)]
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            out += [tick.label1 for tick in axis.get_major_ticks()
                    if low <= tick.get_loc() <= high
                    and _shown(tick.label1)]
        out += [t for t in ax.texts if _shown(t)]
    return list(dict.fromkeys(out))


def _box(t: Text, renderer) -> Bbox:
    return t.get_window_extent(renderer).shrunk(0.96, 0.9)  # anti-aliasing margin


def overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of shown texts whose boxes overlap once the figure is drawn."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    shown = [(t.get_text(), _box(t, renderer)) for t in texts(fig)]
    return [(a, b) for i, (a, ba) in enumerate(shown) for b, bb in shown[i + 1:]
            if ba.overlaps(bb)]


def _move(t: Text, dy: float) -> None:
    """Shift a label by ``dy`` display pixels up (down when negative)."""
    if isinstance(t, Annotation) and t.anncoords == "offset points":
        x, y = t.xyann
        t.xyann = (x, y + dy * 72.0 / t.figure.dpi)
        return
    tr = t.get_transform()
    x, y = tr.transform(t.get_position())
    t.set_position(tr.inverted().transform((x, y + dy)))


def _crowded(labels: list[Text], renderer) -> bool:
    boxes = [_box(t, renderer) for t in labels if _shown(t)]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def _thin_ticks(fig: Figure) -> None:
    """Fewer ticks on an axis whose tick labels run into each other (long money labels
    on a narrow panel), down to two."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for _ in range(4):
                renderer = fig.canvas.get_renderer()
                low, high = sorted(axis.get_view_interval())
                shown = [t.label1 for t in axis.get_major_ticks()
                         if low <= t.get_loc() <= high]
                if len(shown) <= 2 or not _crowded(shown, renderer):
                    break
                axis.set_major_locator(MaxNLocator(nbins=max(1, len(shown) // 2)))
                fig.canvas.draw()


def declutter(fig: Figure) -> Figure:
    """Thin out tick labels that run into each other; then move each label drawn on a
    panel that lands on a text shown before it up or down by its own height until it is
    free, and hide it where no step is."""
    fig.canvas.draw()
    _thin_ticks(fig)
    renderer = fig.canvas.get_renderer()
    labels = [t for ax in fig.axes for t in ax.texts if _shown(t)]
    fixed = [t for t in texts(fig) if t not in labels]
    placed = [_box(t, renderer) for t in fixed]
    for t in labels:
        box = _box(t, renderer)
        if any(box.overlaps(b) for b in placed):
            height = box.height or 10.0
            moved = 0.0
            for step in STEPS:
                _move(t, step * height - moved)
                moved = step * height
                box = _box(t, renderer)
                if not any(box.overlaps(b) for b in placed):
                    break
            else:
                t.set_visible(False)
                continue
        placed.append(box)
    return fig
