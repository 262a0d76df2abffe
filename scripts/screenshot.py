"""Render the README picture: the bundled map of 25 January 2017 in headless Chromium (offline basemap).

    python scripts/screenshot.py [DATE] [-o docs/map-2017-01-25.png]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import frontlines as fl

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("date", nargs="?", default="2017-01-25")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/map-2017-01-25.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "map.html"
        fl.load().map(args.date, offline=True).save(str(page_path))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(page_path.as_uri())
            page.wait_for_selector(".frontlines-legend-row")
            page.wait_for_timeout(500)
            page.screenshot(path=str(args.output))
            browser.close()
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
