"""The report as an owner reads it (issue 30): numbers and plural forms from Babel in
each language, plain names beside the structures' codes, the warning that the
replications are too few to rank, "n/a" where a measure does not apply, the title from
the scenario's description, findings.md in the study's language, sources an owner can
follow, and chart texts that never collide."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from babel import Locale
from scipy import stats

import sim
from sim.config.scenario import Scenario, parse_scenario
from sim.config.structures import STRUCTURES as CODES
from sim.report.charts import comparison_set, transition_figure
from sim.report.charts.layout import overlaps
from sim.report.findings import findings_markdown
from sim.report.headline import headline
from sim.report.html import title
from sim.report.numbers import Numbers
from sim.report.results_folder import ResultsFolder
from sim.report.texts import LANGUAGES, PLURALS, STRUCTURES
from sim.study.applicability import not_applicable
from sim.study.precision import ranking_precision

from tests.helpers import small

NBSP = "\u00a0"


# --- numbers and words -------------------------------------------------------------------


def test_numbers_follow_one_convention_per_language():
    en, ru = Numbers("en", "€"), Numbers("ru", "€")
    assert (en.count(1234.0), ru.count(1234.0)) == ("1,234", f"1{NBSP}234")
    assert (en.decimal(0.25), ru.decimal(0.25)) == ("0.25", "0,25")
    assert (en.money(1_234_567), ru.money(1_234_567)) == ("€1.23M", f"1,23{NBSP}млн{NBSP}€")
    assert (en.share(0.1234), ru.share(0.1234)) == ("12.3 %", "12,3 %")
    assert ru.money(-12_345, signed=True) == f"\u221212,3{NBSP}тыс.{NBSP}€"
    # Russian numbers never carry a decimal point, English ones never a decimal comma.
    values = [0.5, 12.25, 1234.5, 2.5e6, -7.75e4]
    assert not any(re.search(r"\d\.\d", ru.money(v) + ru.count(v) + ru.decimal(v))
                   for v in values)
    assert not any(re.search(r",\d{1,2}\b", en.money(v) + en.decimal(v)) for v in values)


def test_plural_forms_follow_each_language_rule():
    ru, en = Numbers("ru"), Numbers("en")
    assert [ru.plural("replications", k) for k in (1, 2, 4, 5, 11, 21, 22, 30)] == [
        "1 прогон", "2 прогона", "4 прогона", "5 прогонов", "11 прогонов", "21 прогон",
        "22 прогона", "30 прогонов"]
    assert [ru.plural("years", k) for k in (1, 3, 5, 0.5)] == [
        "1 год", "3 года", "5 лет", "0,5 года"]
    assert (ru.plural("numbers", 171), ru.plural("numbers", 110)) == ("171 числа",
                                                                      "110 чисел")
    assert (en.plural("replications", 1), en.plural("replications", 4)) == (
        "1 replication", "4 replications")
    # Every word has every form its language's rule can ask for.
    for language in LANGUAGES:
        tags = set(Locale.parse(language).plural_form.tags) | {"other"}
        for key, forms in PLURALS[language].items():
            assert tags <= set(forms), (language, key)
        assert set(PLURALS[language]) == set(PLURALS["en"])


def test_every_structure_has_a_plain_name_and_a_line_in_both_languages():
    for language in LANGUAGES:
        for code in CODES:
            name, line = STRUCTURES[language][code]
            assert name and line and name != code, (language, code)
    n = Numbers("ru")
    assert n.structure("process_norm") == "Процесс и норма"
    assert n.structure("pool_fed_by_marketing") == "pool_fed_by_marketing"  # a hybrid


# --- too few replications ----------------------------------------------------------------


def _tables(half: float, replications: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    diffs = pd.DataFrame([
        {"structure": s, "measure": "contribution", "difference": d, "ci_low": d - h,
         "ci_high": d + h, "relative": d / 20e6, "excludes_zero": abs(d) > h,
         "replications": replications}
        for s, d, h in (("A", 2e6, half), ("B", -1e6, half / 2))])
    summary = pd.DataFrame([{"structure": "classic", "measure": "contribution",
                             "mean": 20e6, "ci_low": 19e6, "ci_high": 21e6}])
    return diffs, summary


def test_intervals_too_wide_to_rank_are_named_with_the_replications_that_would_rank():
    diffs, summary = _tables(half=3e6)
    r = ranking_precision(diffs, summary, "classic", 4)
    assert r.too_wide and r.structure == "A" and r.widest == 3e6 and r.allowed == 1e6
    # The smallest count at which A's Student-t half-width, same spread, is within 1e6.
    sd = 3e6 * 2 / stats.t.ppf(0.975, 3)

    def half(m: int) -> float:
        return stats.t.ppf(0.975, m - 1) * sd / math.sqrt(m)

    assert half(r.needed) <= 1e6 < half(r.needed - 1)
    claims = headline(diffs, ["classic", "A", "B"], "classic", 36, 4, Numbers(), r)
    assert claims[1].kind == "too_wide"  # right after the intro, before any result
    assert claims[1].text.startswith("4 replications are too few to rank")
    assert f"About {r.needed} replications would be needed" in claims[1].text
    ru = headline(diffs, ["classic", "A", "B"], "classic", 36, 4, Numbers("ru"), r)[1].text
    assert ru.startswith("Сделано 4 прогона: этого мало") and f"{r.needed} прогон" in ru
    # Narrow intervals: no warning.
    diffs, summary = _tables(half=0.5e6, replications=30)
    r = ranking_precision(diffs, summary, "classic", 30)
    assert not r.too_wide and r.needed == 30
    claims = headline(diffs, ["classic", "A", "B"], "classic", 36, 30, Numbers(), r)
    assert not [c for c in claims if c.kind == "too_wide"]


# --- what does not apply -----------------------------------------------------------------


def test_measures_that_do_not_apply_are_read_from_the_seats_roles():
    na = not_applicable(Scenario(), ["classic", "ticket_pool", "automated_marketing"])
    owner = {"top_manager_revenue_share", "key_person_revenue_at_risk"}
    assert na == {"classic": set(), "ticket_pool": owner,
                  "automated_marketing": {"active_share", "moss_curve", "prospecting_share"}
                  | owner}


@pytest.fixture(scope="module")
def russian_study():
    sc = small(**{"experiment.initial_state": "mature", "experiment.warmup_years": 0.5,
                  "report.language": "ru", "currency": "€"})
    return sim.compare(sc, ["classic", "automated_marketing"], replications=2, seed=3,
                       executor="serial")


def test_findings_are_written_in_the_studys_language_with_na(russian_study):
    md = findings_markdown(russian_study)
    assert md.startswith("# Выводы: default") and "2 прогона" in md
    assert "н/д" in re.search(r"\| доля свободного времени на активную работу \|.*",
                              md).group(0).split("|")[-2]
    # Apart from the scenario's name, codes and file names, nothing is left in English.
    prose = re.sub(r"`[^`]*`|default|classic|automated_marketing|charts/\S+|docs/\S+", "",
                   md)
    assert re.findall(r"[A-Za-z]{3,}", prose) == []
    assert "# Findings: default" in findings_markdown(russian_study, "en")


def test_the_report_folder_findings_say_na_where_a_measure_does_not_apply(results_folder):
    md = (results_folder / "findings.md").read_text(encoding="utf-8")
    row = re.search(r"\| share of free time spent on active work \|.*", md).group(0)
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    names = ["classic", "process_norm", "automated_marketing"]
    assert dict(zip(names, cells, strict=True))["automated_marketing"] == "n/a"
    assert all(c.endswith("%") for c in cells[:2])


# --- the report's page -------------------------------------------------------------------


def test_the_title_is_the_scenarios_description_in_the_reports_language():
    both = parse_scenario({"description": {"en": "Mid-size distributor",
                                           "ru": "Средний дистрибьютор"}})
    rf = SimpleNamespace(scenario=both)
    assert title(rf, Numbers("en")) == "Mid-size distributor"
    assert title(rf, Numbers("ru")) == "Средний дистрибьютор"
    none = SimpleNamespace(scenario=parse_scenario({"name": "acme"}))
    assert title(none, Numbers("en")) == "Which structure for the sales department: acme"


def test_the_key_table_names_each_structure_and_shows_contribution_first(results_folder):
    from sim.report.html import render

    for language in LANGUAGES:
        html = render(ResultsFolder(results_folder), language)
        n = Numbers(language)
        head = re.search(r'<table class="key">\s*<thead><tr><th>[^<]*</th><th>([^<]*)</th>',
                         html).group(1)
        assert head == n.t("m.contribution")
        for code in ("classic", "process_norm", "automated_marketing"):
            row = re.search(r'<th scope="row">(.*?)</th>', html[html.index(
                f'<tr data-structure="{code}"' if code != "classic"
                else '<tr class="baseline" data-structure="classic"'):]).group(1)
            assert n.structure(code) in row and f'<code class="code">{code}</code>' in row
            assert n.structure_line(code).replace("'", "&#39;") in row
        assert n.t("h.contribution").replace("'", "&#39;") in html  # defined up front
        assert "MODEL.md" not in html


def test_chart_texts_do_not_overlap_in_either_language(results_folder):
    rf = ResultsFolder(results_folder)
    for language in LANGUAGES:
        for name, chart in comparison_set(rf, Numbers(language, "€")).items():
            for heading in (chart.title, None):  # the PNG (titled) and the report's SVG
                fig = chart.draw(heading)
                assert overlaps(fig) == [], (language, name)
                plt.close(fig)


def test_labels_that_would_collide_are_moved_apart(monkeypatch):
    # A shallow dip near the end and a panel of far deeper losses on the shared axis:
    # the zero line's label lands on "before the switch" unless moved.
    months = np.arange(-11, 37)

    def curve(structure: str, low: float, end: float, at: int) -> pd.DataFrame:
        d = np.where(months <= 0, 0.0, low * np.sin(np.clip(months, 0, at) / at * np.pi / 2))
        d[months > at] = np.linspace(low, end, (months > at).sum() + 1)[1:]
        return pd.DataFrame({"structure": structure, "month": months, "difference": d,
                             "ci_low": d - 3e5, "ci_high": d + 3e5})

    frame = pd.concat([curve("ticket_pool", -2.35e6, -2.26e6, 33),
                       curve("automated_marketing", -11.2e6, -11.1e6, 35)])
    names = ["classic", "ticket_pool", "automated_marketing"]
    for language in LANGUAGES:
        fig = transition_figure(frame, names, "classic", Numbers(language), title="t")
        assert overlaps(fig) == []
        shown = [t.get_text() for t in fig.axes[0].texts if t.get_visible()]
        assert any(t.startswith(Numbers(language).t("c.lowest", value="")) for t in shown)
    import sim.report.charts.style as style

    monkeypatch.setattr(style, "declutter", lambda fig: fig)  # the check can fail
    assert overlaps(transition_figure(frame, names, "classic", Numbers(), title="t")) != []
