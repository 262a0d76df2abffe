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


@pytest.fixture(scope="module")
def canvas_map(atlas, tmp_path_factory):
    """The same map drawn as it is for very many places: one canvas, no Leaflet object per place."""
    path = tmp_path_factory.mktemp("maps") / "canvas.html"
    atlas.map("2017-01-25", basemap="none", canvas_from=1).save(str(path))
    return path


def _screen_point(page, index: int) -> tuple[float, float]:
    x, y = page.evaluate(f"[frontlines.layers[0].canvas._sx[{index}], frontlines.layers[0].canvas._sy[{index}]]")
    box = page.locator(".folium-map").bounding_box()
    return box["x"] + x, box["y"] + y


def _pixel(page, index: int) -> list[int]:
    return page.evaluate(f"""(() => {{
        const layer = frontlines.layers[0].canvas, ratio = window.devicePixelRatio || 1;
        const x = Math.round(layer._sx[{index}] * ratio), y = Math.round(layer._sy[{index}] * ratio);
        return Array.from(layer._canvas.getContext("2d").getImageData(x, y, 1, 1).data);
    }})()""")


def test_canvas_mode_draws_hovers_and_opens_sources(open_page, canvas_map, atlas):
    run = open_page(canvas_map)
    page = run.page
    page.wait_for_selector(".frontlines-legend-row")
    assert page.evaluate("frontlines.layers[0].markers.length") == 0  # no Leaflet object per place
    assert page.evaluate("!!frontlines.layers[0].canvas")
    legend = {row.get_attribute("data-actor"): int(row.locator(".frontlines-count").inner_text())
              for row in page.locator(".frontlines-legend-row").all()}
    counts = atlas.control_at("2017-01-25")["controller"].value_counts()
    assert legend == counts[counts > 0].to_dict()

    raqqa = int((atlas.places["name"] == "Raqqa").to_numpy().nonzero()[0][0])
    colour = atlas.actors.set_index("actor").loc["Islamic State", "colour"]
    r, g, b, a = _pixel(page, raqqa)
    assert a > 200 and f"#{r:02X}{g:02X}{b:02X}" == colour.upper()

    x, y = _screen_point(page, raqqa)
    page.mouse.move(x, y)
    tooltip = page.locator(".frontlines-tooltip")
    tooltip.wait_for()
    assert "Raqqa" in tooltip.inner_text() and "Islamic State" in tooltip.inner_text()
    page.mouse.click(x, y)
    popup = page.locator(".frontlines-popup")
    popup.wait_for()
    assert "Raqqa" in popup.locator("h4").inner_text()
    links = popup.locator("a").all()
    assert links and all(link.get_attribute("href").startswith(("http://", "https://")) for link in links)

    # Hiding the Islamic State's layer in the layer control takes its places off the canvas.
    page.locator(".leaflet-control-layers").hover()
    page.locator(".leaflet-control-layers-overlays label", has_text="Islamic State").click()
    page.wait_for_function(f"frontlines.layers[0].canvas._shown[{raqqa}] === 0")
    assert _pixel(page, raqqa)[3] == 0
    assert run.console_errors == [] and run.page_errors == [] and run.refused == []
