"""Rendering: folium maps of control."""

from .mapping import ATTRIBUTION, MapOptions, control_map, to_html
from .timeline import TimelineOptions, timeline_map

__all__ = ["ATTRIBUTION", "MapOptions", "TimelineOptions", "control_map", "timeline_map", "to_html"]
