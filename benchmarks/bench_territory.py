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


def random_places(n_places: int, rng: np.random.Generator) -> pd.DataFrame:
    """Random points on the land of Syria and Iraq, each with the country it falls in."""
    countries = gpd.read_file(bundled("geo/countries.geojson"))
    countries = countries[countries["country"].isin(["SY", "IQ"])]
    lat, lon = rng.uniform(29.0, 37.5, 4 * n_places), rng.uniform(35.5, 48.5, 4 * n_places)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    inside = gpd.sjoin(points, countries[["country", "geometry"]], predicate="within").head(n_places)
    return pd.DataFrame({
        "place_id": [f"p{i}" for i in range(len(inside))], "name": [f"Place {i}" for i in range(len(inside))],
        "lat": inside.geometry.y.round(4).to_numpy(), "lon": inside.geometry.x.round(4).to_numpy(),
        "country": inside["country"].to_numpy(), "population": rng.integers(100, 100_000, len(inside)),
    })


def synthetic(n_places: int, layout: str = "fronts", seed: int = 5) -> fl.Atlas:
    """Places on the land with three years of control changes.

    ``fronts``: a war's shape. 30 fronts' centres drift across the map, each held by one of six actors; a place
    belongs to the actor of the nearest centre, with 3% of places held by a random actor (enclaves), so control
    forms regions whose borders move; a capture is recorded whenever a place's holder changes (checked daily).
    ``random``: the worst case, a checkerboard. Every place starts with a random actor and takes four random
    captures over the three years, so almost every border is a front.
    """
    rng = np.random.default_rng(seed)
    places = random_places(n_places, rng)
    n_places = len(places)
    actors = fl.load().actors[["actor", "colour"]]
    names = actors["actor"].to_numpy()[:6]
    days = pd.date_range("2015-01-01", periods=3 * 365, freq="D")
    if layout == "random":
        first = pd.DataFrame({"date": days[0].strftime("%Y-%m-%d"), "place": places["place_id"],
                              "actor": names[rng.integers(0, len(names), n_places)], "kind": "held"})
        n = 4 * n_places
        later = pd.DataFrame({
            "date": days[rng.integers(1, len(days), n)].strftime("%Y-%m-%d"),
            "place": places["place_id"].to_numpy()[rng.integers(0, n_places, n)],
            "actor": names[rng.integers(0, len(names), n)], "kind": "captured",
        }).drop_duplicates(["date", "place"])
        events = pd.concat([first, later], ignore_index=True)
    else:
        n_fronts = 30
        xy = places[["lon", "lat"]].to_numpy()
        start = xy[rng.integers(0, n_places, n_fronts)]
        drift = rng.normal(0, 1.5, (n_fronts, 2))  # degrees over the three years
        owner = names[rng.integers(0, len(names), n_fronts)]
        enclave = rng.random(n_places) < 0.03
        enclave_actor = names[rng.integers(0, len(names), n_places)]
        holders = np.empty((len(days), n_places), dtype=object)
        for day in range(len(days)):  # one vectorised nearest-centre step per day (not per place or event)
            centres = start + drift * day / len(days)
            nearest = np.argmin(((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
            holders[day] = np.where(enclave, enclave_actor, owner[nearest])
        changed = np.vstack([np.ones((1, n_places), bool), holders[1:] != holders[:-1]])
        day, place = np.nonzero(changed)
        events = pd.DataFrame({"date": days[day].strftime("%Y-%m-%d"), "place": places["place_id"].to_numpy()[place],
                               "actor": holders[day, place], "kind": np.where(day == 0, "held", "captured")})
    return fl.load(events=events.assign(source="Synthetic"), places=places, actors=actors)


def one_date(atlas: fl.Atlas, date: pd.Timestamp) -> tuple[float, gpd.GeoDataFrame]:
    estimator = TerritoryEstimator(atlas.model)  # fresh: the cells are built inside the timing
    start = time.perf_counter()
    polygons = estimator.territory(date)
    return time.perf_counter() - start, polygons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--dates", type=int, default=100)
    args = parser.parse_args()
    date = pd.Timestamp("2016-06-01")
    checkerboard = synthetic(args.places, "random")
    one_date(checkerboard, date)  # warm-up: bundled land, projections
    worst, _ = one_date(checkerboard, date)
    atlas = synthetic(args.places, "fronts")
    dates = pd.date_range("2015-01-01", periods=args.dates, freq="10D")
    print(f"synthetic data: {len(atlas.places):,} places, {len(atlas.events):,} events (moving fronts), "
          f"{len(dates)} dates; checkerboard: {len(checkerboard.events):,} events")
    one, polygons = one_date(atlas, date)
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
    print(f"  the same, checkerboard worst case        {worst:7.2f} s")
    print(f"stats for {len(dates)} dates, frontlines            {stats_s:7.2f} s   target < 10 s")
    print(f"stats for {len(dates)} dates, naive recompute       {naive_s:7.2f} s")
    print(f"speed-up                                   {naive_s / stats_s:7.1f} x   target >= 5x")
    print(f"largest difference between the two answers: {diff:.1f} km2")


if __name__ == "__main__":
    main()
