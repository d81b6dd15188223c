"""The what-if page as a Shiny for Python app. Shiny serves its own JavaScript and CSS
from the installed package, so the page loads nothing from the network; it is
reactive (a slider move recomputes only the answer that reads it) and runs in one
process that also holds the emulator and the background simulations."""

from __future__ import annotations

import math

from shiny import App, reactive, render, ui

from sim.report.numbers import Numbers
from sim.whatif.session import MEASURES, Session
from sim.whatif.texts import t

KINDS = dict(MEASURES)
STYLE = """
body { font-family: system-ui, sans-serif; }
table.figures { border-collapse: collapse; margin: .5em 0 1em; }
table.figures th, table.figures td { padding: .25em .7em; border-bottom: 1px solid #ddd;
  text-align: right; }
table.figures th:first-child, table.figures td:first-child { text-align: left; }
.note { color: #555; font-size: .9em; max-width: 60em; }
.source { color: #666; font-size: .8em; margin: -.6em 0 .8em; }
.warn { color: #8a4b00; }
progress { width: 24em; height: 1.2em; }
"""


def _fmt(n: Numbers, value: float, kind: str, signed: bool) -> str:
    return n.format(value, kind, signed=signed)


def figures_table(n: Numbers, frame, language: str, table_id: str, signed: bool,
                  extra: dict | None = None) -> ui.Tag:
    """Rows: structures; columns: the measures, each ``value (low to high)``; each cell
    carries ``data-key`` and ``data-mean`` for tests and scripts."""
    head = [ui.tags.th(t("structure", language))] + [ui.tags.th(t(m, language))
                                                    for m, _ in MEASURES]
    if extra:
        head.append(ui.tags.th(extra["title"]))
    rows = []
    for s, f in frame.groupby("structure", sort=False):
        cells = [ui.tags.td(n.structure(s))]
        for m, kind in MEASURES:
            r = f[f["measure"] == m]
            if r.empty:
                cells.append(ui.tags.td("–"))
                continue
            r = r.iloc[0]
            text = (f"{_fmt(n, r['mean'], kind, signed)} "
                    f"({n.interval(r['low'], r['high'], kind, signed=signed)})")
            cells.append(ui.tags.td(text, **{"data-key": f"{m}:{s}",
                                              "data-mean": f"{r['mean']:.6g}"}))
        if extra:
            cells.append(ui.tags.td(extra["cell"](s, f)))
        rows.append(ui.tags.tr(*cells))
    return ui.tags.table(ui.tags.thead(ui.tags.tr(*head)), ui.tags.tbody(*rows),
                         id=table_id, class_="figures")


def make_app(session: Session, language: str = "en") -> App:
    """The Shiny app of one session; ``language`` is the page's opening language."""
    sliders = session.sliders
    ids = {f"p{i}": s for i, s in enumerate(sliders)}

    page = ui.page_fluid(
        ui.tags.head(ui.tags.style(STYLE)),
        ui.output_ui("heading"),
        ui.input_radio_buttons("lang", None, {"en": "English", "ru": "Русский"},
                               selected=language, inline=True),
        ui.layout_sidebar(
            ui.sidebar(ui.output_ui("controls"), width=430, open="always"),
            ui.output_ui("answer"),
            ui.div(ui.input_numeric("replications", "Replications",
                                    value=session.scenario.experiment.replications,
                                    min=1, max=1000),
                   ui.input_action_button("simulate", t("simulate", language)),
                   ui.input_action_button("save", t("save", language)),
                   ui.input_action_button("report", t("report", language))),
            ui.output_ui("progress"),
            ui.output_ui("simulated"),
            ui.output_ui("saved"),
        ),
        title="salesim what-if",
    )

    def server(input, output, _session):
        job = reactive.value(None)
        messages = reactive.value([])

        def lang() -> str:
            return input.lang() or "en"

        def numbers() -> Numbers:
            return Numbers(lang(), session.currency)

        def values() -> dict[str, float]:
            out = {}
            for key, s in ids.items():
                v = input[key]()
                out[s.path] = s.value if v is None else float(v)
            return out

        @reactive.effect
        @reactive.event(input.lang)
        def _relabel():
            ui.update_action_button("simulate", label=t("simulate", lang()))
            ui.update_action_button("save", label=t("save", lang()))
            ui.update_action_button("report", label=t("report", lang()))
            ui.update_numeric("replications", label=t("replications", lang()))

        @render.ui
        def heading():
            return ui.h2(t("title", lang(), name=session.scenario.name), id="heading")

        @render.ui
        def controls():
            language = lang()
            with reactive.isolate():
                current = {k: input[k]() for k in ids if k in input}
            n = numbers()
            items = [ui.p(t("decisive" if session.decisive else "all", language),
                          class_="note")]
            for key, s in ids.items():
                step = (s.high - s.low) / 100
                value = current.get(key)
                items.append(ui.input_slider(key, s.label, min=s.low, max=s.high,
                                             value=s.value if value is None else value,
                                             step=step if step < 1 else 1))
                low, high = s.declared
                span = t("range", language, low=n.decimal(low), high=n.decimal(high))
                source = s.source.get(language, s.source.get("en", ""))
                items.append(ui.p(f"{span}; {t('source', language)}: {source}",
                                  class_="source"))
            return ui.TagList(*items)

        @render.ui
        def answer():
            language = lang()
            if session.emulator is None:
                return ui.p(t("no_emulator", language), class_="note", id="answer")
            point = values()
            est = session.estimate(point)
            n = numbers()
            diff = est[est["versus"] != ""]
            base = est[est["versus"] == ""]

            def accuracy(s, f):
                c = f[f["measure"] == "contribution"]
                if c.empty:
                    return "–"
                r = c.iloc[0]
                return f"{r['r2']:.2f} / ±{n.money(r['rmse'])}"

            weak = any((r < 0.9) for r in diff[diff["measure"] == "contribution"]["r2"])
            return ui.div(
                ui.h3(t("answer", language, baseline=n.structure(session.baseline))),
                figures_table(n, diff, language, "estimate", True,
                              {"title": t("r2", language), "cell": accuracy}),
                figures_table(n, base, language, "baseline", False),
                ui.p(t("estimate_note", language,
                       points=session.emulator.meta.get("points", "?")), class_="note"),
                ui.p(t("weak", language), class_="note warn") if weak else None,
                id="answer")

        @reactive.effect
        @reactive.event(input.simulate)
        def _simulate():
            reps = input.replications() or 1
            job.set(session.start(values(), max(1, int(reps))))

        @render.ui
        def progress():
            j = job()
            if j is None:
                return None
            if not j.finished:
                reactive.invalidate_later(0.25)
                return ui.div(ui.tags.progress(value=j.done, max=max(j.total, 1),
                                               id="sim-progress"),
                              ui.span(" " + t("running", lang(), done=j.done, total=j.total)))
            return None

        @render.ui
        def simulated():
            j = job()
            if j is None:
                return None
            if not j.finished:
                reactive.invalidate_later(0.25)
                return None
            language = lang()
            if j.error:
                return ui.p(t("failed", language, error=j.error), class_="warn",
                            id="sim-error")
            n = numbers()
            sim = session.simulated(j)
            est = session.estimate(j.values) if session.emulator is not None else None

            def beside(s, f):
                if est is None:
                    return "–"
                e = est[(est["structure"] == s) & (est["measure"] == "contribution")]
                if e.empty:
                    return "–"
                e = e.iloc[0]
                return (f"{_fmt(n, e['mean'], 'money', bool(e['versus']))} "
                        f"({n.interval(e['low'], e['high'], 'money', bool(e['versus']))})")

            moved = any(not math.isclose(v, j.values.get(p, v)) for p, v in values().items())
            return ui.div(ui.h3(t("simulated", language, reps=j.replications)),
                          figures_table(n, sim, language, "simulated-table", True,
                                        {"title": f"{t('emu_col', language)}: "
                                                  f"{t('contribution', language)}",
                                         "cell": beside}),
                          ui.p(t("stale", language), class_="note") if moved else None,
                          id="simulated-block")

        @reactive.effect
        @reactive.event(input.save)
        def _save():
            path = session.save_point(values())
            messages.set([*messages(), t("saved", lang(), path=path)])

        @reactive.effect
        @reactive.event(input.report)
        def _report():
            j = job()
            if j is None or not j.finished or j.error:
                messages.set([*messages(), t("report_needs", lang())])
                return
            path = session.write_report(j, lang())
            messages.set([*messages(), t("report_written", lang(), path=path)])

        @render.ui
        def saved():
            return ui.div(*[ui.p(m) for m in messages()], id="messages")

    return App(page, server)
