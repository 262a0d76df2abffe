"""The control map for one date, as a ``folium.Map``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from markupsafe import escape

from .._paths import bundled
from ..control import snapshot
from ..model import NONE, Model
from ..territory import TerritoryEstimator
from ._payload import UNKNOWN_COLOUR, actor_colours, defuse, place_payload
from .elements import Library, PlaceLayer, figure_of, stable_ids, use_leaflet_only

BASEMAPS = {
    "osm": "OpenStreetMap",
    "none": None,
}
ATTRIBUTION_HTML = ('Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) · boundaries: '
                    '<a href="https://www.naturalearthdata.com/">Natural Earth</a> · events: frontlines (CC BY 4.0)')
ATTRIBUTION = ("Places: GeoNames (CC BY 4.0) and frontlines contributors; boundaries: Natural Earth "
               "(public domain); events: frontlines data set (CC BY 4.0), each with its source")


@dataclass(frozen=True)
class MapOptions:
    """How a control map is drawn.

    Parameters
    ----------
    basemap
        ``"osm"`` (OpenStreetMap tiles, the default) or ``"none"``: an offline vector basemap of countries
        and governorates from the bundled boundaries.
    offline
        Inline Leaflet (vendored) instead of loading it from a CDN; implies ``basemap="none"``.
    show_unknown
        Draw places with no known controller (hollow grey circles).
    boundaries
        Draw country and governorate borders.
    popup_events
        How many of a place's latest events its popup lists.
    title
        Title text; by default "Control on <date>".
    zoom_start
        Initial zoom; the map fits the places when ``None``.
    territory
        Shade the estimated areas held by each actor (see :mod:`frontlines.territory`).
    canvas_from
        From this many places up, draw them all on one canvas with its own hit-testing (tooltips, popups and
        the layer control work the same) instead of one Leaflet marker per place: a 100,000-place map then
        opens in a few seconds.
    """

    basemap: str = "osm"
    offline: bool = False
    show_unknown: bool = True
    boundaries: bool = True
    popup_events: int = 12
    title: str | None = None
    zoom_start: int | None = None
    territory: bool = False
    canvas_from: int = 5000

    def __post_init__(self) -> None:
        if self.basemap not in BASEMAPS:
            raise ValueError(f"`basemap` was {self.basemap!r} but is expected to be in {sorted(BASEMAPS)}")
        if self.popup_events < 0:
            raise ValueError(f"`popup_events` was {self.popup_events} but must be 0 or more")


@lru_cache(maxsize=4)
def _boundaries(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(bundled(f"geo/{name}.geojson"))


def base_map(model: Model, options: MapOptions, keep: np.ndarray) -> folium.Map:
    """A map framed on the places, with the basemap and boundaries the options ask for."""
    basemap = "none" if options.offline else options.basemap
    tiles = BASEMAPS[basemap]
    lat, lon = model.places["lat"].to_numpy()[keep], model.places["lon"].to_numpy()[keep]
    m = folium.Map(tiles=tiles, prefer_canvas=True, control_scale=True, zoom_start=options.zoom_start or 6,
                   location=[float(np.mean(lat)), float(np.mean(lon))] if len(keep) else [34.5, 40.5])
    use_leaflet_only(m, offline=options.offline)
    if options.zoom_start is None and len(keep):
        m.fit_bounds([[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]])
    if basemap == "none":
        figure_of(m).header.add_child(folium.Element("<style>.leaflet-container{background:#cfe3f0}</style>"))
    if options.boundaries:
        _add_boundaries(m, filled=basemap == "none")
    figure_of(m).header.add_child(folium.Element(
        f'<meta name="frontlines-attribution" content="{escape(ATTRIBUTION)}">'))
    return m


def _add_boundaries(m: folium.Map, *, filled: bool) -> None:
    countries, governorates = _boundaries("countries"), _boundaries("governorates")
    land = {"fillColor": "#f6f3ec", "fillOpacity": 1.0} if filled else {"fillOpacity": 0.0}
    folium.GeoJson(
        countries, name="Countries", control=False, smooth_factor=1,
        style_function=lambda f: {**land, "color": "#6b6b6b", "weight": 1.2, "interactive": False},
        tooltip=None,
    ).add_to(m)
    folium.GeoJson(
        _boundaries("rivers"), name="Rivers", control=False,
        style_function=lambda f: {"color": "#5b9bd5", "weight": 1.4, "opacity": 0.9, "interactive": False},
    ).add_to(m)
    folium.GeoJson(
        governorates, name="Governorates", overlay=True, control=True,
        style_function=lambda f: {"color": "#9a9a9a", "weight": 0.6, "fillOpacity": 0.0, "dashArray": "4 3"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "country"], aliases=["Governorate", "Country"]),
    ).add_to(m)


def control_map(model: Model, date: pd.Timestamp, options: MapOptions | None = None, *,
                estimator: TerritoryEstimator | None = None) -> folium.Map:
    """The map of control on ``date``: places coloured by controller, with status shapes, legend and popups."""
    options = options or MapOptions()
    state = snapshot(model, date)
    known = state["controller"].to_numpy() != NONE
    keep = np.arange(len(model.places)) if options.show_unknown else np.flatnonzero(known)
    m = base_map(model, options, keep)
    if options.territory:
        add_territory(m, (estimator or TerritoryEstimator(model)).territory(date), model)
    Library().add_to(m)
    payload = place_payload(model, state, date, popup_events=options.popup_events, keep=keep)
    payload["canvasFrom"] = options.canvas_from
    counts = np.bincount(state["controller"].to_numpy()[keep] + 1, minlength=len(model.actors) + 1)
    groups = actor_groups(model, counts)
    for group in groups:
        group.add_to(m)
    day = date.strftime("%-d %B %Y")
    n_events = int((model.events["start"] <= np.datetime64(date, "ns")).sum())
    subtitle = f"{int(known[keep].sum())} of {len(keep)} places with a known controller · {n_events} events"
    PlaceLayer(payload, groups, title=defuse(options.title or f"Control on {day}"), subtitle=subtitle,
               attribution=ATTRIBUTION_HTML).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    stable_ids(m.get_root())
    return m


def add_territory(m: folium.Map, territory: gpd.GeoDataFrame, model: Model) -> None:
    """The estimated areas as one shaded layer, in each actor's colour; the contested band hatched grey."""
    colours = {**actor_colours(model.actors), "contested band": "#7F7F7F"}
    shaded = territory[(territory["actor"] != "unknown") & ~territory.geometry.is_empty].copy()
    shaded["status"] = shaded["status"].astype(str)
    colours = {defuse(k): v for k, v in colours.items()}
    shaded["actor"] = shaded["actor"].map(defuse)
    folium.GeoJson(
        shaded, name="Estimated territory", overlay=True, control=True, smooth_factor=1.5,
        style_function=lambda f: {"fillColor": colours.get(f["properties"]["actor"], "#999999"), "weight": 0,
                                  "fillOpacity": 0.22 if f["properties"]["actor"] != "contested band" else 0.35},
        tooltip=folium.GeoJsonTooltip(fields=["actor", "status", "area_km2", "area_low_km2", "area_high_km2"],
                                      aliases=["Actor", "Status", "km² (estimate)", "low", "high"]),
    ).add_to(m)


def actor_groups(model: Model, counts: np.ndarray | None) -> list[folium.FeatureGroup]:
    """One layer group per actor, then one for unknown; ``counts`` (unknown first) go into the labels."""
    names = [*model.actors["actor"], "unknown"]
    colours = [*model.actors["colour"], UNKNOWN_COLOUR]
    if counts is not None:
        counts = np.append(counts[1:], counts[0])
    groups = []
    for code, (actor, colour) in enumerate(zip(names, colours, strict=True)):
        # Leaflet's layer control shows names as HTML: escape the actor's name, which comes from the data.
        label = (f'<span style="display:inline-block;width:10px;height:10px;border-radius:5px;'
                 f'background:{escape(colour)};border:1px solid #333"></span> {escape(defuse(actor))}')
        if counts is not None:
            label += f" ({int(counts[code])})"
        groups.append(folium.FeatureGroup(name=label, overlay=True, control=counts is None or counts[code] > 0))
    return groups


def to_html(m: folium.Map, *, fragment: bool = False) -> str:
    """The map's HTML: a whole page, or (``fragment=True``) a block to paste into another page: the map's
    styles and scripts, its div and its script, without <html>, <head> or <body>."""
    root = m.get_root()
    page = root.render()
    if not fragment:
        return page
    head = page.split("<head>", 1)[1].split("</head>", 1)[0]
    body = page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    tail = page.rsplit("</body>", 1)[1].split("</html>", 1)[0]
    head = "\n".join(line for line in head.splitlines() if "<meta http-equiv" not in line and "viewport" not in line)
    return f'<div class="frontlines-fragment">\n{head}\n{body}\n{tail}\n</div>\n'


