"""Benchmark the core: control for one date over 1,000,000 events and 50,000 places, and a 50,000-place map.

Prints, side by side in one run, frontlines' ``control_at`` and a plain pandas "filter by date, sort, then
groupby-last" baseline (the usual way to answer "who held what on date D" from an event log), the load time,
and the size and build time of the date map. Targets (issue 2): ``control_at`` under 0.3 s after loading and at
least 5x faster than the baseline; map HTML under 15 MB.

    python benchmarks/bench_core.py [--events 1000000] [--places 50000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import frontlines as fl

ACTORS = ["Islamic State", "Syrian government", "Syrian rebels", "SDF", "Iraqi government", "Peshmerga",
          "HTS", "Turkey-backed rebels"]
KINDS = np.array(["captured"] * 8 + ["held", "contested", "besieged", "siege_lifted", "holds_part"])


def synthetic(n_events: int, n_places: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    places = pd.DataFrame({
        "place_id": [f"p{i}" for i in range(n_places)],
        "name": [f"Place {i}" for i in range(n_places)],
        "lat": rng.uniform(32.5, 37.0, n_places).round(5), "lon": rng.uniform(36.0, 46.0, n_places).round(5),
        "kind": "village", "country": "", "population": rng.integers(100, 200_000, n_places),
    })
    actors = fl.load().actors[["actor", "colour", "aliases", "side"]]
    days = pd.date_range("2013-01-01", "2019-12-31").strftime("%Y-%m-%d").to_numpy()
    events = pd.DataFrame({
        "date": days[rng.integers(0, len(days), n_events)],
        "place": places["place_id"].to_numpy()[rng.integers(0, n_places, n_events)],
        "actor": np.array(ACTORS)[rng.integers(0, len(ACTORS), n_events)],
        "kind": KINDS[rng.integers(0, len(KINDS), n_events)],
        "source": np.array([f"Source {i}" for i in range(500)])[rng.integers(0, 500, n_events)],
        "url": np.array([f"https://example.org/{i}" for i in range(500)])[rng.integers(0, 500, n_events)],
    })
    # Same-day captures of one place by two actors are refused as conflicting: keep one per day and place.
    events = events.drop_duplicates(["date", "place", "kind"]).reset_index(drop=True)
    return events, places, actors


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def peak_mb() -> float:
    """Peak resident memory of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def csv_paths(folder: Path) -> dict[str, Path]:
    """Where the three tables' CSV files go in ``folder``, by table name (``fl.load``'s keywords)."""
    return {name: Path(folder) / f"{name}.csv" for name in ("events", "places", "actors")}


def write_csv(events: pd.DataFrame, places: pd.DataFrame, actors: pd.DataFrame, folder: Path) -> dict[str, Path]:
    """The three tables as CSV files in ``folder``; returns their paths by table name."""
    paths = csv_paths(folder)
    for name, frame in (("events", events), ("places", places), ("actors", actors)):
        frame.to_csv(paths[name], index=False)
    return paths


def load_from_csv(events: pd.DataFrame, places: pd.DataFrame, actors: pd.DataFrame) -> fl.Atlas:
    """Write the tables as CSV files and load them, as a user would."""
    with tempfile.TemporaryDirectory() as tmp:
        return fl.load(**write_csv(events, places, actors, Path(tmp)))


def baseline_control_at(events: pd.DataFrame, date: str) -> pd.Series:
    """The naive answer: last capture or observation per place up to the date."""
    upto = events[(events["date"] <= date) & events["kind"].isin(["captured", "held"])]
    return upto.sort_values("date", kind="stable").groupby("place")["actor"].last()


def best_of(repeat: int, fn, *args) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--places", type=int, default=50_000)
    args = parser.parse_args()
    events, places, actors = synthetic(args.events, args.places)
    print(f"synthetic table: {len(events):,} events over {len(places):,} places")

    before = peak_mb()
    start = time.perf_counter()
    atlas = load_from_csv(events, places, actors)
    load_s = time.perf_counter() - start
    load_peak = peak_mb()
    date = "2017-01-25"
    ours_s, ours = best_of(5, atlas.control_at, date)
    base_s, base = best_of(5, baseline_control_at, events, date)
    agree = (ours.set_index("place_id")["controller"].reindex(base.index) == base).mean()
    map_start = time.perf_counter()
    html = atlas.map(date, basemap="none").get_root().render()
    map_s = time.perf_counter() - map_start

    print(f"load CSV + validate + build intervals {load_s:6.2f} s   ({len(atlas.model.intervals):,} intervals; "
          f"peak memory {load_peak:,.0f} MB, {before:,.0f} MB before loading)")
    print(f"control_at, frontlines              {ours_s:8.3f} s   target < 0.3 s")
    print(f"control_at, pandas groupby-last     {base_s:8.3f} s")
    print(f"speed-up over the baseline          {base_s / ours_s:8.1f} x   target >= 5x")
    print(f"  (places where both name a controller and agree: {agree:.1%}; the baseline ignores withdrawals,")
    print("   sieges, contests and divided control, so it answers a simpler question)")
    print(f"map of {len(places):,} places                 {map_s:8.2f} s   {len(html.encode()) / 1e6:6.1f} MB"
          "   target < 15 MB")
    peak = peak_mb()
    print(f"peak memory of the whole run                {peak:8.0f} MB")


if __name__ == "__main__":
    main()
