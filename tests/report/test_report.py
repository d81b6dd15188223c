"""The owner's report: sentences generated from hand-made differences, every text in both
languages, numbers an owner reads, and report.html written from a results folder
(sections in order, offline by construction, the same file from compare and report, the
size limit at the default comparison's dimensions)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.config.scenario import load_scenario
from sim.report.headline import headline
from sim.report.numbers import Numbers
from sim.report.texts import LANGUAGES, TEXTS, fields
from sim.study.applicability import not_applicable

BASE = "classic"
MONTHS = 36
#: The default comparison's structures, and the size limit of its report (issue 12).
SIX = ["classic", "staged-2", "staged-3", "ticket_pool", "process_norm",
       "automated_marketing"]
SIZE_LIMIT = 1_500_000


def diffs(rows: list[tuple], payback: dict | None = None) -> pd.DataFrame:
    """differences.csv as written and read back: (structure, measure, difference,
    ci_low, ci_high) rows; excludes_zero as Results.differences() sets it; payback:
    structure -> (month, early, late, dip, dip_low, dip_high, dip_month)."""
    out = [{"structure": s, "baseline": BASE, "measure": m, "difference": d, "ci_low": lo,
            "ci_high": hi, "relative": d / 1e6, "excludes_zero": bool(lo > 0 or hi < 0),
            "replications": 30} for s, m, d, lo, hi in rows]
    for s, (month, early, late, dip, dlo, dhi, dmonth) in (payback or {}).items():
        for m, d, lo, hi in (("payback_month", month, early, late), ("dip", dip, dlo, dhi),
                             ("dip_month", dmonth, dmonth, dmonth)):
            out.append({"structure": s, "baseline": BASE, "measure": m, "difference": d,
                        "ci_low": lo, "ci_high": hi, "relative": np.nan,
                        "excludes_zero": bool(m == "dip" and hi < 0), "replications": 30})
    return pd.DataFrame(out)


def roundtrip(frame: pd.DataFrame, tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "differences.csv"
    frame.to_csv(path, index=False)
    return pd.read_csv(path)


def sentences(frame, structures=("classic", "A", "B", "C"), language="en", currency=None):
    """The headline's claims, with the no-break spaces inside numbers read as spaces."""
    return [replace(c, text=c.text.replace("\u00a0", " ")) for c in headline(
        frame, list(structures), BASE, MONTHS, 30, Numbers(language, currency))]


NAN = float("nan")
LEADS = diffs([("A", "contribution", 1.2e6, 0.5e6, 1.9e6),
               ("B", "contribution", -2e4, -6e4, 2e4),
               ("C", "contribution", -8e5, -1.2e6, -4e5),
               ("A", "new_clients", 40.0, 30.0, 50.0),
               ("B", "new_clients", 2.0, -3.0, 7.0),
               ("C", "new_clients", 15.0, 5.0, 25.0)],
              {"A": (7.0, 5.0, 10.0, -3e5, -4e5, -2e5, 3.0),
               "B": (NAN, NAN, NAN, -9e4, -2e5, 2e4, 30.0),
               "C": (NAN, NAN, NAN, -8e5, -1.2e6, -4e5, 36.0)})


def test_the_leader_on_contribution_is_named_with_its_difference_interval_and_payback(
        tmp_path):
    claims = sentences(roundtrip(LEADS, tmp_path), currency="€")
    text = " ".join(c.text for c in claims)
    lead = [c for c in claims if c.measure == "contribution" and c.structure == "A"]
    assert len(lead) == 1 and lead[0].difference == 1.2e6
    assert lead[0].text == ("A leads on contribution: +€1.20M against classic (+120.0 %), "
                            "95 % interval +€500k to +€1.90M.")
    assert ("A pays back from month 7: from then on its cumulative contribution stays "
            "above classic's (95 % band: month 5 to month 10).") in text
    assert ("At its lowest, in month 3, the cumulative difference from classic is −€300k "
            "(95 % interval −€400k to −€200k).") in text
    assert "Below classic on contribution, with intervals that exclude zero: C −€800k." in text
    assert ("No clear difference from classic on contribution for B: their intervals "
            "include zero.") in text
    # New clients: A leads, C is also clearly above, B is not clear.
    assert "A leads on new clients: +40 against classic" in text
    assert "Also above classic on new clients, with intervals that exclude zero: C +15." in text
    assert "No clear difference from classic on new clients for B" in text
    # Only the leader's payback is stated; no sentence gives a verdict of its own.
    assert "C pays back" not in text and "B pays back" not in text


def test_no_clear_difference_is_said_as_such(tmp_path):
    frame = roundtrip(diffs([("A", "contribution", 1e5, -2e5, 4e5),
                             ("B", "contribution", -1e5, -4e5, 2e5),
                             ("A", "new_clients", 3.0, -1.0, 7.0),
                             ("B", "new_clients", -3.0, -7.0, 1.0)]), tmp_path)
    claims = sentences(frame, ("classic", "A", "B"))
    texts = [c.text for c in claims[1:] if not c.kind]  # after the intro and definition
    assert texts == [
        "No structure differs clearly from classic on contribution: every 95 % interval "
        "includes zero.",
        "No structure differs clearly from classic on new clients: every 95 % interval "
        "includes zero."]
    assert all(c.structure is None for c in claims)


def test_a_leader_that_never_pays_back_within_the_horizon(tmp_path):
    # Ahead over the horizon in total (the interval excludes zero) yet the cumulative
    # curve ends below zero: possible when the gain comes early and fades.
    frame = roundtrip(diffs([("A", "contribution", 3e5, 1e5, 5e5)],
                            {"A": (NAN, NAN, NAN, -5e5, -7e5, -3e5, 36.0)}), tmp_path)
    text = " ".join(c.text for c in sentences(frame, ("classic", "A")))
    assert "A's cumulative contribution does not stay above classic's within 36 months." in text
    assert "pays back from" not in text
    # The band's upper edge may stay above zero from some month on, the mean not.
    frame = roundtrip(diffs([("A", "contribution", 3e5, 1e5, 5e5)],
                            {"A": (NAN, 30.0, NAN, -5e5, -7e5, -3e5, 24.0)}), tmp_path)
    text = " ".join(c.text for c in sentences(frame, ("classic", "A")))
    assert ("A's cumulative contribution does not stay above classic's within 36 months on "
            "average; at the high edge of the 95 % band, from month 30.") in text


def test_payback_whose_band_is_open_at_the_low_edge_and_payback_from_the_start(tmp_path):
    frame = roundtrip(diffs([("A", "contribution", 3e5, 1e5, 5e5),
                             ("B", "contribution", 6e5, 4e5, 8e5)],
                            {"A": (20.0, 12.0, NAN, -1e5, -2e5, -5e4, 6.0),
                             "B": (1.0, 1.0, 1.0, 2e3, 1e3, 3e3, 1.0)}), tmp_path)
    text = " ".join(c.text for c in sentences(frame, ("classic", "B", "A")))
    assert "B is ahead of classic on cumulative contribution from the first month on." in text
    frame = roundtrip(diffs([("A", "contribution", 3e5, 1e5, 5e5)],
                            {"A": (20.0, 12.0, NAN, -1e5, -2e5, -5e4, 6.0)}), tmp_path)
    text = " ".join(c.text for c in sentences(frame, ("classic", "A")))
    assert ("A pays back from month 20: from then on its cumulative contribution stays above "
            "classic's; at the low edge of the 95 % band, not within 36 months.") in text


def test_the_same_claims_in_russian(tmp_path):
    claims = sentences(roundtrip(LEADS, tmp_path), language="ru", currency="₽")
    lead = next(c for c in claims if c.measure == "contribution" and c.structure == "A")
    assert lead.text == ("По показателю «маржинальная прибыль» впереди A: +1,20 млн ₽ к "
                         "classic (+120,0 %), 95 % интервал от +500 тыс. ₽ до +1,90 млн ₽.")
    assert len(claims) == len(sentences(LEADS))


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    assert LANGUAGES == ("en", "ru")
    en, ru = TEXTS["en"], TEXTS["ru"]
    assert set(en) == set(ru)
    for key in en:
        assert en[key].strip() and ru[key].strip(), key
        assert fields(en[key]) == fields(ru[key]), key
    # Russian texts are Russian (a copied English text would pass the checks above).
    words = [k for k in ru if re.search("[а-яА-Я]", ru[k])]
    assert len(words) >= 0.9 * len(ru)


@pytest.mark.parametrize(("language", "currency", "value", "signed", "expected"), [
    ("en", None, 1_234_567, False, "1.23M"),
    ("en", "€", -350_400, True, "−€350k"),
    ("en", "$", 45_250_000, True, "+$45.2M"),
    ("en", "RUB", 820, False, "820 RUB"),
    ("ru", "₽", 1_234_567, True, "+1,23 млн ₽"),
    ("ru", None, -350_400, False, "−350 тыс."),
    ("ru", "€", 5_600, False, "5,6 тыс. €"),
])
def test_money_is_written_in_thousands_or_millions_with_the_currency(language, currency,
                                                                       value, signed, expected):
    # Spaces inside a number are no-break spaces, so a number never splits across lines.
    assert Numbers(language, currency).money(value, signed) == expected.replace(" ", "\u00a0")


# --- report.html from a results folder ----------------------------------------------------

@pytest.fixture
def folder(results_folder) -> Path:
    """The session's tiny results folder (tests/report/conftest.py)."""
    return results_folder


SECTIONS = ["answer", "key-figures", "transition", "mechanisms", "assumptions", "computed"]
CHARTS = ["transition", "revenue", "moss_curve", "new_clients_by_source", "lost_by_cause",
          "bridge"]


def test_the_report_has_the_sections_and_charts_in_the_order_the_issue_lists(folder):
    html = (folder / "report.html").read_text(encoding="utf-8")
    places = [html.index('<section class="answer" id="answer"' if s == "answer"
                         else f'<section id="{s}"') for s in SECTIONS]
    assert places == sorted(places)
    assert re.findall(r'<figure class="chart" id="chart-([a-z_]+)"', html) == CHARTS
    # Each chart: an inline SVG with the expected series (structure names from the CSVs).
    summary = pd.read_csv(folder / "summary.csv")
    names = list(dict.fromkeys(summary["structure"]))
    for chart in CHARTS:
        body = html[html.index(f'id="chart-{chart}"'):]
        body = body[:body.index("</figure>")]
        expected = [s for s in names if s != BASE] if chart in ("transition", "bridge") \
            else names
        idle = {s for s, m in not_applicable(load_scenario(folder / "scenario.yaml"), names
                                             ).items() if "active_share" in m}
        for s in expected:
            if chart == "moss_curve" and s in idle:
                # No active work (dispatchers): "n/a" in its panels, not a line at 0 %.
                assert f'id="{chart}-na-{s}-active_share"' in body, (chart, s)
                assert f'id="{chart}-series-{s}"' not in body, (chart, s)
                continue
            assert re.search(rf'id="{chart}-series-{re.escape(s)}(-[a-z_]+)?"', body), \
                (chart, s)
    assert "automated_marketing" in idle  # the tiny comparison has one such structure


def test_the_report_loads_nothing_from_anywhere(folder):
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert "@import" not in html and "@font-face" not in html
    assert not re.search(r'\ssrc=', html)
    assert not re.search(r'(href|url)\s*[=(]\s*["\']?(https?:|//)', html)
    # Every reference is internal to the page (an SVG id) or a CSV carried as data.
    for ref in re.findall(r'(?:href|xlink:href)="([^"]*)"', html):
        assert ref.startswith(("#", "data:text/csv;base64,")), ref[:40]
    assert "default-src 'none'" in html  # and the page forbids loading anything


def test_differences_are_coloured_only_where_the_interval_excludes_zero(folder):
    html = (folder / "report.html").read_text(encoding="utf-8")
    d = pd.read_csv(folder / "differences.csv").set_index(["structure", "measure"])
    cells = re.findall(r'<td class="(\w*)" data-measure="(\w+)" data-structure="([\w-]+)"'
                       r' data-difference', html)
    assert len(cells) >= 2 * 6
    for cls, measure, structure in cells:
        if measure in ("payback_month", "dip"):
            continue
        coloured = cls in ("better", "worse")
        assert coloured == bool(d.loc[(structure, measure), "excludes_zero"]), \
            (structure, measure)
        if coloured:  # blue where better: more revenue, new clients, contribution...
            higher = measure in ("revenue", "new_clients", "contribution")
            up = d.loc[(structure, measure), "difference"] > 0
            assert (cls == "better") == (up == higher), (structure, measure)


def test_report_rebuilds_the_same_file_from_the_folder_and_names_the_parameters(folder,
                                                                              tmp_path):
    from sim.report.html import write_report

    again = write_report(folder, out=tmp_path / "again.html")
    assert again.read_bytes() == (folder / "report.html").read_bytes()
    html = again.read_text(encoding="utf-8")
    # The tiny scenario's own values, against the defaults, with where the default is from.
    row = re.search(r"<code>market.n_accounts</code></td><td>600</td><td>6,000</td>", html)
    assert row, "market.n_accounts 600 against the default 6000"
    assert "<code>workforce.managers</code></td><td>3</td><td>15</td>" in html


def test_default_origins_classify_every_number_of_the_default_scenario():
    from sim import Scenario
    from sim.config.origins import NOT_PARAMETERS, default_origins
    from sim.config.origins import flat as _flat

    origins = default_origins()
    numbers = [p for p, v in _flat(Scenario().model_dump(mode="json")).items()
               if p.split(".")[0] not in NOT_PARAMETERS and isinstance(v, int | float)
               and not isinstance(v, bool)]
    assert set(origins) == set(numbers)
    assert origins["skill.tau_hours"][0] == "calibrated"  # "chosen so the median hire..."
    assert origins["selling.follow_rate"][0] == "calibrated"  # "set with the dip so..."
    assert origins["market.segments.mid.win_rate"][0] == "assumption"
    # A design default of salesim's brief is no source a reader could look up.
    assert origins["workforce.managers"][0] == "assumption"  # "design default: about 15"
    assert origins["structures.process_norm.win_uplift"][0] == "source"  # "CSO Insights"
    assert not [p for p, (_, c) in origins.items() if "MODEL.md" in c]
    assert origins["structures.ticket_pool.service_penalty"][0] == "source"  # "(... 2015)"
    assert origins["skill.s_max"][0] == "choice"  # "normalisation"
    assert origins["structures.classic.priorities.order"][0] == "choice"  # first come...
    # A comment continued from the line above ("...for six months") keeps its start.
    assert origins["reorganisation.loss_quit_days"][0] == "assumption"


def test_the_report_command_prints_the_headline_and_refuses_a_folder_without_differences(
        folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "report.html").unlink()
    r = subprocess.run([sys.executable, "-m", "sim.cli", "report", copy], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (copy / "report.html").read_bytes() == (folder / "report.html").read_bytes()
    assert r.stdout.startswith("Against classic, over 6 months after the switch")
    assert "report written to" in r.stdout
    (copy / "differences.csv").unlink()
    r = subprocess.run([sys.executable, "-m", "sim.cli", "report", copy, "--quiet"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "missing differences.csv" in r.stderr
    assert "Traceback" not in r.stderr


def stretch(folder: Path, out: Path) -> Path:
    """The tiny folder blown up to the default comparison's dimensions, which are what a
    report's size depends on (replications are averaged away): six structures, twelve
    months before the switch and 36 after, tenure up to about six years."""
    shutil.copytree(folder, out)
    names = list(pd.read_csv(folder / "summary.csv")["structure"].unique())
    source = {s: names[i % len(names)] for i, s in enumerate(SIX)}
    monthly = pd.read_parquet(folder / "monthly.parquet")
    last = int(monthly["month"].max())
    parts = []
    for s, src in source.items():
        for month in range(-11, MONTHS + 1):
            rows = monthly[(monthly["structure"] == src)
                           & (monthly["month"] == (month - 1) % last + 1)].copy()
            rows["structure"], rows["month"] = s, month
            parts.append(rows)
    pd.concat(parts, ignore_index=True).to_parquet(out / "monthly.parquet", index=False)
    managers = pd.read_parquet(folder / "managers.parquet")
    m = pd.concat([managers[managers["structure"] == src].assign(structure=s)
                   for s, src in source.items()], ignore_index=True)
    m["tenure_months"] = m["tenure_months"] * 72 / m["tenure_months"].max()
    m.to_parquet(out / "managers.parquet", index=False)
    for table in ("summary.csv", "differences.csv"):
        frame = pd.read_csv(folder / table)
        frame = pd.concat([frame[frame["structure"] == src].assign(structure=s)
                           for s, src in source.items()], ignore_index=True)
        if table == "differences.csv":
            frame = frame[frame["structure"] != BASE]
        frame.to_csv(out / table, index=False)
    scenario = yaml.safe_load((folder / "scenario.yaml").read_text())
    scenario["experiment"].update(horizon_years=3, structures=SIX)
    (out / "scenario.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.update(structures=SIX, replications=30)
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def test_the_report_of_a_comparison_the_size_of_the_default_stays_under_the_limit(
        folder, tmp_path):
    from sim.report.html import write_report

    big = stretch(folder, tmp_path / "big")
    path = write_report(big)
    html = path.read_text(encoding="utf-8")
    assert len(re.findall(r'id="transition-series-[\w-]+"', html)) == 5  # six structures
    assert path.stat().st_size < SIZE_LIMIT, path.stat().st_size


def test_months_before_the_switch_are_shaded_only_when_the_frames_have_them():
    import matplotlib.pyplot as plt

    from sim.report.charts import transition_figure

    def texts(first_month: int) -> list[str]:
        months = np.arange(first_month, 7)
        diff = np.where(months <= 0, 0.0, np.array([-3e4, -5e4, -2e4, 1e4, 3e4, 6e4])[
            np.clip(months - 1, 0, None)])
        curve = pd.DataFrame({"structure": "A", "month": months, "difference": diff,
                              "ci_low": diff - 1e4, "ci_high": diff + 1e4, "replications": 5})
        fig = transition_figure(curve, ["classic", "A"], "classic", Numbers("en", "€"))
        out = [t.get_text() for ax in fig.axes for t in ax.texts]
        plt.close(fig)
        return out

    before = texts(-11)
    assert "before the switch" in before and "switch" in before
    assert "pays back from month 4" in before and "lowest −€50.0k" in before
    today = texts(1)
    assert "before the switch" not in today and "switch" in today


def test_the_bridge_turns_cost_differences_into_effects_that_add_up_to_the_contribution():
    from sim.report.charts import bridge_parts

    frame = diffs([("A", "gross_margin", 100.0, 80.0, 120.0),
                   ("A", "payroll", 30.0, 10.0, 50.0),
                   ("A", "overhead_cost", 10.0, 5.0, 15.0),
                   ("A", "marketing_spend", 0.0, 0.0, 0.0),
                   ("A", "transition_cost", 20.0, 15.0, 25.0),
                   ("A", "contribution", 40.0, 5.0, 75.0)])
    parts = bridge_parts(frame, ["classic", "A"], "classic").set_index("part")
    assert parts["effect"].to_dict() == {"gross_margin": 100.0, "payroll": -30.0,
                                         "overhead_cost": -10.0, "marketing_spend": 0.0,
                                         "transition_cost": -20.0, "contribution": 40.0}
    assert parts.drop("contribution")["effect"].sum() == parts.loc["contribution", "effect"]
    assert tuple(parts.loc["payroll", ["ci_low", "ci_high"]]) == (-50.0, -10.0)
    assert bool(parts.loc["payroll", "excludes_zero"])
    # Without a transition_cost column (runs before issue 11), the part is left out.
    parts = bridge_parts(frame[frame["measure"] != "transition_cost"], ["classic", "A"],
                         "classic")
    assert "transition_cost" not in set(parts["part"])


def test_a_sweep_folder_is_refused_and_its_sensitivity_is_picked_up_where_present(tmp_path):
    from sim.report.html import sensitivity_section
    from sim.report.results_folder import ReportError, ResultsFolder

    (tmp_path / "study.json").write_text("{}")
    with pytest.raises(ReportError, match="holds a sweep, not a comparison"):
        ResultsFolder(tmp_path)
    assert sensitivity_section(tmp_path) is None
    (tmp_path / "sensitivity").mkdir()
    pd.DataFrame({"structure": ["classic", "process_norm"], "share": [0.25, 0.75],
                  "points_won": [5, 15]}).to_csv(tmp_path / "sensitivity" / "wins.csv",
                                                 index=False)
    found = sensitivity_section(tmp_path)
    assert [w["structure"] for w in found["wins"]] == ["classic", "process_norm"]
    assert found["sentences"] == []
