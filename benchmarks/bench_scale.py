"""Scale on one machine: 10,000,000 events over 100,000 places (issue 8 targets).

Prints, in one run: load (from CSV) and interval build, with the peak memory of a fresh process that does only
frontlines' work, beside pandas' naive read-and-sort; ``control_at`` for one date beside
pandas' naive "filter, sort, groupby-last"; the map of every place (size, and time to draw in headless
Chromium); and the timeline of 10,000 places over 5 years (size, build time). Targets: load and intervals
under 60 s with peak memory under 6 GB; control_at under 0.3 s; the 100,000-place map open in under 5 s.

    python benchmarks/bench_scale.py [--events 10000000] [--places 100000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path

import pandas as pd
from bench_core import CHROMIUM_ARGS, baseline_control_at, best_of, csv_paths, peak_mb, synthetic, write_csv
from playwright.sync_api import sync_playwright

import frontlines as fl


def open_in_chromium(path: Path) -> float:
    """Seconds from navigation to the legend drawn (every marker built), with all network refused."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        start = time.perf_counter()
        page.goto(path.as_uri(), timeout=600_000)
        page.wait_for_selector(".frontlines-legend-row", timeout=600_000)
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


def ours(folder: str) -> None:
    """Everything frontlines does, in a fresh process: its peak memory is the load's own, not the benchmark's
    (which holds the synthetic tables)."""
    paths = csv_paths(Path(folder))
    start = time.perf_counter()
    atlas = fl.load(**paths)
    load_s = time.perf_counter() - start
    print(f"frontlines: load CSV + validate + intervals {load_s:8.1f} s   peak {peak_mb():,.0f} MB   "
          f"targets < 60 s, < 6,000 MB", flush=True)
    ours_s, _ = best_of(3, atlas.control_at, "2017-01-25")
    print(f"frontlines: control_at                      {ours_s:8.3f} s   target < 0.3 s", flush=True)
    page = Path(folder) / "map.html"
    start = time.perf_counter()
    atlas.map("2017-01-25", offline=True).save(str(page))
    map_s = time.perf_counter() - start
    print(f"frontlines: map of {len(atlas.places):,} places           {map_s:8.1f} s   "
          f"{page.stat().st_size / 1e6:.1f} MB   open in Chromium {open_in_chromium(page):.1f} s   target < 5 s",
          flush=True)
    keep = atlas.places["place_id"].sample(min(10_000, len(atlas.places)), random_state=1)
    events = atlas.events[atlas.events["place_id"].isin(keep)].rename(columns={"place_id": "place"})
    small = fl.load(events=events[["date", "place", "actor", "kind", "source", "url"]],
                    places=atlas.places[atlas.places["place_id"].isin(keep)], actors=paths["actors"])
    start = time.perf_counter()
    timeline = small.timeline("2015-01-01", "2019-12-31", freq="D", basemap="none").get_root().render()
    print(f"frontlines: timeline of 10,000 places, 5 years {time.perf_counter() - start:8.1f} s   "
          f"{len(timeline.encode()) / 1e6:.1f} MB", flush=True)
    print(f"frontlines: peak memory of the whole process {peak_mb():,.0f} MB")


def naive_load(path: Path) -> pd.DataFrame:
    """pandas' naive load: read every column as text, parse dates per row, sort."""
    events = pd.read_csv(path, dtype=str, keep_default_na=False)
    events["start"] = pd.to_datetime(events["date"], format="mixed", errors="coerce")
    return events.sort_values(["place", "start"], kind="stable")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--places", type=int, default=100_000)
    args = parser.parse_args()
    events, places, actors = synthetic(args.events, args.places)
    print(f"synthetic table: {len(events):,} events over {len(places):,} places", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        write_csv(events, places, actors, Path(tmp))
        base_s, _ = best_of(3, baseline_control_at, events, "2017-01-25")
        del events, places, actors
        start = time.perf_counter()
        naive_load(Path(tmp) / "events.csv")
        print(f"pandas:     naive load (read_csv, dates, sort) {time.perf_counter() - start:8.1f} s   "
              f"(no validation, no intervals)", flush=True)
        print(f"pandas:     control_at (filter, sort, groupby-last) {base_s:8.3f} s", flush=True)
        child = multiprocessing.get_context("spawn").Process(target=ours, args=(tmp,))
        child.start()
        child.join()
        if child.exitcode:
            raise SystemExit(child.exitcode)


if __name__ == "__main__":
    main()
