"""The change map between two dates: ground gained and lost per actor, the places that changed, a table."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.template import Template
from markupsafe import escape

from ..control import changes, snapshot
from ..territory import EQUAL_AREA, TerritoryEstimator, actor_diff, polygons_only
from ._payload import actor_colours, defuse, place_payload
from .elements import Library, PlaceLayer, stable_ids
from .mapping import ATTRIBUTION_HTML, MapOptions, actor_groups, base_map


class HtmlControl(MacroElement):
    """A block of HTML built by frontlines (every text from the data escaped) shown as a Leaflet control."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var box = L.DomUtil.create("div", "frontlines-legend leaflet-bar frontlines-diff-table");
                box.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str, position: str = "topleft"):
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position


def diff_table_html(table: pd.DataFrame, date_a: str, date_b: str) -> str:
    rows = table[(table["actor"] != "unknown") & (table["actor"] != "contested band")]
    cells = "".join(
        f"<tr><td>{escape(defuse(r.actor))}</td><td class='frontlines-count'>{r.area_km2_a:,.0f}</td>"
        f"<td class='frontlines-count'>{r.area_km2_b:,.0f}</td>"
        f"<td class='frontlines-count'>{r.area_change_km2:+,.0f}</td>"
        f"<td class='frontlines-count'>{r.population_change:+,.0f}</td>"
        f"<td>{escape(defuse(r.places_gained))}</td><td>{escape(defuse(r.places_lost))}</td></tr>"
        for r in rows.itertuples())
    return (f"<div class='frontlines-legend-title'>Change {escape(date_a)} to {escape(date_b)}</div>"
            "<table><tr><th>actor</th><th>km² before</th><th>km² after</th><th>km² change</th>"
            f"<th>population change</th><th>places gained</th><th>places lost</th></tr>{cells}</table>"
            "<div class='frontlines-muted'>Areas are estimates (see the method in the documentation).</div>")


def ground_changes(estimator: TerritoryEstimator, date_a: pd.Timestamp, date_b: pd.Timestamp
                   ) -> gpd.GeoDataFrame:
    """Per actor, the ground it gained (held on b, not on a) and lost (held on a, not on b)."""
    a = estimator.territory(date_a, crs=EQUAL_AREA)
    b = estimator.territory(date_b, crs=EQUAL_AREA)
    held = lambda frame: frame[~frame["actor"].isin(["unknown", "contested band"])].dissolve("actor")  # noqa: E731
    a, b = held(a), held(b)
    rows = []
    for actor in sorted(set(a.index) | set(b.index)):
        before = a.geometry.get(actor)
        after = b.geometry.get(actor)
        if after is not None:
            gained = after.difference(before) if before is not None else after
            rows.append((actor, "gained", gained))
        if before is not None:
            lost = before.difference(after) if after is not None else before
            rows.append((actor, "lost", lost))
    frame = gpd.GeoDataFrame(rows, columns=["actor", "change", "geometry"], geometry="geometry", crs=EQUAL_AREA)
    frame = frame.set_geometry(polygons_only(frame.geometry.to_numpy()), crs=EQUAL_AREA)
    frame = frame[~frame.geometry.is_empty]
    frame["actor"] = frame["actor"].map(defuse)
    frame["area_km2"] = (frame.geometry.area / 1e6).round(1)
    return frame[frame["area_km2"] > 0.5].to_crs(4326)


def diff_map(model, estimator: TerritoryEstimator, date_a: pd.Timestamp, date_b: pd.Timestamp,
             options: MapOptions | None = None) -> folium.Map:
    options = options or MapOptions()
    changed = changes(model, date_a, date_b)
    codes = np.flatnonzero(model.places["place_id"].isin(changed["place_id"]).to_numpy())
    m = base_map(model, options, codes if len(codes) else np.arange(len(model.places)))
    Library().add_to(m)
    colours = {defuse(a): c for a, c in actor_colours(model.actors).items()}
    ground = ground_changes(estimator, date_a, date_b)
    for change, style in (("gained", {"fillOpacity": 0.45, "weight": 0.5}),
                          ("lost", {"fillOpacity": 0.0, "weight": 2, "dashArray": "5 4"})):
        part = ground[ground["change"] == change]
        if part.empty:
            continue
        folium.GeoJson(
            part, name=f"Ground {change}",
            style_function=lambda f, style=style: {**style, "color": colours.get(f["properties"]["actor"], "#888"),
                                                   "fillColor": colours.get(f["properties"]["actor"], "#888")},
            tooltip=folium.GeoJsonTooltip(fields=["actor", "change", "area_km2"],
                                          aliases=["Actor", "Ground", "km²"]),
        ).add_to(m)
    state = snapshot(model, date_b)
    payload = place_payload(model, state, date_b, keep=codes, popup_events=options.popup_events)
    counts = np.bincount(state["controller"].to_numpy()[codes] + 1, minlength=len(model.actors) + 1)
    groups = actor_groups(model, counts)
    for group in groups:
        group.add_to(m)
    a_text, b_text = date_a.strftime("%Y-%m-%d"), date_b.strftime("%Y-%m-%d")
    PlaceLayer(payload, groups, title=f"Changes from {a_text} to {b_text}",
               subtitle=f"{len(codes)} places changed hands or status; markers show {b_text}",
               attribution=ATTRIBUTION_HTML).add_to(m)
    HtmlControl(diff_table_html(actor_diff(estimator, changed, date_a, date_b), a_text, b_text)).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    stable_ids(m.get_root())
    return m
