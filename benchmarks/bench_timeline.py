"""Benchmark the timeline against folium's TimestampedGeoJson and TimeSliderChoropleth on the same data.

Synthetic data: 5,000 places, 20,000 changes of control, 730 daily frames. For each of the three pages the
benchmark prints, side by side in one run: the HTML size, the time from navigation to the first frame drawn in
headless Chromium, and the median time of one slider step measured inside the page.

folium's plugins need the state of every place on every frame: TimestampedGeoJson gets one point feature per
place and state with the list of days it is shown (the most compact input it accepts), and
TimeSliderChoropleth one small square per place with a style for every day (what it requires).

The front-end files those plugins load from CDNs are fetched once from the npm registry (``npm pack``) into
``benchmarks/.assets`` and served to the browser from there; nothing else may load.

Targets (issue 3 of the timeline): HTML at least 20x smaller than either plugin, first frame under 2 s, a
slider step under 30 ms median.

    python benchmarks/bench_timeline.py [--places 5000] [--changes 20000] [--days 730]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from bench_core import CHROMIUM_ARGS
from folium.plugins import TimeSliderChoropleth, TimestampedGeoJson
from playwright.sync_api import sync_playwright

import frontlines as fl
from frontlines.control import state_changes

HERE = Path(__file__).parent
ASSETS = HERE / ".assets"
# CDN address fragment -> (npm package, file inside it)
CDN_FILES = {
    "leaflet@1.9.3/dist/leaflet.js": ("leaflet@1.9.3", "dist/leaflet.js"),
    "leaflet@1.9.3/dist/leaflet.css": ("leaflet@1.9.3", "dist/leaflet.css"),
    "jquery/3.7.1/jquery.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    "iso8601-js-period@0.2.1/iso8601.min.js": ("iso8601-js-period@0.2.1", "iso8601.js"),
    "leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js":
        ("leaflet-timedimension@1.1.1", "dist/leaflet.timedimension.min.js"),
    "leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css":
        ("leaflet-timedimension@1.1.1", "dist/leaflet.timedimension.control.css"),
    "moment.js/2.18.1/moment.min.js": ("moment@2.18.1", "min/moment.min.js"),
    "d3.v4.min.js": ("d3@4.13.0", "build/d3.min.js"),
}
PLUGIN_JS = {"TimestampedGeoJson": [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")],
             "TimeSliderChoropleth": [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),
                                      ("jquery", "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js")]}


def fetch_assets() -> dict[str, bytes]:
    """The CDN files, from npm packages cached under benchmarks/.assets."""
    ASSETS.mkdir(exist_ok=True)
    files = {}
    for fragment, (package, inner) in CDN_FILES.items():
        name = package.replace("@", "-").lstrip("-") + ".tgz"
        archive = ASSETS / name
        if not archive.exists():
            subprocess.run(["npm", "pack", package, "--pack-destination", str(ASSETS)], check=True,
                           capture_output=True)
        with tarfile.open(archive) as tar:
            files[fragment] = tar.extractfile(f"package/{inner}").read()
    return files


def synthetic(n_places: int, n_changes: int, n_days: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    places = pd.DataFrame({
        "place_id": [f"p{i}" for i in range(n_places)], "name": [f"Place {i}" for i in range(n_places)],
        "lat": rng.uniform(32.5, 37.0, n_places).round(4), "lon": rng.uniform(36.0, 46.0, n_places).round(4),
        "kind": "village", "country": "",
    })
    actors = fl.load().actors[["actor", "colour"]]
    names = actors["actor"].to_numpy()[:8]
    start = pd.Timestamp("2016-01-01")
    first = pd.DataFrame({"date": start.strftime("%Y-%m-%d"), "place": places["place_id"], "kind": "held"})
    # Each later capture goes to another actor than the place's previous one, so every event is a change.
    n = n_changes
    place = rng.integers(0, n_places, n)
    day = rng.integers(1, n_days, n)
    later = pd.DataFrame({"place": place, "day": day}).drop_duplicates().sort_values(["place", "day"])
    first_code = pd.Series(rng.integers(0, len(names), n_places))
    steps = rng.integers(1, len(names), len(later))
    later["code"] = (first_code[later["place"]].to_numpy() + later.assign(s=steps).groupby("place")["s"].cumsum()
                     .to_numpy()) % len(names)
    first["actor"] = names[first_code.to_numpy()]
    later = pd.DataFrame({"date": (start + pd.to_timedelta(later["day"], unit="D")).dt.strftime("%Y-%m-%d"),
                          "place": places["place_id"].to_numpy()[later["place"]],
                          "actor": names[later["code"]], "kind": "captured"})
    events = pd.concat([first, later], ignore_index=True).assign(source="Synthetic", url="https://example.org")
    return fl.load(events=events, places=places, actors=actors), start, start + pd.Timedelta(days=n_days - 1)


def daily_states(atlas: fl.Atlas, start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    """Change records (place, from-day, to-day, colour) and the frame days."""
    changes = state_changes(atlas.model, start, end)
    colours = np.append(atlas.actors["colour"].to_numpy(), "#8C8C8C")
    changes = changes.sort_values(["place", "day"])
    nxt = changes.groupby("place")["day"].shift(-1).fillna(end + pd.Timedelta(days=1))
    return pd.DataFrame({"place": changes["place"].to_numpy(), "first": changes["day"].to_numpy(),
                         "last": (nxt - pd.Timedelta(days=1)).to_numpy(),
                         "colour": colours[changes["controller"].to_numpy()]}), pd.date_range(start, end)


def folium_timestamped(atlas, records, frames) -> str:
    places = atlas.places
    features = []
    for place, first, last, colour in records.itertuples(index=False):
        times = pd.date_range(first, last).strftime("%Y-%m-%d").tolist()
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [float(places["lon"].iat[place]),
                                                                       float(places["lat"].iat[place])]},
                         "properties": {"times": times, "icon": "circle",
                                        "iconstyle": {"fillColor": colour, "fillOpacity": 0.9, "radius": 4,
                                                      "stroke": False}}})
    m = folium.Map(location=[34.8, 41], zoom_start=6, tiles=None)
    TimestampedGeoJson({"type": "FeatureCollection", "features": features}, period="P1D", duration="PT23H",
                       add_last_point=False, auto_play=False, loop=False).add_to(m)
    return m.get_root().render()


def folium_choropleth(atlas, records, frames) -> str:
    places = atlas.places
    half = 0.01
    features = [{"type": "Feature", "id": str(i), "properties": {},
                 "geometry": {"type": "Polygon", "coordinates": [[[lon - half, lat - half], [lon + half, lat - half],
                                                                  [lon + half, lat + half], [lon - half, lat + half],
                                                                  [lon - half, lat - half]]]}}
                for i, (lat, lon) in enumerate(zip(places["lat"], places["lon"], strict=True))]
    stamps = (frames.astype("int64") // 10**9).astype(str)
    styledict: dict[str, dict[str, dict]] = {str(i): {} for i in range(len(places))}
    day_index = {d: k for k, d in enumerate(frames)}
    for place, first, last, colour in records.itertuples(index=False):
        style = {"color": colour, "opacity": 0.9}
        target = styledict[str(place)]
        for k in range(day_index[pd.Timestamp(first)], day_index[pd.Timestamp(last)] + 1):
            target[stamps[k]] = style
    m = folium.Map(location=[34.8, 41], zoom_start=6, tiles=None)
    TimeSliderChoropleth({"type": "FeatureCollection", "features": features}, styledict=styledict).add_to(m)
    return m.get_root().render()


READY = {
    "frontlines": "window.frontlines && frontlines.timelines.length > 0",
    "TimestampedGeoJson": "document.querySelectorAll('.leaflet-marker-pane > *, path.leaflet-interactive')"
                          ".length > 0",
    "TimeSliderChoropleth": "document.querySelectorAll('path.leaflet-interactive').length > 0",
}
STEP = {
    "frontlines": "(k) => { const t = performance.now(); frontlines.timelines[0].setFrame(k);"
                  " return performance.now() - t; }",
    "TimestampedGeoJson": "(k) => { const m = Object.values(window).find(v => v instanceof L.Map && v.timeDimension);"
                          " const t = performance.now(); m.timeDimension.setCurrentTimeIndex(k);"
                          " return performance.now() - t; }",
    "TimeSliderChoropleth": "(k) => { const s = document.querySelector('input[type=range]'); s.value = k;"
                            " const t = performance.now(); s.dispatchEvent(new Event('input'));"
                            " return performance.now() - t; }",
}


def measure(browser, path: Path, kind: str, assets: dict[str, bytes], n_frames: int
            ) -> tuple[float, float, float]:
    page = browser.new_page(viewport={"width": 1200, "height": 800})

    def route(r):
        url = r.request.url
        if url.startswith("file://"):
            return r.continue_()
        for fragment, body in assets.items():
            if url.endswith(fragment):
                kind_ = "text/css" if fragment.endswith(".css") else "application/javascript"
                return r.fulfill(body=body, content_type=kind_)
        return r.abort()

    page.route("**/*", route)
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=600_000)
    page.wait_for_function(READY[kind], timeout=600_000, polling=20)
    first_frame = time.perf_counter() - start
    # A slider step: from a frame to the next, as when playing or pressing the arrow key; and a jump of
    # 30 frames (a month), as when dragging the slider.
    rng = np.random.default_rng(0)
    first = int(rng.integers(0, n_frames - 80))
    page.evaluate(STEP[kind], first)
    steps = [page.evaluate(STEP[kind], first + 1 + k) for k in range(40)]
    jumps = [page.evaluate(STEP[kind], (first + 30 * (k + 2)) % n_frames) for k in range(20)]
    page.close()
    return first_frame, float(np.median(steps)), float(np.median(jumps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=20000)
    parser.add_argument("--days", type=int, default=730)
    args = parser.parse_args()
    assets = fetch_assets()
    atlas, start, end = synthetic(args.places, args.changes, args.days)
    records, frames = daily_states(atlas, start, end)
    print(f"synthetic data: {len(atlas.places):,} places, {len(atlas.events):,} events "
          f"({len(records) - len(atlas.places):,} changes of control), {len(frames)} daily frames")
    pages, build = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, make in [
            ("frontlines", lambda: atlas.timeline(start, end, "D", basemap="none", boundaries=False)
             .get_root().render()),
            ("TimestampedGeoJson", lambda: folium_timestamped(atlas, records, frames)),
            ("TimeSliderChoropleth", lambda: folium_choropleth(atlas, records, frames)),
        ]:
            t = time.perf_counter()
            html = make()
            build[kind] = time.perf_counter() - t
            if kind in PLUGIN_JS:  # load only Leaflet and the plugin's own files, like frontlines
                html = html.replace("https://code.jquery.com/jquery-3.7.1.min.js",
                                    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js")
            pages[kind] = Path(tmp) / f"{kind}.html"
            pages[kind].write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            results = {kind: measure(browser, path, kind, assets, len(frames)) for kind, path in pages.items()}
            browser.close()
        sizes = {kind: path.stat().st_size for kind, path in pages.items()}
    ours = sizes["frontlines"]
    print(f"{'page':<22}{'build':>9}{'HTML':>11}{'size ratio':>12}{'first frame':>13}{'step (median)':>15}"
          f"{'30-day jump':>13}")
    for kind in pages:
        first, step, jump = results[kind]
        print(f"{kind:<22}{build[kind]:8.1f}s{sizes[kind] / 1e6:9.1f}MB{sizes[kind] / ours:11.1f}x"
              f"{first:12.2f}s{step:13.1f}ms{jump:11.1f}ms")
    print("targets: HTML >= 20x smaller than either plugin; first frame < 2 s; step < 30 ms median")
    print(json.dumps({k: {"bytes": sizes[k], "first_frame_s": results[k][0], "step_ms": results[k][1],
                          "jump_ms": results[k][2]} for k in pages}))


if __name__ == "__main__":
    main()
