"""Charts of a sweep: which parameters matter (Morris mu* against sigma, or bars of
first and total order indices with their intervals) and which structure leads where
(a map over the two most influential parameters; none for a grouped screening, which
ranks groups). :func:`write_charts` draws them all; the study's
:class:`~sim.study.sensitivity.Sensitivity` never draws its own."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.config.uncertainties import short_name as _short  # noqa: E402
from sim.report.charts import save_png  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from sim.study.sensitivity import Sensitivity

MEASURE_LABEL = {"revenue": "revenue", "new_clients": "new clients",
                 "contribution": "contribution"}


def _spans(f) -> list:
    """Error-bar lengths below and above each estimate. A bootstrap or RBD-FAST interval
    need not contain its point estimate; the side it lies beyond gets no bar (matplotlib
    refuses negative lengths)."""
    return [(f["value"] - f["ci_low"]).clip(lower=0), (f["ci_high"] - f["value"]).clip(lower=0)]


def _colour(i: int) -> str:
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return colours[i % len(colours)]


def _panels(n: int, width: float = 6.0, height: float = 4.6):
    cols = min(n, 3)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _outputs(indices: pd.DataFrame, measure: str, versus: str) -> list[tuple[str, pd.DataFrame]]:
    f = indices[(indices.measure == measure) & (indices.versus == versus)]
    return [(s, g) for s, g in f.groupby("structure", sort=False)]


def _title(structure: str, versus: str, measure: str) -> str:
    what = MEASURE_LABEL.get(measure, measure)
    return f"{what}: {structure} minus {versus}" if versus else f"{what} of {structure}"


def morris_chart(indices: pd.DataFrame, path: Path, measure: str = "contribution",
                 versus: str = "") -> Path:
    """Morris screening, one panel per structure: mu* (how much a parameter moves the
    output) against sigma (how much its effect depends on the others), with mu*'s 95 %
    interval and the noise floor a parameter with no effect would reach."""
    panels = _outputs(indices, measure, versus)
    fig, axes = _panels(len(panels))
    for ax, (structure, g) in zip(axes, panels, strict=True):
        mu = g[g["index"] == "mu_star"].set_index("parameter")
        sigma = g[g["index"] == "sigma"].set_index("parameter")["value"].reindex(mu.index)
        ranked = mu["above_noise"].fillna(False).astype(bool)
        ax.errorbar(mu["value"], sigma, xerr=_spans(mu),
                    fmt="none", ecolor="grey", alpha=0.5)
        ax.scatter(mu["value"][ranked], sigma[ranked], color=_colour(0), zorder=3,
                   label="clears the noise floor")
        ax.scatter(mu["value"][~ranked], sigma[~ranked], facecolor="white",
                   edgecolor=_colour(0), zorder=3, label="within replication noise")
        floor = mu["noise_floor"].max()
        if floor == floor:
            ax.axvspan(0, floor, color="grey", alpha=0.12, label="noise floor (largest)")
        for name in mu.sort_values("value", ascending=False).index[:5]:
            ax.annotate(_short(name), (mu.loc[name, "value"], sigma.loc[name]), fontsize=8,
                        xytext=(4, 3), textcoords="offset points")
        ax.set_title(_title(structure, versus, measure))
        ax.set_xlabel("mu*: mean absolute effect over the range")
        ax.set_ylabel("sigma: spread of the effect")
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, frameon=True, framealpha=0.85, edgecolor="none")
    fig.suptitle("Which parameters matter (Morris screening; labels: the five largest mu*)")
    fig.tight_layout()
    return save_png(fig, path)


def index_bars(indices: pd.DataFrame, path: Path, measure: str = "contribution",
               versus: str = "", names: tuple[str, ...] = ("S1", "ST"), top: int = 12) -> Path:
    """Bars of first-order (and total-order) indices with their 95 % intervals, one
    panel per structure, the largest ``top`` parameters by the last index named."""
    panels = _outputs(indices, measure, versus)
    fig, axes = _panels(len(panels), height=0.35 * top + 1.8)
    for ax, (structure, g) in zip(axes, panels, strict=True):
        key = g[g["index"] == names[-1]].sort_values("value").tail(top)
        order = list(key["parameter"])
        y = np.arange(len(order))
        height = 0.8 / len(names)
        for i, name in enumerate(names):
            f = g[g["index"] == name].set_index("parameter").reindex(order)
            ax.barh(y + (i - (len(names) - 1) / 2) * height, f["value"], height=height,
                    xerr=_spans(f),
                    color=_colour(i), alpha=0.85, label=name, error_kw={"alpha": 0.6})
        ax.set_yticks(y, [_short(p) for p in order], fontsize=8)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(_title(structure, versus, measure))
        ax.set_xlabel("share of the output's variance")
        ax.grid(alpha=0.3, axis="x")
        ax.legend(fontsize=8, frameon=True, framealpha=0.85, edgecolor="none")
    fig.suptitle("Which parameters matter: variance-based indices with 95 % intervals")
    fig.tight_layout()
    return save_png(fig, path)


def winner_map(winners: pd.DataFrame, x: str, y: str, structures: list[str],
               path: Path) -> Path:
    """The structure with the highest mean contribution at each design point, over two
    parameters; paler points are less sure (lower probability of being best)."""
    fig, ax = plt.subplots(figsize=(8, 6))
    for i, s in enumerate(structures):
        f = winners[winners["winner"] == s]
        if f.empty:
            continue
        alpha = 0.25 + 0.75 * f["probability_best"].clip(0, 1).to_numpy()
        colour = matplotlib.colors.to_rgba(_colour(i))
        ax.scatter(f[x], f[y], s=40, color=[(*colour[:3], a) for a in alpha],
                   edgecolor=colour, label=f"{s} ({len(f)} points)")
    ax.set_xlabel(_short(x))
    ax.set_ylabel(_short(y))
    ax.set_title("Which structure has the highest contribution at each design point\n"
                 "(over the two most influential parameters; pale: less sure)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=True, framealpha=0.85, edgecolor="none")
    fig.tight_layout()
    return save_png(fig, path)


def write_charts(result: Sensitivity, folder: Path) -> list[Path]:
    """Every chart of a sensitivity analysis, into ``folder/charts`` (``folder`` is the
    analysis's folder, as :meth:`sim.study.sensitivity.Sensitivity.save` writes it)."""
    folder = Path(folder) / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    versus = result.baseline if len(result.structures) > 1 else ""
    paths = []
    if result.indices.empty:
        pass
    elif result.method == "morris":
        paths.append(morris_chart(result.indices, folder / "morris_contribution.png",
                                  versus=versus))
    else:
        names = ("S1", "ST") if result.method == "sobol" else ("S1",)
        paths.append(index_bars(result.indices, folder / "indices_contribution.png",
                                versus=versus, names=names))
    top = result.influential()
    # A grouped screening ranks groups, not two parameters a map could be drawn over.
    if len(top) == 2 and len(result.structures) > 1 and not result.grouped:
        paths.append(winner_map(result.winners, top[0], top[1], result.structures,
                                folder / "winner_map.png"))
    return paths
