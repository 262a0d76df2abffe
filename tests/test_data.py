"""The bundled data set: sourced, consistent, inside its countries, and covering 2013-2019."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from frontlines._paths import bundled

SPAN = (pd.Timestamp("2013-01-01"), pd.Timestamp("2019-12-31"))
# Places that lie outside their country's polygon in this Natural Earth edition, and why.
OUTSIDE_ON_PURPOSE = {
    "gn:167167": "Golan Heights (Mas'adah): drawn inside Israel's Northern District by Natural Earth",
    "gn:171200": "Golan Heights (Buq'ata): drawn inside Israel's Northern District by Natural Earth",
    "gn:167444": "Golan Heights (Majdal Shams): drawn inside Israel's Northern District by Natural Earth",
    "gn:172880": "Arwad island: too small to survive the boundary simplification",
}
TOLERANCE_M = {"crossing": 3000.0}  # border crossings sit on the line
DEFAULT_TOLERANCE_M = 1000.0  # the boundaries are simplified to about 400 m


def test_every_event_cites_a_source_with_an_http_url(atlas):
    ev = atlas.events
    assert ev["source"].str.strip().ne("").all()
    assert ev["url"].str.match(r"^https?://\S+$").all(), ev.loc[~ev["url"].str.match(r"^https?://"), "line"]


def test_dates_lie_within_the_data_set_span(atlas):
    start = atlas.events["start"]
    assert start.min() >= SPAN[0] and start.max() <= SPAN[1]


def test_every_place_lies_inside_its_country(atlas):
    countries = gpd.read_file(bundled("geo/countries.geojson"))
    countries = countries[countries["country"].isin(["SY", "IQ"])].set_index("country").to_crs(3857)
    places = atlas.places[atlas.places["country"].isin(["SY", "IQ"])]
    points = gpd.GeoSeries(gpd.points_from_xy(places["lon"], places["lat"]), crs=4326).to_crs(3857)
    own = gpd.GeoSeries(countries.geometry.reindex(places["country"]).to_numpy(), crs=3857)
    distance = points.distance(own).to_numpy()
    tolerance = places["kind"].map(TOLERANCE_M).fillna(DEFAULT_TOLERANCE_M).to_numpy()
    outside = places[(distance > tolerance) & ~places["place_id"].isin(list(OUTSIDE_ON_PURPOSE)).to_numpy()]
    assert outside.empty, outside[["place_id", "name", "country", "lat", "lon"]].to_string()
    assert set(atlas.places["country"]) == {"SY", "IQ"}


def test_hand_added_places_cite_their_coordinates():
    extra = pd.read_csv(bundled("geo/places_extra.csv"), dtype=str, keep_default_na=False)
    added = extra[extra["place_id"].str.startswith("fl:")]
    assert added["source"].str.strip().ne("").all() and added["url"].str.match(r"^https?://").all()
    assert added["lat"].ne("").all() and added["lon"].ne("").all()


def test_no_capture_by_the_holder_without_a_note(atlas):
    m = atlas.model
    ev = m.events.sort_values("start")
    before = pd.merge_asof(ev[["start", "place", "actor", "kind", "notes", "_line"]],
                           m.intervals[["start", "place", "controller", "other"]].sort_values("start"),
                           on="start", by="place", allow_exact_matches=False)
    redundant = before[(before["kind"] == "captured") & (before["controller"] == before["actor"])
                       & (before["notes"].str.strip() == "")]
    assert redundant.empty, redundant.to_string()


def test_size_and_coverage(atlas):
    from frontlines.coverage import coverage

    report = coverage(atlas.model)
    assert report.events >= 500 and report.places_with_events >= 250
    assert list(report.per_year.index) == list(range(2013, 2020)) and (report.per_year > 0).all()
    governorates = gpd.read_file(bundled("geo/governorates.geojson"))
    covered = set(report.per_governorate.index.get_level_values("governorate"))
    assert set(governorates["name"]) <= covered


@pytest.mark.parametrize("name", ["Yarmouk camp", "Damascus", "Deir ez-Zor", "Deir ez-Zor Airport", "Palmyra",
                                  "Mosul", "East Mosul", "West Mosul", "Raqqa", "Tabqa", "Manbij", "Kobani",
                                  "Jarabulus", "al-Bab", "Baghdad", "Ramadi", "Fallujah", "Tikrit", "Kirkuk"])
def test_seed_report_places_have_events(atlas, name):
    assert len(atlas.history(name)) >= 1


def _linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = linear_rgb @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                                 [0.0193, 0.1192, 0.9505]]).T / np.array([0.9505, 1.0, 1.089])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


# Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


@pytest.mark.parametrize("vision", ["normal", *CVD])
def test_actor_colours_stay_distinguishable(atlas, vision):
    """Actors that can be on one map differ by at least 10 CIELAB units, also for colour-blind readers."""
    actors = atlas.actors
    rgb = np.array([[int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)] for c in actors["colour"]])
    linear = _linear(rgb)
    if vision != "normal":
        linear = np.clip(linear @ CVD[vision].T, 0, 1)
    lab = _lab(linear)
    names = actors["actor"].tolist()
    renamed = {frozenset((a, s)) for a, s in zip(actors["actor"], actors["successor"], strict=True) if s}
    close = [(names[i], names[j], round(float(np.linalg.norm(lab[i] - lab[j])), 1))
             for i in range(len(names)) for j in range(i + 1, len(names))
             if frozenset((names[i], names[j])) not in renamed and np.linalg.norm(lab[i] - lab[j]) < 10]
    assert not close, close
