"""The owner's report: one self-contained HTML file written from a results folder.

``report.html`` carries its styles, its charts (inline SVG drawn by
:mod:`sim.report.charts`) and its tables; it loads no script, font or image from
anywhere, opens from the file system without a network and prints to PDF from the
browser. It is always written from the files of a results folder
(:class:`sim.report.results_folder.ResultsFolder`), so ``salesim compare`` and
``salesim report DIR`` give the same file. The origin of each default number comes from
:mod:`sim.config.origins`.
"""

from __future__ import annotations

import base64
import os
from importlib import metadata
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from sim.config.localized import localized
from sim.config.origins import comment_in, default_origins, flat
from sim.config.scenario import Scenario
from sim.report.headline import KEY_MEASURES, headline
from sim.report.numbers import Numbers, numbers_for
from sim.report.results_folder import ResultsFolder
from sim.study.precision import RankingPrecision, ranking_precision

REPORT = "report.html"
#: The charts of the report, in the order the report shows them, with their notes.
SHOWN = (("transition", "r.transition_note"), ("revenue", "r.revenue_note"),
         ("moss_curve", "r.moss_note"), ("new_clients_by_source", "r.sources_note"),
         ("lost_by_cause", "r.sources_note"), ("bridge", "r.bridge_note"))


# --- tables ----------------------------------------------------------------------------


def _clear(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1", "1.0")


def _nowrap(text: str) -> Markup:
    return Markup('<span class="nw">') + escape(text) + Markup("</span>")


def interval_html(n: Numbers, low: str, high: str) -> Markup:
    """``low to high`` with neither number broken across lines."""
    return Markup(n.t("n.interval", low=_nowrap(low), high=_nowrap(high)))


def payback_band(n: Numbers, early: float, late: float, months: int) -> str:
    """The payback month's 95 % band: the months its band's upper and lower edges pay
    back from (the lower edge may not within the horizon)."""
    if not pd.notna(early):
        return ""
    if pd.notna(late):
        return n.t("n.payback_band", early=int(early), late=int(late))
    return n.t("n.payback_band_open", early=int(early), months=months)


def key_table(summary: pd.DataFrame, diffs: pd.DataFrame, structures: list[str],
              baseline: str, months: int, n: Numbers) -> dict:
    """The key figures: a row per structure, a column per key measure (mean, and under
    it the paired difference against the baseline with its interval, classed better or
    worse only where the interval excludes zero), then payback and dip."""
    from sim.report.palette import BETTER, UNCLEAR, WORSE, direction_colour

    classes = {BETTER: "better", WORSE: "worse", UNCLEAR: "unclear"}
    s = summary.set_index(["structure", "measure"])
    d = diffs.set_index(["structure", "measure"])
    measures = [(m, b, k) for m, b, k in KEY_MEASURES if (baseline, m) in s.index]
    rows = []
    for st in structures:
        cells = []
        for m, better, kind in measures:
            if (st, m) not in s.index:
                cells.append({"measure": m, "main": n.t("n.na"), "sub": "", "cls": ""})
                continue
            r = s.loc[(st, m)]
            cell = {"measure": m, "main": n.format(r["mean"], kind), "sub": "", "cls": ""}
            if st == baseline:
                cell["interval"] = "95 %: " + interval_html(
                    n, n.format(r["ci_low"], kind), n.format(r["ci_high"], kind))
            elif (st, m) in d.index:
                x = d.loc[(st, m)]
                cls = classes[direction_colour(x["difference"], _clear(x["excludes_zero"]),
                                               better)]
                arrow = ("\u25b2\u00a0" if x["difference"] > 0 else "\u25bc\u00a0") \
                    if cls in ("better", "worse") else ""
                cell.update(cls=cls, difference=float(x["difference"]),
                            sub=f"{arrow}{n.format(x['difference'], kind, True)}",
                            interval=interval_html(n, n.format(x["ci_low"], kind, True),
                                                   n.format(x["ci_high"], kind, True)))
            cells.append(cell)
        payback = dip = {"main": "", "sub": "", "cls": ""}
        if st != baseline and (st, "payback_month") in d.index:
            p = d.loc[(st, "payback_month")]
            payback = {"measure": "payback_month", "main": n.month(p["difference"], months),
                       "interval": payback_band(n, p["ci_low"], p["ci_high"], months),
                       "sub": "", "cls": "", "difference": float(p["difference"])}
        if st != baseline and (st, "dip") in d.index:
            x = d.loc[(st, "dip")]
            month = d.loc[(st, "dip_month"), "difference"] if (st, "dip_month") in d.index \
                else float("nan")
            dip = {"measure": "dip", "main": n.money(x["difference"], True),
                   "sub": n.month(month, months),
                   "interval": "95 %: " + interval_html(n, n.money(x["ci_low"], True),
                                                        n.money(x["ci_high"], True)),
                   "cls": "", "difference": float(x["difference"])}
        rows.append({"structure": st, "name": n.structure(st), "line": n.structure_line(st),
                     "baseline": st == baseline, "cells": cells, "payback": payback,
                     "dip": dip})
    head = [n.t(f"m.{m}") for m, _, _ in measures]
    timing = bool({"payback_month", "dip"} & set(diffs["measure"]))
    return {"head": head, "rows": rows, "timing": timing,
            "timing_head": [n.t("m.payback_month"), n.t("m.dip")]}


def _shown(value: object, n: Numbers | None = None) -> str:
    """A parameter's value as the report writes it: numbers in the language's
    convention (``0,25`` in Russian), lists joined, nothing as ``-``."""
    n = n or Numbers()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return "-" if value is None else str(value)
    if isinstance(value, int | float):
        return n.decimal(float(value), 6)
    if isinstance(value, list | tuple):
        return "; ".join(_shown(v, n) for v in value)
    return str(value)


def changed_parameters(scenario: Scenario, origins: dict[str, tuple[str, str]],
                       n: Numbers | None = None) -> list[dict]:
    """Parameters whose value differs from the coded default (experiment settings
    included: they say how the numbers were made), with the default's origin."""
    mine = flat(scenario.model_dump(mode="json"))
    default = flat(Scenario().model_dump(mode="json"))
    rows = []
    for path in list(dict.fromkeys([*mine, *default])):
        top = path.split(".", 1)[0]
        if top in ("name", "description", "currency", "report", "uncertainties"):
            continue
        if mine.get(path) != default.get(path):
            origin = origins.get(path, ("", ""))
            rows.append({"path": path, "value": _shown(mine.get(path), n),
                         "default": _shown(default.get(path), n), "origin": origin[0],
                         "comment": origin[1]})
    return rows


def assumptions(scenario: Scenario, n: Numbers) -> dict:
    """The parameters that differ from the defaults, those the scenario marks uncertain,
    and the origin of every default number."""
    origins = default_origins()
    values = flat(scenario.model_dump(mode="json"))
    first_segment = next(iter(scenario.market.segments))
    uncertain = [{"path": p, "value": _shown(values.get(p.replace("*", first_segment)), n),
                  "range": ("\u00d7" if u.relative else "")  # a multiple of the value
                  + f"{_shown(u.range[0], n)} \u2013 {_shown(u.range[1], n)}"
                           + ("" if u.distribution == "uniform" else f" ({u.distribution})"),
                  "source": localized(u.source, n.language)}
                 for p, u in scenario.uncertainties.items()]
    counts = {k: sum(1 for o, _ in origins.values() if o == k)
              for k in ("source", "calibrated", "assumption", "choice")}
    changed = changed_parameters(scenario, origins, n)
    for row in changed:
        row["origin"] = n.t("o.scenario")
        if row["comment"]:
            row["comment"] = n.t("o.default_was",
                                 comment=comment_in(row["comment"], n.language))
    defaults = flat(Scenario().model_dump(mode="json"))
    appendix = [{"path": p, "value": _shown(defaults[p], n), "origin": n.t(f"o.{o}"),
                 "cls": o, "comment": comment_in(c, n.language)}
                for p, (o, c) in origins.items()]
    return {"changed": changed, "uncertain": uncertain, "counts": counts,
            "total": len(origins), "total_text": n.plural("numbers", len(origins)),
            "appendix": appendix}


def sensitivity_section(folder: Path) -> dict | None:
    """The sensitivity ranking and where each structure wins, when the folder holds a
    sweep's analysis (``sensitivity/``); None otherwise. A hook: the sweep's own report
    is not written yet, so this only shows the shares won and the boxes' sentences."""
    wins = folder / "sensitivity" / "wins.csv"
    if not wins.exists():
        return None
    frame = pd.read_csv(wins)
    sentences = []
    for name in ("boxes", "ahead"):  # where each leads, where each beats the baseline
        path = folder / "sensitivity" / f"{name}.csv"
        if path.exists():
            sentences += list(pd.read_csv(path).get("sentence", pd.Series(dtype=str)).dropna())
    return {"wins": frame.to_dict("records"), "sentences": sentences}


def how_computed(rf: ResultsFolder, n: Numbers) -> dict:
    """Replications, seed, starting state, horizon, versions, the command and how to run
    it again: enough for anyone to reproduce the numbers."""
    m, sc = rf.manifest, rf.scenario
    exp = sc.experiment
    start = (n.t("r.mature", years=n.plural("years", exp.warmup_years))
             if exp.initial_state == "mature" else n.t("r.fresh"))
    command = m.get("command") or []
    rows = [(n.t("r.replications"), str(rf.replications)), (n.t("r.seed"), str(rf.seed)),
            (n.t("r.start"), start),
            (n.t("r.horizon"), n.t("r.horizon_value",
                                   years=n.plural("years", exp.horizon_years),
                                   months=n.plural("months", exp.months))),
            (n.t("r.structures"), "; ".join(f"{n.structure(s)} ({s})" if n.structure(s) != s
                                            else s for s in rf.structures)),
            (n.t("r.baseline"), rf.baseline),
            (n.t("r.created"), created(m)),
            (n.t("r.wall"), n.plural("seconds", round(float(m.get("wall_seconds", 0))))),
            (n.t("r.command"), " ".join(str(c) for c in command)),
            (n.t("r.versions"), ", ".join(f"{k} {v}" for k, v in
                                          (m.get("packages") or {}).items())),
            (n.t("r.platform"), str(m.get("platform", "")))]
    if m.get("pay_scales"):
        rows.append((n.t("r.pay_scales"), "; ".join(f"{k} {n.decimal(v, 3)}" for k, v in
                                                    m["pay_scales"].items())))
    if m.get("failures"):
        rows.append((n.t("r.failures"), str(len(m["failures"]))))
    rerun = (f"salesim compare scenario.yaml --structures {','.join(rf.structures)} "
             f"--baseline {rf.baseline} --replications {rf.replications} --seed {rf.seed}")
    return {"rows": rows, "rerun": rerun}


def created(manifest: dict) -> str:
    """When the study ran, as a reader writes it: ``2026-12-04 15:58 UTC``."""
    stamp = str(manifest.get("created_utc", ""))
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp


def _download(folder: Path, name: str) -> dict:
    data = base64.b64encode((folder / name).read_bytes()).decode("ascii")
    return {"name": name, "href": f"data:text/csv;base64,{data}"}


# --- the page --------------------------------------------------------------------------


def _numbers(rf: ResultsFolder, language: str | None) -> Numbers:
    n = numbers_for(rf.scenario)
    return n if language is None else Numbers(language, n.currency)


def ranking(rf: ResultsFolder) -> RankingPrecision | None:
    """Whether the folder's replications are too few to rank the structures on
    contribution, and how many would do (:func:`sim.study.precision.ranking_precision`)."""
    return ranking_precision(rf.differences(), rf.summary(), rf.baseline, rf.replications)


def title(rf: ResultsFolder, n: Numbers) -> str:
    """The report's title: the scenario's description in the report's language, or the
    question and the scenario's name where it has none."""
    return localized(rf.scenario.description, n.language).strip() \
        or n.t("r.title", scenario=rf.scenario.name)


def render(rf: ResultsFolder, language: str | None = None,
           svg: dict[str, str] | None = None) -> str:
    """The report's HTML from a results folder. ``svg``: the charts already drawn as
    inline SVG by :func:`sim.report.charts.comparison_charts` (the others are drawn
    here)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from sim.report.charts import comparison_set, inline_svg

    sc, n = rf.scenario, _numbers(rf, language)
    months = sc.experiment.months
    diffs, summary = rf.differences(), rf.summary()
    charts = comparison_set(rf, n)
    shown = {}
    for name, note in SHOWN:
        c = charts[name]
        drawn = (svg or {}).get(name) or inline_svg(c.draw(None), name)
        shown[name] = {"name": name, "title": c.title, "series": c.series,
                       "note": n.t(note, baseline=rf.baseline), "svg": drawn}
    try:
        version = metadata.version("salesim")
    except metadata.PackageNotFoundError:  # pragma: no cover - a plain checkout
        version = "?"
    env = Environment(loader=PackageLoader("sim.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    return env.get_template("report.html.j2").render(
        t=n.t, lang=n.language, scenario=sc, baseline=rf.baseline, title=title(rf, n),
        claims=headline(diffs, rf.structures, rf.baseline, months, rf.replications, n,
                        ranking(rf)),
        table=key_table(summary, diffs, rf.structures, rf.baseline, months, n),
        charts=shown, assumptions=assumptions(sc, n),
        sensitivity=sensitivity_section(rf.folder), computed=how_computed(rf, n),
        version=version, created=created(rf.manifest),
        downloads=[_download(rf.folder, f) for f in ("summary.csv", "differences.csv")])


def headline_sentences(rf: ResultsFolder, language: str | None = None) -> list[str]:
    """The report's headline as plain sentences (what ``salesim report`` prints)."""
    return [c.text for c in headline(rf.differences(), rf.structures, rf.baseline,
                                     rf.scenario.experiment.months, rf.replications,
                                     _numbers(rf, language), ranking(rf))]


def write_report(folder: str | Path | ResultsFolder, language: str | None = None,
                 out: str | Path | None = None, svg: dict[str, str] | None = None) -> Path:
    """Write ``report.html`` (or ``out``) from the results folder ``folder``; the file
    is written beside its destination and renamed into place."""
    rf = folder if isinstance(folder, ResultsFolder) else ResultsFolder(folder)
    html = render(rf, language, svg)
    path = Path(out) if out is not None else rf.folder / REPORT
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path
