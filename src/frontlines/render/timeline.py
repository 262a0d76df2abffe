"""The timeline: one self-contained HTML page that plays control through time."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd

from ..control import state_changes
from ..model import NONE, Model
from ._payload import common_payload, days, event_payload, state_columns, static_places
from .elements import Library, TimelineControl, stable_ids
from .mapping import ATTRIBUTION_HTML, MapOptions, actor_groups, base_map

FREQUENCIES = {"D": ("D", 0), "W": ("7D", 0), "M": ("MS", 1)}


@dataclass(frozen=True)
class TimelineOptions(MapOptions):
    """Map options plus how the timeline plays.

    Parameters
    ----------
    fps
        Frames per second at speed 1x.
    """

    fps: float = 6.0


def frame_days(start: pd.Timestamp, end: pd.Timestamp, freq: str) -> tuple[np.ndarray, int]:
    """The frames' dates (days since 1970) and the precision of their labels (0 day, 1 month)."""
    if freq not in FREQUENCIES:
        raise ValueError(f"`freq` was {freq!r} but is expected to be in {sorted(FREQUENCIES)}")
    if end < start:
        raise ValueError(f"the timeline ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    rule, precision = FREQUENCIES[freq]
    first = start.to_period("M").to_timestamp() if freq == "M" else start
    dates = pd.date_range(first, end, freq=rule)
    return days(dates.to_numpy()), precision


def timeline_payload(model: Model, start: pd.Timestamp, end: pd.Timestamp, freq: str, *,
                     keep: np.ndarray, popup_events: int, progress=None) -> dict:
    """Each kept place once, its change records between the dates, the frames and the events."""
    frames, precision = frame_days(start, end, freq)
    changes = state_changes(model, start, end, progress=progress)
    position = np.full(len(model.places), -1)
    position[keep] = np.arange(len(keep))
    changes = changes[position[changes["place"].to_numpy()] >= 0]
    pos = position[changes["place"].to_numpy()]
    order = np.lexsort((days(changes["day"].to_numpy()), pos))
    changes = changes.iloc[order]
    pos = pos[order]
    record_days = days(changes["day"].to_numpy())
    by_day = np.argsort(record_days, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(pos, minlength=len(keep)))])
    return {
        **common_payload(model),
        "subtitle": f"{len(keep)} places · {int((model.events['start'] <= np.datetime64(end, 'ns')).sum())} events",
        "places": static_places(model, keep),
        "changes": {
            "offsets": offsets.tolist(), "place": pos.tolist(), "day": record_days.tolist(),
            "sortedDays": record_days[by_day].tolist(), "byDay": by_day.tolist(),
            **state_columns(changes),
        },
        "frames": {"days": frames.tolist(), "precision": precision},
        **event_payload(model, keep, end, popup_events=popup_events, event_budget=150_000),
    }


def territory_cells(model: Model, keep: np.ndarray, record_place: np.ndarray, record_controller: np.ndarray
                    ) -> dict:
    """The territory cells of the places known at some time in the timeline, as GeoJSON in EPSG:4326.

    The page shades each cell in its place's current controller's colour, so the territory follows the slider
    with the same restyling as the markers. (The cells come from every place known in the window; the date
    map's estimate uses only the places known on its date.)"""
    import geopandas as gpd
    import shapely

    from ..territory import EQUAL_AREA, TerritoryEstimator

    estimator = TerritoryEstimator(model)
    known = np.zeros(len(model.places), dtype=bool)
    known[keep[np.unique(record_place[record_controller != NONE])]] = True
    cells = estimator.cells_for(known & estimator.in_scope)
    position = np.full(len(model.places), -1)
    position[keep] = np.arange(len(keep))
    frame = gpd.GeoDataFrame({"i": position[cells.places]}, geometry=cells.mid, crs=EQUAL_AREA)
    frame = frame[~frame.geometry.is_empty].to_crs(4326)
    frame["geometry"] = shapely.set_precision(frame.geometry.simplify(0.01).to_numpy(), 0.0001)
    return frame.__geo_interface__


def timeline_map(model: Model, start: pd.Timestamp, end: pd.Timestamp, freq: str = "D",
                 options: TimelineOptions | None = None, *, initial: pd.Timestamp | None = None,
                 progress=None) -> folium.Map:
    """A map that plays control from ``start`` to ``end``, one frame per day, week or month."""
    options = options or TimelineOptions()
    if options.show_unknown:
        keep = np.arange(len(model.places))
    else:
        ever = np.unique(model.intervals["place"][model.intervals["controller"] != NONE].to_numpy())
        keep = ever
    m = base_map(model, options, keep)
    Library(timeline=True).add_to(m)
    payload = timeline_payload(model, start, end, freq, keep=keep, popup_events=options.popup_events,
                               progress=progress)
    if options.territory:
        payload["cells"] = territory_cells(model, keep, np.asarray(payload["changes"]["place"]),
                                           np.asarray(payload["changes"]["controller"]))
    groups = actor_groups(model, counts=None)
    for group in groups:
        group.add_to(m)
    frames = payload["frames"]["days"]
    start_frame = 0
    if initial is not None:
        first_day = days(np.array([initial], dtype="datetime64[ns]"))[0]
        start_frame = max(0, int(np.searchsorted(frames, first_day, side="right")) - 1)
    TimelineControl(payload, groups, fps=options.fps, start_frame=start_frame,
                    attribution=ATTRIBUTION_HTML).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    stable_ids(m.get_root())
    return m
