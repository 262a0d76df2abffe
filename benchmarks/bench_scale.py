"""Scale on one machine: 10,000,000 events over 100,000 places (issue 8 targets).

Prints, in one run: load (from CSV) and interval build, with peak memory; ``control_at`` for one date beside
pandas' naive "filter, sort, groupby-last"; the map of every place (size, and time to draw in headless
Chromium); and the timeline of 10,000 places over 5 years (size, build time). Targets: load and intervals
under 60 s with peak memory under 6 GB; control_at under 0.3 s; the 100,000-place map open in under 5 s.

    python benchmarks/bench_scale.py [--events 10000000] [--places 100000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from bench_core import baseline_control_at, best_of, load_from_csv, synthetic
from playwright.sync_api import sync_playwright

import frontlines as fl

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--places", type=int, default=100_000)
    args = parser.parse_args()
    events, places, actors = synthetic(args.events, args.places)
    print(f"synthetic table: {len(events):,} events over {len(places):,} places")
    before = peak_mb()
    start = time.perf_counter()
    atlas = load_from_csv(events, places, actors)
    load_s = time.perf_counter() - start
    print(f"load CSV + validate + intervals   {load_s:8.1f} s   peak {peak_mb():,.0f} MB "
          f"({before:,.0f} MB before)   targets < 60 s, < 6,000 MB")
    with tempfile.TemporaryDirectory() as tmp:
        ours_s, _ = best_of(3, atlas.control_at, "2017-01-25")
        base_s, _ = best_of(3, baseline_control_at, events, "2017-01-25")
        print(f"control_at frontlines / pandas    {ours_s:8.3f} s / {base_s:.3f} s   target < 0.3 s")
        page = Path(tmp) / "map.html"
        start = time.perf_counter()
        atlas.map("2017-01-25", offline=True).save(str(page))
        map_s = time.perf_counter() - start
        print(f"map of {len(places):,} places          {map_s:8.1f} s   {page.stat().st_size / 1e6:.1f} MB   "
              f"open in Chromium {open_in_chromium(page):.1f} s   target < 5 s")
        keep = places.sample(min(10_000, len(places)), random_state=1)["place_id"]
        small = fl.load(events=events[events["place"].isin(keep)], places=places[places["place_id"].isin(keep)],
                        actors=actors)
        start = time.perf_counter()
        timeline = small.timeline("2015-01-01", "2019-12-31", freq="D", basemap="none").get_root().render()
        print(f"timeline of 10,000 places, 5 years {time.perf_counter() - start:8.1f} s   "
              f"{len(timeline.encode()) / 1e6:.1f} MB")
    print(f"peak memory of the whole run      {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
