"""Area estimates on hand-made fixtures with known answers, and on the bundled data."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import shapely
from pyproj import Transformer

import frontlines as fl
from frontlines.territory import EQUAL_AREA, TerritoryEstimator, TerritoryOptions

from .conftest import DATA

SIDE_KM = 200.0


def square_atlas(events: list[tuple[str, str, str, str]]) -> fl.Atlas:
    """Two towns 50 km either side of the middle of a 200 km x 200 km square country."""
    to_lonlat = Transformer.from_crs(EQUAL_AREA, 4326, always_xy=True)
    (lon_a, lon_b), (lat_a, lat_b) = to_lonlat.transform([-50_000, 50_000], [0, 0])
    places = pd.DataFrame({"place_id": ["a", "b"], "name": ["West Town", "East Town"], "lat": [lat_a, lat_b],
                           "lon": [lon_a, lon_b], "country": "XX"})
    frame = pd.DataFrame(events, columns=["date", "place", "actor", "kind"]).assign(source="fixture")
    return fl.load(events=frame, places=places, actors=DATA / "actors_small.csv")


SQUARE = shapely.box(-SIDE_KM * 500, -SIDE_KM * 500, SIDE_KM * 500, SIDE_KM * 500)
TWO_SIDES = [("2015-01-01", "West Town", "Islamic State", "held"),
             ("2015-01-01", "East Town", "Syrian government", "held")]


def areas(estimator: TerritoryEstimator, date: str) -> dict[str, float]:
    table = estimator.area_table(pd.Timestamp(date))
    return table.groupby("actor")["area_km2"].sum().to_dict()


def test_two_towns_split_the_square_along_the_middle():
    atlas = square_atlas(TWO_SIDES)
    options = TerritoryOptions(cutoff_km=1000, low_cutoff_km=1000, high_cutoff_km=1000, band_km=0)
    got = areas(TerritoryEstimator(atlas.model, options, land=SQUARE), "2015-06-01")
    assert got["Islamic State"] == pytest.approx(20_000, rel=1e-3)
    assert got["Syrian government"] == pytest.approx(20_000, rel=1e-3)
    assert got["unknown"] == pytest.approx(0, abs=1)


def test_contested_band_along_the_border():
    atlas = square_atlas(TWO_SIDES)
    options = TerritoryOptions(cutoff_km=1000, low_cutoff_km=1000, high_cutoff_km=1000, band_km=4)
    got = areas(TerritoryEstimator(atlas.model, options, land=SQUARE), "2015-06-01")
    assert got["contested band"] == pytest.approx(4 * SIDE_KM, rel=1e-3)
    assert got["Islamic State"] == pytest.approx(20_000 - 2 * SIDE_KM, rel=1e-3)


def test_ground_beyond_the_cutoff_is_unknown_and_bounds_bracket_the_estimate():
    atlas = square_atlas(TWO_SIDES)
    options = TerritoryOptions(cutoff_km=30, low_cutoff_km=20, high_cutoff_km=45, band_km=0)
    estimator = TerritoryEstimator(atlas.model, options, land=SQUARE)
    table = estimator.area_table(pd.Timestamp("2015-06-01")).set_index("actor")
    disc = math.pi * 30**2
    assert table.loc["Islamic State", "area_km2"] == pytest.approx(disc, rel=5e-3)
    assert table.loc["unknown", "area_km2"] == pytest.approx(SIDE_KM**2 - 2 * disc, rel=5e-3)
    assert table.loc["Islamic State", "area_low_km2"] == pytest.approx(math.pi * 20**2, rel=5e-3)
    assert table.loc["Islamic State", "area_high_km2"] == pytest.approx(math.pi * 45**2, rel=5e-3)


def test_areas_of_all_statuses_add_up_to_the_country():
    atlas = square_atlas([*TWO_SIDES, ("2016-01-01", "East Town", "Islamic State", "contested")])
    estimator = TerritoryEstimator(atlas.model, TerritoryOptions(), land=SQUARE)
    for date in ("2014-01-01", "2015-06-01", "2016-06-01"):
        table = estimator.area_table(pd.Timestamp(date))
        assert table["area_km2"].sum() == pytest.approx(SIDE_KM**2, rel=1e-6)
    statuses = estimator.area_table(pd.Timestamp("2016-06-01")).set_index(["actor", "status"])
    assert ("Syrian government", "contested") in statuses.index


def test_nobody_known_means_all_unknown():
    atlas = square_atlas(TWO_SIDES)
    got = areas(TerritoryEstimator(atlas.model, TerritoryOptions(), land=SQUARE), "2014-01-01")
    assert got == {"unknown": pytest.approx(SIDE_KM**2)}


def test_territory_polygons_match_the_table(atlas):
    frame = atlas.territory("2016-07-04")
    assert frame.crs.to_epsg() == 4326
    assert {"actor", "status", "area_km2", "area_low_km2", "area_high_km2", "population", "geometry"} <= set(
        frame.columns)
    measured = frame.to_crs(EQUAL_AREA).area / 1e6
    held = frame["actor"] != "contested band"
    assert (abs(measured[held] - frame["area_km2"][held]) / frame["area_km2"][held] < 0.03).all()


def test_islamic_state_area_against_published_figures(atlas):
    """The IHS Conflict Monitor figures lie within the estimate's bounds or within 35% of it."""
    ihs = {"2015-01-15": 90_800, "2015-12-31": 78_000, "2016-07-04": 68_300, "2016-10-03": 65_500,
           "2016-12-31": 60_400, "2017-06-26": 36_200}
    def islamic_state(date: str) -> pd.Series:
        stats = atlas.stats(date, date, freq="D")
        return stats[stats["actor"] == "Islamic State"].set_index("date").loc[pd.Timestamp(date)]

    for date, figure in ihs.items():
        row = islamic_state(date)
        within = row["area_low_km2"] <= figure <= row["area_high_km2"]
        assert within or abs(row["area_km2"] - figure) / figure <= 0.35, (date, row.to_dict())
    start, end = islamic_state("2015-01-15")["area_km2"], islamic_state("2017-12-31")["area_km2"]
    assert end <= 0.1 * start
