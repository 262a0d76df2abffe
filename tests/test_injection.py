"""Text from the data never runs as code in generated HTML: hostile names, notes, sources and URLs."""

from __future__ import annotations

import pandas as pd
import pytest

import frontlines as fl

PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "</script><script>window.__pwned='close'</script>",
    "{{ 7*7 }} {% raw %}",
    "\"'><svg onload=window.__pwned='svg'>",
    "\u2028</script>\u2029",
]
BAD_URLS = ["javascript:window.__pwned='js'", "data:text/html,<script>window.__pwned='data'</script>",
            "https://example.org/\"><script>window.__pwned='href'</script>"]


@pytest.fixture(scope="module")
def hostile() -> fl.Atlas:
    n = len(PAYLOADS)
    places = pd.DataFrame({
        "place_id": [f"h{i}" for i in range(n)], "name": PAYLOADS,
        "alt_names": ["<b>alias</b>"] * n, "lat": [35.0 + i * 0.2 for i in range(n)], "lon": [38.0] * n,
        "country": "SY", "kind": "<i>town</i>",
    })
    actors = pd.DataFrame({"actor": ["<script>window.__pwned='actor'</script>", "Plain"],
                           "colour": ["#123456", "#654321"], "aliases": ["", ""]})
    rows = []
    for i, payload in enumerate(PAYLOADS):
        rows.append({"date": "2015-01-01", "place": f"h{i}", "actor": actors["actor"][i % 2], "kind": "held",
                     "source": payload, "url": "https://example.org/ok", "notes": payload})
        rows.append({"date": "2016-01-01", "place": f"h{i}", "actor": actors["actor"][(i + 1) % 2],
                     "kind": "captured", "source": "<b>source</b>", "url": "", "notes": "{{ config }}"})
    return fl.load(events=pd.DataFrame(rows), places=places, actors=actors)


def test_only_http_urls_are_accepted(tmp_path):
    for url in BAD_URLS[:2]:
        events = pd.DataFrame({"date": ["2015-01-01"], "place": ["Raqqa"], "actor": ["ISIS"], "kind": ["held"],
                               "source": ["x"], "url": [url]})
        with pytest.raises(fl.TableError, match="is not an http"):
            fl.load(events=events)


def pages(atlas: fl.Atlas, folder) -> dict[str, object]:
    out = {}
    for name, m in {"map": atlas.map("2015-06-01", basemap="none"),
                    "timeline": atlas.timeline("2014-12-01", "2016-02-01", basemap="none", initial="2015-06-01"),
                    "diff": atlas.diff_map("2015-06-01", "2016-06-01", basemap="none")}.items():
        path = folder / f"{name}.html"
        m.save(str(path))
        out[name] = path
    return out


@pytest.mark.browser
def test_no_payload_runs_in_any_page(open_page, hostile, tmp_path):
    for name, path in pages(hostile, tmp_path).items():
        run = open_page(path)
        page = run.page
        page.wait_for_selector(".frontlines-legend-row")
        layer = "frontlines.timelines[0]" if name == "timeline" else "frontlines.layers[0]"
        count = page.evaluate(f"{layer}.markers.length")
        texts, hrefs = [], []
        for i in range(count):
            page.evaluate(f"{layer}.markers[{i}].openPopup() && null")
            texts.append(page.locator(".frontlines-popup").last.inner_text())
            hrefs += page.evaluate("Array.from(document.querySelectorAll('.frontlines-popup a')).map(a => a.href)")
            page.evaluate(f"{layer}.markers[{i}].openTooltip && {layer}.markers[{i}].openTooltip() && null")
        page.locator(".leaflet-control-layers").hover()
        page.wait_for_timeout(200)
        assert page.evaluate("window.__pwned") is None, name
        assert run.dialogs == [] and run.page_errors == [], name
        # The payloads are shown as text.
        assert any("<script>window.__pwned = 'script'</script>" in t for t in texts), name
        assert any("{{ 7*7 }}" in t for t in texts), (name, texts)
        assert hrefs and all(h == "https://example.org/ok" for h in hrefs), (name, hrefs)


def test_payloads_never_appear_as_markup_in_the_html(hostile, tmp_path):
    for path in pages(hostile, tmp_path).values():
        html = path.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in html
        assert "<img src=x" not in html and "<svg onload" not in html
        assert html.count("</script>") == html.count("<script")
