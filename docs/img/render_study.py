"""Screenshots of a study's report for docs/consultant.md: each section of
``DIR/index.html`` as a PNG, rendered by Debian's chromium headless through Playwright
(the launch flags of tests/report/test_report_browser.py).

    python docs/img/render_study.py RESULTS_DIR docs/img
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = {"study_recommendation.png": 0, "study_export.png": 2, "study_fit.png": 3}


def main(folder: Path, out: Path) -> None:
    """Render the front page and write one PNG per section named in :data:`SHOTS`."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", headless=True, args=ARGS,
            viewport={"width": 1000, "height": 900})
        page = ctx.new_page()
        page.goto((folder / "index.html").resolve().as_uri())
        headings = page.locator("h2")
        for name, i in SHOTS.items():
            headings.nth(i).scroll_into_view_if_needed()
            top = headings.nth(i).bounding_box()["y"] + page.evaluate("window.scrollY")
            page.screenshot(path=str(out / name), full_page=True,
                            clip={"x": 0, "y": top - 10, "width": 1000, "height": 800})
        ctx.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
