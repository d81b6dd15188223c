"""The what-if page in a real browser: Debian's Chromium, headless, through Playwright,
on a page served by ``salesim whatif`` for a tiny sweep. It moves a slider and sees the
emulator's figures change, simulates the point to the end, saves it as a scenario,
switches to Russian, and records every request and WebSocket: none leaves localhost.

``python -m tests.whatif.test_whatif_browser SWEEP_DIR docs/img/whatif.png`` takes the
docs' screenshot of the page for a sweep folder.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import sim
from sim.study.emulator import fit

from tests.report.test_report_browser import CHROMIUM_ARGS, chromium
from tests.study.test_emulator import tiny_sweep_scenario

VIEWPORT = {"width": 1280, "height": 900}


def serve(folder: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """``salesim whatif FOLDER --no-browser`` in a child process, and its address."""
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "whatif", str(folder),
                             "--no-browser", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    line = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        proc.kill()
        raise AssertionError(f"no address printed: {line!r}")
    return proc, found.group(0)


def wait_until_up(url: str, seconds: float = 15) -> float:
    """Seconds until the page answers."""
    import urllib.request

    start = time.perf_counter()
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return time.perf_counter() - start
        except OSError:
            if time.perf_counter() - start > seconds:
                raise
            time.sleep(0.1)


def estimates(page) -> dict[str, float]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '#estimate td[data-mean]')].map(td => [td.dataset.key, Number(td.dataset.mean)]))""")


def drag_slider(page, index: int, fraction: float) -> None:
    """Drag slider ``index``'s handle to ``fraction`` of its track."""
    track = page.locator(".irs").nth(index).locator(".irs-line").bounding_box()
    handle = page.locator(".irs").nth(index).locator(".irs-handle").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + fraction * track["width"], handle["y"] + 5, steps=5)
    page.mouse.up()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    executable = chromium()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("sweeps") / "tiny"
    sc = tiny_sweep_scenario().with_overrides({"experiment.replications": 2})
    sim.sweep(sc, design="lhs", points=16, replications=1,
              structures=["classic", "ticket_pool"], seed=5, out=folder, executor="serial")
    fit(folder).save(folder / "emulator")
    proc, url = serve(folder, "--workers", "1", "--out", str(folder / "whatif"))
    started = wait_until_up(url)
    yield {"folder": folder, "url": url, "executable": executable, "started": started}
    proc.terminate()
    proc.wait(timeout=10)


def test_the_page_answers_simulates_and_switches_language_offline(served):
    from playwright.sync_api import sync_playwright

    url, port = served["url"], served["url"].split(":")[2].rstrip("/")
    local = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")
    requests, sockets, errors = [], [], []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=served["executable"], headless=True,
            args=CHROMIUM_ARGS, viewport=VIEWPORT)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("websocket", lambda w: sockets.append(w.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_selector("#estimate td[data-mean]", timeout=15_000)
        before = estimates(page)
        assert before and "held-out" in page.inner_text("#answer")
        drag_slider(page, 0, 0.95)  # inbound leads: near the top of the range
        page.wait_for_function("""(old) => { const now = [...document.querySelectorAll(
            '#estimate td[data-mean]')].map(td => Number(td.dataset.mean));
            return now.length && now.some((v, i) => v !== old[i]); }""",
                               arg=list(before.values()), timeout=5_000)
        assert estimates(page) != before
        page.click("#simulate")
        page.wait_for_selector("#simulated-table td[data-mean]", timeout=60_000)
        text = page.inner_text("#simulated-block")
        assert "2 replications" in text and "Request pool" in text
        page.click("#save")
        page.wait_for_selector("#messages p", timeout=5_000)
        saved = page.inner_text("#messages")
        assert "Scenario saved" in saved
        path = Path(saved.split(": ", 1)[1].strip())
        again = sim.load_scenario(path)
        assert again.demand.inbound_leads_per_day > 3.0  # the slider's value, not the base
        page.click("#report")
        page.wait_for_function("() => document.querySelector('#messages')"
                               ".textContent.includes('Report written')", timeout=60_000)
        report = Path(page.inner_text("#messages").split("Report written: ", 1)[1].split()[0])
        assert report.name == "report.html" and "classic" in report.read_text()
        page.click("text=Русский")
        page.wait_for_function("() => document.querySelector('#heading')"
                               ".textContent.includes('Что если')", timeout=5_000)
        assert "оценка эмулятора" in page.inner_text("#answer")
        assert "Смоделировать" in page.inner_text("#simulate")
        context.close()
    assert errors == []
    assert requests and all(u.startswith(local) for u in requests), requests
    assert sockets and all(u.startswith(local) for u in sockets), sockets
    assert served["started"] < 5


def screenshot(folder: Path, out: Path) -> Path:
    """The page for ``folder`` as the docs show it (its first screen)."""
    from playwright.sync_api import sync_playwright

    proc, url = serve(folder)
    try:
        wait_until_up(url)
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=chromium() or "chromium", headless=True,
                args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 1000})
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("#estimate td[data-mean]", timeout=30_000)
            page.screenshot(path=str(out))
            context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out


if __name__ == "__main__":
    print(screenshot(Path(sys.argv[1]), Path(sys.argv[2])))
