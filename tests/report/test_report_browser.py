"""report.html in a real browser: Debian's Chromium, headless, through Playwright, opens
the file from file:// with every network request blocked and recorded.

Asserts that the page attempts no request and logs no console error, that every chart
is an SVG the browser lays out with the series the results folder implies, and that the
headline names the structures and states the numbers of ``differences.csv``. A
screenshot of the first screen is kept under the test's temporary folder.

``python -m tests.report.test_report_browser DIR docs/img/report.png`` takes the same
screenshot of a results folder's report (the README's picture, from the default
comparison).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.config.scenario import load_scenario
from sim.report.headline import HEADLINE_MEASURES
from sim.report.html import write_report
from sim.report.numbers import Numbers
from sim.study.applicability import not_applicable

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}
BASE = "classic"


def chromium() -> str | None:
    """Debian's chromium; installed with apt-get when missing and this process may (CI
    runs as root), as .ci/run does."""
    found = shutil.which("chromium")
    if found is None and hasattr(os, "geteuid") and os.geteuid() == 0 \
            and shutil.which("apt-get"):
        subprocess.run("apt-get update -qq && apt-get install -y -qq chromium", shell=True,
                       capture_output=True, timeout=900, check=False)
        found = shutil.which("chromium")
    return found


def open_page(playwright, profile: Path, executable: str):
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=executable, headless=True, args=CHROMIUM_ARGS,
        viewport=VIEWPORT)
    return context, context.new_page()


def screenshot(report: Path, out: Path) -> Path:
    """The first screen of ``report`` as a PNG, as the test sees it."""
    import tempfile

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context, page = open_page(p, Path(profile), chromium() or "chromium")
        page.goto(report.resolve().as_uri())
        page.screenshot(path=str(out))
        context.close()
    return out


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory, request):
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (the dev extra has it)")
    executable = chromium()
    if executable is None:
        pytest.skip("Debian's chromium is not installed and cannot be installed here "
                    "(apt-get install chromium needs root): .ci/run installs it")
    folder = request.getfixturevalue("results_folder")  # built only past the skips
    report = folder / "report.html"
    url = report.resolve().as_uri()
    requests, blocked, console, errors = [], [], [], []
    with sync_api.sync_playwright() as p:
        context, page = open_page(p, tmp_path_factory.mktemp("profile"), executable)

        def route(r):
            if r.request.url == url:
                r.continue_()  # the report itself, read from the file system
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: console.append((m.type, m.text)))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_load_state("load")
        shot = tmp_path_factory.mktemp("artefacts") / "report.png"
        page.screenshot(path=str(shot))
        yield {"page": page, "folder": folder, "url": url, "requests": requests,
               "blocked": blocked, "console": console, "errors": errors, "shot": shot,
               "playwright": p, "executable": executable}
        context.close()


def test_the_report_attempts_no_request_and_logs_no_error(browser_page):
    b = browser_page
    assert b["blocked"] == []
    assert [u for u in b["requests"] if u != b["url"]] == []
    assert [m for m in b["console"] if m[0] in ("error", "warning")] == []
    assert b["errors"] == []
    assert b["shot"].stat().st_size > 10_000  # a screenshot of a drawn page


def test_every_chart_is_rendered_with_its_series(browser_page):
    b = browser_page
    summary = pd.read_csv(b["folder"] / "summary.csv")
    names = list(dict.fromkeys(summary["structure"]))
    diffs = pd.read_csv(b["folder"] / "differences.csv")
    others = list(dict.fromkeys(diffs["structure"]))
    idle = {s for s, m in not_applicable(load_scenario(b["folder"] / "scenario.yaml"), names
                                         ).items() if "active_share" in m}
    expected = {"transition": others, "revenue": names,
                "moss_curve": [s for s in names if s not in idle],
                "new_clients_by_source": names, "lost_by_cause": names, "bridge": others}
    charts = b["page"].evaluate("""() => [...document.querySelectorAll('figure.chart')].map(f => {
        const svg = f.querySelector('svg');
        const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
        const series = JSON.parse(f.dataset.series);
        const drawn = {};
        for (const s of series) {
            const id = f.dataset.chart + '-series-' + s;
            const els = [...svg.querySelectorAll('[id]')].filter(
                e => e.id === id || e.id.startsWith(id + '-'));
            drawn[s] = els.map(e => { const r = e.getBBox(); return r.width + r.height; });
        }
        return {chart: f.dataset.chart, series, width: box.width, height: box.height,
                paths: svg ? svg.querySelectorAll('path').length : 0, drawn};
    })""")
    assert [c["chart"] for c in charts] == list(expected)
    for c in charts:
        assert c["series"] == expected[c["chart"]], c["chart"]
        assert c["width"] > 600 and c["height"] > 150, c
        assert c["paths"] > 20, c["chart"]
        for s in c["series"]:
            assert c["drawn"][s] and max(c["drawn"][s]) > 0, (c["chart"], s)


def test_the_headline_names_the_structures_and_states_the_differences(browser_page):
    b = browser_page
    page, folder = b["page"], b["folder"]
    diffs = pd.read_csv(folder / "differences.csv")
    manifest = json.loads((folder / "manifest.json").read_text())
    claims = page.evaluate("""() => [...document.querySelectorAll('#answer p.claim')].map(p => (
        {text: p.textContent, measure: p.dataset.measure || null,
         structure: p.dataset.structure || null,
         difference: p.dataset.difference === undefined ? null : Number(p.dataset.difference)}))""")
    answer = " ".join(c["text"] for c in claims)
    assert BASE in answer
    n = Numbers("en", "€")
    for measure, kind in HEADLINE_MEASURES:
        d = diffs[diffs["measure"] == measure]
        mine = [c for c in claims if c["measure"] == measure]
        text = " ".join(c["text"] for c in mine)
        clear = d[d["excludes_zero"]]
        if clear.empty:
            assert "No structure differs clearly" in text and not any(
                c["structure"] for c in mine)
            continue
        for s in d["structure"]:  # with any clear difference, every structure is placed
            assert s in text, (measure, s)
        above = clear[clear["difference"] > 0]
        if above.empty:
            assert all(c["difference"] is None for c in mine)
            continue
        lead = above.loc[above["difference"].idxmax()]
        claim = next(c for c in mine if c["structure"] == lead["structure"])
        assert claim["difference"] == pytest.approx(lead["difference"], rel=1e-12)
        assert n.format(lead["difference"], kind, signed=True) in claim["text"]
        assert n.format(lead["ci_low"], kind, signed=True) in claim["text"]
    assert f"({manifest['replications']} replications)" in claims[0]["text"]


PHONE = {"width": 390, "height": 844}
#: Russian nouns after a count, and the word of the plural table that gives their forms.
COUNTED = {"прогон": "replications", "год": "years", "лет": "years", "чис": "numbers",
           "месяц": "months"}


@pytest.fixture(scope="module")
def pages(browser_page, tmp_path_factory):
    """The folder's report in English and in Russian, each in a page of a browser of its
    own (a fresh profile) that blocks every request but the report's own file."""
    folder = browser_page["folder"]
    reports = {"en": folder / "report.html",
               "ru": write_report(folder, language="ru",
                                  out=tmp_path_factory.mktemp("ru") / "report.html")}
    urls = {k: v.resolve().as_uri() for k, v in reports.items()}
    context, _ = open_page(browser_page["playwright"], tmp_path_factory.mktemp("profile"),
                           browser_page["executable"])
    context.route("**/*", lambda r: r.continue_() if r.request.url in urls.values()
                  else r.abort())
    out = {}
    for language, url in urls.items():
        out[language] = context.new_page()
        out[language].goto(url)
        out[language].wait_for_load_state("load")
    yield out
    context.close()


def _phone_layout(page) -> dict:
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    out = page.evaluate("""() => {
        const box = e => { const r = e.getBoundingClientRect();
                           return {left: r.left, right: r.right, top: r.top}; };
        const key = document.querySelector('table.key');
        const head = [...key.querySelectorAll('thead th')];
        const first = key.querySelector('tbody tr');
        return {page: document.documentElement.scrollWidth,
                answer: [...document.querySelectorAll('#answer p')].map(box),
                head: head.slice(0, 2).map(e => ({...box(e), text: e.textContent})),
                row: [...first.children].slice(0, 2).map(box)};
    }""")
    page.set_viewport_size(VIEWPORT)
    return out


@pytest.mark.parametrize("language", ["en", "ru"])
def test_on_a_phone_the_answer_and_contribution_stay_on_screen(pages, language):
    layout = _phone_layout(pages[language])
    width = PHONE["width"]
    assert layout["page"] <= width  # nothing but the key table scrolls sideways
    assert all(p["left"] >= 0 and p["right"] <= width for p in layout["answer"])
    # The structure and its contribution, side by side within the screen.
    assert layout["head"][1]["text"] == Numbers(language).t("m.contribution")
    for cell in layout["head"] + layout["row"]:
        assert cell["left"] >= 0 and cell["right"] <= width, (language, cell)


def test_the_russian_report_has_right_plurals_and_no_untranslated_words(browser_page, pages):
    page = pages["ru"]
    manifest = json.loads((browser_page["folder"] / "manifest.json").read_text())
    # Visible text without codes, commands, versions and the cited sources' columns.
    text = page.evaluate("""() => { const b = document.body.cloneNode(true);
        b.querySelectorAll('code, pre, dl.computed dd, td.comment, svg').forEach(
            e => e.remove());
        return b.innerText; }""")
    n = Numbers("ru")
    assert n.plural("replications", manifest["replications"]) in text
    # a number as Babel writes it in Russian: thousands grouped by a (narrow) no-break space
    pairs = re.findall(r"(?<![\d\u00a0\u202f])(\d{1,3}(?:[\u00a0\u202f]\d{3})*(?:,\d+)?|\d+)"
                       r"\s(прогон\w*|год\w*|лет|чис\w*|месяц\w*)", text)
    assert pairs, "the report counts replications and years"
    for number, word in pairs:
        key = next(v for k, v in COUNTED.items() if word.startswith(k))
        count = float(number.replace("\u00a0", "").replace("\u202f", "").replace(",", "."))
        assert n.plural(key, count) == f"{number} {word}", (number, word)
    codes = set(manifest.get("structures") or []) | set(
        pd.read_csv(browser_page["folder"] / "summary.csv")["structure"])
    name = yaml.safe_load((browser_page["folder"] / "scenario.yaml").read_text())["name"]
    allowed = codes | {name, "salesim", "UTC", "CSV", "summary.csv", "differences.csv"}
    latin = set(re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]", text)) - allowed
    assert latin == set(), latin
    # Numbers use the decimal comma only (the package's version aside).
    assert not re.search(r"\d\.\d", re.sub(r"salesim [\d.]+", "", text))
    # The sources (of the uncertain ranges, and of every default number) in Russian too.
    sources = page.evaluate("""() => [...document.querySelectorAll(
        'table.uncertain td.comment, #appendix td.comment')].map(e => e.textContent)""")
    assert len(sources) > 100 and all(re.search("[а-я]", s) for s in sources), [
        s for s in sources if not re.search("[а-я]", s)]


if __name__ == "__main__":  # the README's screenshot of a results folder's report
    print(screenshot(Path(sys.argv[1]) / "report.html", Path(sys.argv[2])))
