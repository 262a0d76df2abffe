"""Benchmark area estimates: territory for 5,000 places at one date, and statistics for 100 dates against a
naive recompute per date (new Voronoi cells and polygons every date), printed side by side in one run.

Targets (issue 5): territory for 5,000 places under 1 s; stats for 100 dates under 10 s and at least 5x faster
than the naive recompute.

    python benchmarks/bench_territory.py [--places 5000] [--dates 100]
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import pandas as pd

import frontlines as fl
from frontlines._paths import bundled
from frontlines.territory import TerritoryEstimator


def synthetic(n_places: int, seed: int = 5) -> fl.Atlas:
    rng = np.random.default_rng(seed)
    # Random points on the land of Syria and Iraq, each with the country it falls in.
    countries = gpd.read_file(bundled("geo/countries.geojson"))
    countries = countries[countries["country"].isin(["SY", "IQ"])]
    lat, lon = rng.uniform(29.0, 37.5, 4 * n_places), rng.uniform(35.5, 48.5, 4 * n_places)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    inside = gpd.sjoin(points, countries[["country", "geometry"]], predicate="within").head(n_places)
    places = pd.DataFrame({
        "place_id": [f"p{i}" for i in range(len(inside))], "name": [f"Place {i}" for i in range(len(inside))],
        "lat": inside.geometry.y.round(4).to_numpy(), "lon": inside.geometry.x.round(4).to_numpy(),
        "country": inside["country"].to_numpy(), "population": rng.integers(100, 100_000, len(inside)),
    })
    n_places = len(places)
    actors = fl.load().actors[["actor", "colour"]]
    names = actors["actor"].to_numpy()[:6]
    first = pd.DataFrame({"date": "2015-01-01", "place": places["place_id"],
                          "actor": names[rng.integers(0, len(names), n_places)], "kind": "held"})
    n = 4 * n_places
    later = pd.DataFrame({
        "date": (pd.Timestamp("2015-01-02") + pd.to_timedelta(rng.integers(0, 3 * 365, n), unit="D"))
        .strftime("%Y-%m-%d"),
        "place": places["place_id"].to_numpy()[rng.integers(0, n_places, n)],
        "actor": names[rng.integers(0, len(names), n)], "kind": "captured",
    }).drop_duplicates(["date", "place"])
    events = pd.concat([first, later], ignore_index=True).assign(source="Synthetic")
    return fl.load(events=events, places=places, actors=actors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--dates", type=int, default=100)
    args = parser.parse_args()
    atlas = synthetic(args.places)
    dates = pd.date_range("2015-01-01", periods=args.dates, freq="10D")
    print(f"synthetic data: {len(atlas.places):,} places, {len(atlas.events):,} events, {len(dates)} dates")

    estimator = TerritoryEstimator(atlas.model)
    start = time.perf_counter()
    polygons = estimator.territory(pd.Timestamp("2016-06-01"))
    one = time.perf_counter() - start
    start = time.perf_counter()
    ours = TerritoryEstimator(atlas.model).stats(dates)
    stats_s = time.perf_counter() - start

    start = time.perf_counter()
    naive = []
    for date in dates:  # the naive way: everything from scratch, polygons dissolved, for every date
        frame = TerritoryEstimator(atlas.model).territory(date)
        naive.append(frame.groupby("actor")["area_km2"].sum().rename(date))
    naive_s = time.perf_counter() - start
    naive_table = pd.concat(naive, axis=1).T
    ours_table = ours.pivot_table(index="date", columns="actor", values="area_km2")
    diff = (ours_table - naive_table.reindex(columns=ours_table.columns)).abs().max().max()

    print(f"territory at one date ({len(polygons)} polygons)   {one:7.2f} s   target < 1 s")
    print(f"stats for {len(dates)} dates, frontlines            {stats_s:7.2f} s   target < 10 s")
    print(f"stats for {len(dates)} dates, naive recompute       {naive_s:7.2f} s")
    print(f"speed-up                                   {naive_s / stats_s:7.1f} x   target >= 5x")
    print(f"largest difference between the two answers: {diff:.1f} km2")


if __name__ == "__main__":
    main()
