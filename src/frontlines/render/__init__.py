"""Rendering: folium maps of control."""

from .mapping import ATTRIBUTION, MapOptions, control_map, save_map

__all__ = ["ATTRIBUTION", "MapOptions", "control_map", "save_map"]
