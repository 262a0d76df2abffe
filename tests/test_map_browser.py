"""The date map opened in a real headless Chromium: markers, legend, popups, no console errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seed_map(atlas, tmp_path_factory):
    path = tmp_path_factory.mktemp("maps") / "map.html"
    atlas.map("2017-01-25", basemap="none").save(str(path))
    return path


def test_markers_and_legend_are_drawn_without_errors(open_page, seed_map, atlas):
    run = open_page(seed_map)
    page = run.page
    page.wait_for_selector(".frontlines-legend-row")
    n_places = page.evaluate("frontlines.layers[0].markers.length")
    assert n_places == len(atlas.places)
    # Markers are on the canvas, divided places are split icons.
    assert page.locator("canvas.leaflet-zoom-animated").count() >= 1
    assert page.locator(".frontlines-split").count() >= 2  # Deir ez-Zor and Mosul at least
    legend = {
        row.get_attribute("data-actor"): int(row.locator(".frontlines-count").inner_text())
        for row in page.locator(".frontlines-legend-row").all()
    }
    counts = atlas.control_at("2017-01-25")["controller"].value_counts()
    expected = counts[counts > 0].to_dict()
    assert legend == expected
    assert "Control on 25 January 2017" in page.inner_text(".frontlines-title")
    assert run.console_errors == [] and run.page_errors == [] and run.refused == []


def test_popup_lists_sources_as_links(open_page, seed_map, atlas):
    run = open_page(seed_map)
    page = run.page
    page.wait_for_selector(".frontlines-legend-row")
    index = int((atlas.places["name"] == "Palmyra").to_numpy().nonzero()[0][0])
    page.evaluate(f"frontlines.layers[0].markers[{index}].openPopup() && null")
    popup = page.locator(".frontlines-popup")
    popup.wait_for()
    assert "Palmyra" in popup.locator("h4").inner_text()
    links = popup.locator("a")
    assert links.count() >= 3
    assert all(link.get_attribute("href").startswith(("http://", "https://")) for link in links.all())
    assert "2016-12-11" in popup.inner_text()


def test_layer_control_lists_actors(open_page, seed_map):
    run = open_page(seed_map)
    page = run.page
    page.wait_for_selector(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Islamic State" in label for label in labels)
    assert any("Governorates" in label for label in labels)


def test_tile_basemap_only_requests_tiles(open_page, atlas, tmp_path):
    path = tmp_path / "tiles.html"
    atlas.map("2017-01-25").save(str(path))
    run = open_page(path)
    run.page.wait_for_selector(".frontlines-legend-row")
    assert run.page_errors == []
    assert run.refused and all("tile.openstreetmap.org" in url for url in run.refused)
