"""Shared fixtures: small tables under tests/data, the bundled atlas, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import frontlines as fl

DATA = Path(__file__).parent / "data"
CHROMIUM = os.environ.get("FRONTLINES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]
ASSETS = Path(fl.__file__).parent / "render" / "assets" / "leaflet-1.9.3"


@pytest.fixture(scope="session")
def atlas() -> fl.Atlas:
    return fl.load()


@pytest.fixture(scope="session")
def small() -> fl.Atlas:
    return fl.load(events=DATA / "events_small.csv", places=DATA / "places_small.csv",
                   actors=DATA / "actors_small.csv")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Fails (never skips) when CI is set and it is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class PageRun:
    """A page opened from a file with the network refused, except Leaflet's CDN served from the vendored copy."""

    def __init__(self, browser, path: Path, *, serve_cdn: bool = True, hash_: str = ""):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.refused: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", lambda route: self._route(route, serve_cdn))
        self.page.goto(path.resolve().as_uri() + hash_)

    def _route(self, route, serve_cdn: bool) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
            return
        name = url.split("leaflet@1.9.3/dist/", 1)[-1]
        if serve_cdn and "leaflet@1.9.3/dist/" in url and (ASSETS / name).is_file():
            kind = {"js": "application/javascript", "css": "text/css", "png": "image/png"}[name.rsplit(".", 1)[1]]
            route.fulfill(body=(ASSETS / name).read_bytes(), content_type=kind)
            return
        self.refused.append(url)
        route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser):
    runs: list[PageRun] = []

    def _open(path: Path, **kwargs) -> PageRun:
        run = PageRun(browser, path, **kwargs)
        runs.append(run)
        return run

    yield _open
    for run in runs:
        run.close()
