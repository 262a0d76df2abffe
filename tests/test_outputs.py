"""Reports: static figures, exports read back with pyogrio, repeatable HTML, offline pages."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest

from frontlines.export import ATTRIBUTION

from .test_cli import SMALL, run


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_static_map_figure(tmp_path, suffix):
    out = tmp_path / f"map.{suffix}"
    result = run("map", "2017-01-25", "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[suffix]
    assert data.startswith(magic)
    if suffix == "svg":
        text = data.decode("utf-8")
        assert "Control on 25 January 2017" in text and "GeoNames" in text and "Islamic State" in text


def test_geopackage_has_places_territory_and_changes(tmp_path):
    out = tmp_path / "control.gpkg"
    assert run("export", "2017-01-25", "-o", str(out)).returncode == 0
    layers = dict(pyogrio.list_layers(out))
    assert layers == {"places": "Point", "territory": "MultiPolygon", "changes": "Point"}
    places = pyogrio.read_dataframe(out, layer="places")
    assert {"place_id", "name", "controller", "status", "since"} <= set(places.columns)
    assert places.set_index("name").loc["Raqqa", "controller"] == "Islamic State"
    territory = pyogrio.read_dataframe(out, layer="territory")
    assert {"actor", "status", "area_km2", "area_low_km2", "area_high_km2"} <= set(territory.columns)
    changes = pyogrio.read_dataframe(out, layer="changes")
    assert "Palmyra" in set(changes["name"])
    info = pyogrio.read_info(out, layer="places")
    assert info["layer_metadata"]["ATTRIBUTION"] == ATTRIBUTION
    assert "GeoNames" in info["dataset_metadata"]["attribution"]


@pytest.mark.parametrize("fmt", ["geojson", "csv", "parquet"])
def test_other_export_formats(tmp_path, fmt):
    out = tmp_path / f"places.{fmt}"
    assert run("export", "2015-06-01", "--format", fmt, "-o", str(out), *SMALL).returncode == 0
    if fmt == "parquet":
        frame = gpd.read_parquet(out)
    elif fmt == "csv":
        frame = pyogrio.read_dataframe(out)
    else:
        frame = pyogrio.read_dataframe(out)
    assert len(frame) == 8
    assert frame.set_index("name").loc["Beta", "controller"] == "Islamic State"


def test_the_same_inputs_give_byte_identical_html(atlas, tmp_path):
    for build in (lambda: atlas.map("2017-01-25"), lambda: atlas.timeline("2016-01-01", "2016-03-01"),
                  lambda: atlas.diff_map("2016-01-01", "2017-01-01")):
        first, second = build().get_root().render(), build().get_root().render()
        assert first == second


@pytest.mark.browser
def test_offline_timeline_plays_with_all_network_refused(open_page, atlas, tmp_path):
    path = tmp_path / "offline.html"
    atlas.timeline("2016-06-01", "2016-12-31", offline=True).save(str(path))
    html = path.read_text(encoding="utf-8")
    assert "https://cdn" not in html and "tile.openstreetmap" not in html
    run_ = open_page(path, serve_cdn=False, hash_="#2016-08-01")
    page = run_.page
    page.wait_for_selector(".frontlines-legend-row")
    page.click(".frontlines-play")
    page.wait_for_function("frontlines.timelines[0].frame >= 65")
    assert run_.refused == [] and run_.console_errors == [] and run_.page_errors == []


@pytest.mark.browser
def test_fragment_and_iframe_embedding(open_page, atlas, tmp_path):
    from frontlines.render import to_html

    m = atlas.map("2017-01-25", basemap="none", offline=True)
    fragment = to_html(m, fragment=True)
    assert "<html" not in fragment and "<body" not in fragment
    host = tmp_path / "report.html"
    host.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><h1>Report</h1>"
                    f"<div style='height:600px'>{fragment}</div><p>After the map.</p></body></html>",
                    encoding="utf-8")
    run_ = open_page(host, serve_cdn=False)
    run_.page.wait_for_selector(".frontlines-legend-row")
    assert run_.page.inner_text("h1") == "Report" and run_.page_errors == []
    framed = tmp_path / "framed.html"
    framed.write_text(f"<!DOCTYPE html><html><body><h1>Notebook</h1>{m._repr_html_()}</body></html>",
                      encoding="utf-8")
    run_ = open_page(framed, serve_cdn=False)
    frame = run_.page.frame_locator("iframe")
    frame.locator(".frontlines-legend-row").first.wait_for()
    assert run_.page_errors == [] and run_.refused == []


def test_diff_figure(tmp_path):
    out = tmp_path / "diff.svg"
    result = run("diff", "2016-01-01", "2017-01-01", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Changes from 1 January 2016 to 1 January 2017" in text and "Islamic State" in text
    assert "GeoNames" in text


def test_territory_and_changes_layers_in_other_formats(tmp_path):
    out = tmp_path / "territory.geojson"
    assert run("export", "2016-07-04", "--format", "geojson", "--layer", "territory", "-o", str(out)).returncode == 0
    territory = pyogrio.read_dataframe(out)
    assert "Islamic State" in set(territory["actor"]) and territory.geom_type.isin(["MultiPolygon", "Polygon"]).all()
    out = tmp_path / "changes.csv"
    assert run("export", "2017-01-01", "--format", "csv", "--layer", "changes", "--since", "2016-01-01",
               "-o", str(out)).returncode == 0
    changes = pyogrio.read_dataframe(out)
    assert "Palmyra" in set(changes["name"])
